package io.robustlab.ml.audit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.function.IntConsumer;

/**
 * For every example and every unit k of the model's representation layer, the clean value of
 * f_k(x) and the smallest and largest values PGD finds within the perturbation set.
 *
 * <p>Batched over features: the problems "minimise f_k" and "maximise f_k" are independent per
 * copy of an image, so one PGD run handles a block of images times a block of features at once.
 * Each image is repeated 2F times; copy j of it maximises w_j . g(x_j) with w_j = -e_k (minimise)
 * or +e_k (maximise). The summed loss's gradient for each copy is its own objective's gradient,
 * so a single forward-backward pass per step serves all 2F problems of all images in the block.
 * PGD keeps each copy's best iterate, and the clean image counts too, so lowest <= clean <= highest.
 */
public final class FeatureExtremes {

    /** N x K row-major arrays. */
    public record Values(float[] clean, float[] lowest, float[] highest, int features) {
    }

    private FeatureExtremes() {
    }

    /**
     * @param imagesPerPass   images per PGD run
     * @param featuresPerPass features per PGD run (each image is repeated twice this many times)
     * @param progress        called with the number of PGD runs done, out of {@link #passes}
     */
    public static Values measure(Classifier model, ImageDataset data, PgdSettings attack, int imagesPerPass, int featuresPerPass,
                                 IntConsumer progress) {
        DjlRuntime.noGradOnThisThread();
        int n = data.size();
        int features = representationSize(model, data);
        float[] clean = new float[n * features];
        float[] lowest = new float[n * features];
        float[] highest = new float[n * features];
        Batches batches = new Batches(data, imagesPerPass);
        int done = 0;
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, b, null, null);
                int from = b * imagesPerPass;
                float[] g = model.representation(batch.images(), false).toFloatArray();
                System.arraycopy(g, 0, clean, from * features, g.length);
                for (int k0 = 0; k0 < features; k0 += featuresPerPass) {
                    int f = Math.min(featuresPerPass, features - k0);
                    try (NDManager pass = scope.newSubManager()) {
                        float[] found = extremes(model, batch.images(), batch.size(), k0, f, features, attack, pass);
                        for (int i = 0; i < batch.size(); i++) {
                            for (int j = 0; j < f; j++) {
                                int at = (from + i) * features + k0 + j;
                                // The clean image is in the set too (it matters after a random start).
                                lowest[at] = Math.min(clean[at], found[i * 2 * f + j]);
                                highest[at] = Math.max(clean[at], found[i * 2 * f + f + j]);
                            }
                        }
                    }
                    progress.accept(++done);
                }
            }
        }
        return new Values(clean, lowest, highest, features);
    }

    /** How many PGD runs {@link #measure} makes. */
    public static int passes(int examples, int features, int imagesPerPass, int featuresPerPass) {
        return ((examples + imagesPerPass - 1) / imagesPerPass) * ((features + featuresPerPass - 1) / featuresPerPass);
    }

    /** The clean representation of every example, N x K row-major. */
    public static float[] representations(Classifier model, ImageDataset data, int batchSize) {
        DjlRuntime.noGradOnThisThread();
        int features = representationSize(model, data);
        float[] out = new float[data.size() * features];
        Batches batches = new Batches(data, batchSize);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                float[] g = model.representation(batches.get(scope, null, b, null, null).images(), false).toFloatArray();
                System.arraycopy(g, 0, out, b * batchSize * features, g.length);
            }
        }
        return out;
    }

    public static int representationSize(Classifier model, ImageDataset data) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray one = scope.zeros(new Shape(1, data.channels(), data.height(), data.width()));
            return (int) model.representation(one, false).getShape().get(1);
        }
    }

    /** For each image of the block, f values: the F lowest (features k0..k0+F-1), then the F highest. */
    private static float[] extremes(Classifier model, NDArray images, int b, int k0, int f, int features, PgdSettings attack,
                                    NDManager pass) {
        int copies = b * 2 * f;
        float[] w = new float[copies * features];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < 2 * f; j++) {
                int copy = i * 2 * f + j;
                w[copy * features + k0 + j % f] = j < f ? -1f : 1f;
            }
        }
        NDArray weights = pass.create(w, new Shape(copies, features));
        NDArray x0 = images.repeat(0, 2L * f);
        x0.attach(pass);
        AttackLoss objective = (m, x) -> m.representation(x, false).mul(weights).sum(new int[] {1});
        NDArray best = Pgd.attack(model, x0, objective, attack);
        return model.representation(best, false).mul(weights.abs()).sum(new int[] {1}).toFloatArray();
    }
}
