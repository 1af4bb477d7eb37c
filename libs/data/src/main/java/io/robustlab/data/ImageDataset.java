package io.robustlab.data;

import java.util.Arrays;

/**
 * Images and labels held in memory: {@code images} is N x C x H x W float32 in [0,1], row-major
 * (NCHW, as PyTorch and DJL expect); {@code labels} holds class indices.
 */
public record ImageDataset(float[] images, int[] labels, int channels, int height, int width) {

    public ImageDataset {
        int per = channels * height * width;
        if (per <= 0 || images.length != (long) labels.length * per) {
            throw new IllegalArgumentException("images hold " + images.length + " values, expected " + labels.length
                    + " x " + channels + " x " + height + " x " + width);
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** The number of classes, taken as one more than the largest label. */
    public int classes() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    public ImageDataset subset(int from, int to) {
        int per = imageSize();
        return new ImageDataset(Arrays.copyOfRange(images, from * per, to * per), Arrays.copyOfRange(labels, from, to),
                channels, height, width);
    }
}
