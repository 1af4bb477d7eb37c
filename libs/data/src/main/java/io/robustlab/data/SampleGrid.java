package io.robustlab.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG like the paper's Figure 9: a row of originals above a row of their constructed versions,
 * each image enlarged and captioned with its label.
 */
public final class SampleGrid {

    private static final int SCALE = 3;
    private static final int CAPTION = 16;
    private static final int GAP = 6;

    private SampleGrid() {
    }

    /**
     * @param rows       datasets of the same image shape, one per row (originals first)
     * @param rowTitles  a title per row, drawn on the left
     * @param indices    which examples of each row to show, in order
     * @param classNames names of the labels
     */
    public static byte[] png(List<ImageDataset> rows, List<String> rowTitles, int[] indices, List<String> classNames) {
        ImageDataset first = rows.get(0);
        int cellW = first.width() * SCALE;
        int cellH = first.height() * SCALE;
        int titleW = 110;
        int width = titleW + indices.length * (cellW + GAP);
        int height = rows.size() * (cellH + CAPTION + GAP) + GAP;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            ImageDataset d = rows.get(r);
            int top = GAP + r * (cellH + CAPTION + GAP);
            g.setColor(Color.BLACK);
            g.drawString(rowTitles.get(r), 4, top + CAPTION + cellH / 2);
            for (int c = 0; c < indices.length; c++) {
                int left = titleW + c * (cellW + GAP);
                int label = d.labels()[indices[c]];
                g.setColor(Color.DARK_GRAY);
                g.drawString(label < classNames.size() ? classNames.get(label) : String.valueOf(label), left, top + CAPTION - 4);
                g.drawImage(enlarged(d, indices[c]), left, top + CAPTION, null);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(canvas, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage enlarged(ImageDataset d, int index) {
        BufferedImage image;
        try {
            image = ImageIO.read(new java.io.ByteArrayInputStream(PngImages.encode(d.images(), index, d.channels(), d.height(), d.width())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BufferedImage big = new BufferedImage(d.width() * SCALE, d.height() * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, big.getWidth(), big.getHeight(), null);
        g.dispose();
        return big;
    }
}
