package io.robustlab.ml.data;

import io.robustlab.data.ImageDataset;

/**
 * Per-channel mean and standard deviation of a set of images: the normalisation a model applies
 * inside itself, so that it takes [0,1] images. The deviation is at least 1e-6 (a constant channel
 * would otherwise divide by zero).
 */
public record ChannelStatistics(float[] mean, float[] std) {

    public static ChannelStatistics of(ImageDataset data) {
        int c = data.channels();
        int plane = data.height() * data.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        float[] x = data.images();
        for (int i = 0; i < data.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    double v = x[base + p];
                    sum[ch] += v;
                    sumSq[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = (double) data.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (float) (sum[ch] / n);
            std[ch] = (float) Math.max(1e-6, Math.sqrt(sumSq[ch] / n - mean[ch] * (double) mean[ch]));
        }
        return new ChannelStatistics(mean, std);
    }
}
