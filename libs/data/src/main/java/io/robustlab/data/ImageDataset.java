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

    /** The datasets one after another; all must hold images of the same shape. */
    public static ImageDataset concat(java.util.List<ImageDataset> parts) {
        ImageDataset first = parts.get(0);
        int n = parts.stream().mapToInt(ImageDataset::size).sum();
        float[] x = new float[n * first.imageSize()];
        int[] y = new int[n];
        int at = 0;
        for (ImageDataset p : parts) {
            if (p.channels() != first.channels() || p.height() != first.height() || p.width() != first.width()) {
                throw new IllegalArgumentException("cannot join images of different shapes");
            }
            System.arraycopy(p.images(), 0, x, at * first.imageSize(), p.images().length);
            System.arraycopy(p.labels(), 0, y, at, p.size());
            at += p.size();
        }
        return new ImageDataset(x, y, first.channels(), first.height(), first.width());
    }

    /** The examples at {@code indices}, in that order. */
    public ImageDataset select(int[] indices) {
        int per = imageSize();
        float[] x = new float[indices.length * per];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, indices[i] * per, x, i * per, per);
            y[i] = labels[indices[i]];
        }
        return new ImageDataset(x, y, channels, height, width);
    }

    /**
     * A seeded split into (train, validation): a shuffled {@code validationFraction} of the examples
     * goes to validation. The same seed gives the same split; checkpoints are selected on validation.
     */
    public ImageDataset[] splitValidation(double validationFraction, long seed) {
        int[] order = java.util.stream.IntStream.range(0, size()).toArray();
        java.util.Random r = new java.util.Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nVal = (int) Math.round(size() * validationFraction);
        return new ImageDataset[] {select(Arrays.copyOfRange(order, nVal, order.length)), select(Arrays.copyOfRange(order, 0, nVal))};
    }

    public ImageDataset subset(int from, int to) {
        int per = imageSize();
        return new ImageDataset(Arrays.copyOfRange(images, from * per, to * per), Arrays.copyOfRange(labels, from, to),
                channels, height, width);
    }
}
