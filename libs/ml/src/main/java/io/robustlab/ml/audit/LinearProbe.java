package io.robustlab.ml.audit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.Random;

/**
 * A softmax classifier on a chosen subset of a model's representation units (standardised), the
 * rest of the model frozen: the paper's test of whether a set of features suffices for
 * classification, and how robust a classifier built on only those features is. Trained on the host
 * (the inputs are a few hundred numbers per example) with seeded mini-batch SGD; evaluated through
 * the model, so PGD attacks the image, not the features.
 */
public final class LinearProbe {

    private final int[] selected;
    private final float[] mean;
    private final float[] std;
    private final float[] weight; // S x C
    private final float[] bias;
    private final int classes;

    private LinearProbe(int[] selected, float[] mean, float[] std, float[] weight, float[] bias, int classes) {
        this.selected = selected;
        this.mean = mean;
        this.std = std;
        this.weight = weight;
        this.bias = bias;
        this.classes = classes;
    }

    /**
     * @param representations N x K clean representation values, row-major
     * @param selected        the units the probe may use (non-empty)
     */
    public static LinearProbe train(float[] representations, int features, int[] labels, int classes, int[] selected, int epochs,
                                    float learningRate, long seed) {
        int n = labels.length;
        int s = selected.length;
        float[] mean = new float[s];
        float[] std = new float[s];
        for (int j = 0; j < s; j++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double v = representations[i * features + selected[j]];
                sum += v;
                sq += v * v;
            }
            mean[j] = (float) (sum / n);
            std[j] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq / n - mean[j] * (double) mean[j])));
        }
        float[] x = new float[n * s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                x[i * s + j] = (representations[i * features + selected[j]] - mean[j]) / std[j];
            }
        }
        float[] w = new float[s * classes];
        float[] b = new float[classes];
        Random random = new Random(seed);
        int batch = 128;
        float[] p = new float[classes];
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = Batches.shuffled(n, random);
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                float[] gw = new float[w.length];
                float[] gb = new float[classes];
                for (int t = from; t < to; t++) {
                    int i = order[t];
                    softmax(x, i * s, s, w, b, p);
                    p[labels[i]] -= 1;
                    for (int c = 0; c < classes; c++) {
                        gb[c] += p[c];
                        for (int j = 0; j < s; j++) {
                            gw[j * classes + c] += p[c] * x[i * s + j];
                        }
                    }
                }
                float step = learningRate / (to - from);
                for (int q = 0; q < w.length; q++) {
                    w[q] -= step * gw[q];
                }
                for (int c = 0; c < classes; c++) {
                    b[c] -= step * gb[c];
                }
            }
        }
        return new LinearProbe(selected.clone(), mean, std, w, b, classes);
    }

    private static void softmax(float[] x, int offset, int s, float[] w, float[] b, float[] out) {
        int classes = b.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = b[c];
            for (int j = 0; j < s; j++) {
                z += x[offset + j] * w[j * classes + c];
            }
            out[c] = (float) z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = (float) Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= (float) sum;
        }
    }

    /** The probe's class scores for a batch of images, through the model's representation. */
    NDArray logits(Classifier model, NDArray images) {
        NDManager m = images.getManager();
        NDArray g = model.representation(images, false);
        int features = (int) g.getShape().get(1);
        // Picking the units as a product with a 0/1 matrix keeps the gradient path plain.
        float[] pick = new float[features * selected.length];
        for (int j = 0; j < selected.length; j++) {
            pick[selected[j] * selected.length + j] = 1f;
        }
        NDArray z = g.matMul(m.create(pick, new Shape(features, selected.length))).sub(m.create(mean)).div(m.create(std));
        return z.matMul(m.create(weight, new Shape(selected.length, classes))).add(m.create(bias));
    }

    /** Accuracy on clean images ({@code attack} null) or under PGD against the model-plus-probe. */
    public double accuracy(Classifier model, ImageDataset data, PgdSettings attack, int batchSize) {
        DjlRuntime.noGradOnThisThread();
        Batches batches = new Batches(data, batchSize);
        long correct = 0;
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, b, null, null);
                NDArray labels = batch.labels();
                NDArray x = attack == null ? batch.images()
                        : Pgd.attack(model, batch.images(), (m, images) -> AttackLoss.crossEntropy(logits(m, images), labels), attack);
                int[] predicted = logits(model, x).argMax(1).toType(DataType.INT32, false).toIntArray();
                int[] truth = labels.toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == truth[i] ? 1 : 0;
                }
            }
        }
        return data.size() == 0 ? Double.NaN : (double) correct / data.size();
    }
}
