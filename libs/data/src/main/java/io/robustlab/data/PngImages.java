package io.robustlab.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * PNG images to and from C x H x W floats in [0,1]. Grey and RGB are converted to the channel
 * count asked for (luma for grey). PNGs hold 8 bits a channel: use them to look at images, and the
 * float values wherever a small perturbation must survive.
 */
public final class PngImages {

    private PngImages() {
    }

    public static float[] decode(byte[] png, int channels, int height, int width) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new DataFormatException("not a readable PNG: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DataFormatException("not a PNG image");
        }
        if (image.getHeight() != height || image.getWidth() != width) {
            throw new DataFormatException("the image is " + image.getWidth() + "x" + image.getHeight() + ", the model takes "
                    + width + "x" + height);
        }
        float[] out = new float[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (channels == 1) {
                    out[y * width + x] = Math.round(0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                } else {
                    out[y * width + x] = r / 255f;
                    out[height * width + y * width + x] = g / 255f;
                    out[2 * height * width + y * width + x] = b / 255f;
                }
            }
        }
        return out;
    }

    /** Image {@code index} of a C x H x W batch as a PNG (grey for one channel, else RGB). */
    public static byte[] encode(float[] pixels, int index, int channels, int height, int width) {
        int plane = height * width;
        int base = index * channels * plane;
        BufferedImage image = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                int r = byteOf(pixels[base + p]);
                int g = channels == 1 ? r : byteOf(pixels[base + plane + p]);
                int b = channels == 1 ? r : byteOf(pixels[base + 2 * plane + p]);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
