package io.robustlab.system;

import io.robustlab.data.ImageDataset;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * A small real data set that is not Fashion-MNIST: printed capital letters, rendered in colour from
 * this machine's fonts (Java's five logical families in four styles, over DejaVu and Liberation),
 * each at a random size, angle and position, in dark ink on light paper of random hues, as the font
 * subset of Chars74K is made.
 * Images are 3 x 28 x 28 RGB; the letter is the class.
 */
final class PrintedLetters {

    static final List<String> CLASSES = List.of("A", "B", "C", "D", "E", "F", "G", "H");
    static final int SIDE = 28;

    private static final String[] FAMILIES = {Font.SERIF, Font.SANS_SERIF, Font.MONOSPACED, Font.DIALOG, Font.DIALOG_INPUT};
    private static final int[] STYLES = {Font.PLAIN, Font.BOLD, Font.ITALIC, Font.BOLD | Font.ITALIC};

    private PrintedLetters() {
    }

    /** {@code n} examples, classes in turn, drawn with the generator seeded with {@code seed}. */
    static ImageDataset generate(int n, long seed) {
        Random random = new Random(seed);
        int pixels = SIDE * SIDE;
        float[] images = new float[n * 3 * pixels];
        int[] labels = new int[n];
        BufferedImage canvas = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES.size();
            draw(canvas, CLASSES.get(labels[i]), random);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int rgb = canvas.getRGB(x, y);
                    int at = i * 3 * pixels + y * SIDE + x;
                    images[at] = ((rgb >> 16) & 0xff) / 255f;
                    images[at + pixels] = ((rgb >> 8) & 0xff) / 255f;
                    images[at + 2 * pixels] = (rgb & 0xff) / 255f;
                }
            }
        }
        return new ImageDataset(images, labels, 3, SIDE, SIDE);
    }

    private static void draw(BufferedImage canvas, String letter, Random random) {
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Dark ink on light paper, both of any hue.
            float background = 0.75f + random.nextFloat() * 0.25f;
            float foreground = random.nextFloat() * 0.3f;
            g.setColor(Color.getHSBColor(random.nextFloat(), random.nextFloat() * 0.8f, background));
            g.fillRect(0, 0, SIDE, SIDE);
            g.setColor(Color.getHSBColor(random.nextFloat(), random.nextFloat() * 0.8f, foreground));
            Font font = new Font(FAMILIES[random.nextInt(FAMILIES.length)], STYLES[random.nextInt(STYLES.length)], 15 + random.nextInt(8));
            g.setFont(font);
            Rectangle2D box = font.getStringBounds(letter, new FontRenderContext(null, true, true));
            g.translate(SIDE / 2.0 + random.nextGaussian() * 1.5, SIDE / 2.0 + random.nextGaussian() * 1.5);
            g.rotate(Math.toRadians(random.nextGaussian() * 8));
            g.drawString(letter, (float) -box.getCenterX(), (float) -box.getCenterY());
        } finally {
            g.dispose();
        }
    }
}
