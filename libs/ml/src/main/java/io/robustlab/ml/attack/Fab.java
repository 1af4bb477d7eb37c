package io.robustlab.ml.attack;

import java.util.Arrays;

/**
 * One run of targeted FAB on a host batch (see {@link FabSettings}), started at the clean images
 * (as the standard evaluation runs it: deterministic, no random restart). Each step linearises
 * z_t - z_y at the current point, projects both the current point and the original onto that
 * hyperplane within [0,1] ({@link FabProjection}), and mixes the two; a point past the boundary is
 * recorded if it is the closest so far and pulled back towards the original.
 */
public final class Fab {

    /**
     * @param fooled      per example: a misclassified point within eps was found
     * @param adversarial per example: the closest such point, or the input
     * @param distance    per example: the distance of the closest misclassified point found (any size), +inf if none
     */
    public record Result(boolean[] fooled, float[] adversarial, float[] distance) {
    }

    private Fab() {
    }

    public static Result run(ModelQueries model, float[] x0, int[] labels, int[] targets, FabSettings s) {
        int n = labels.length;
        int d = model.dimension();
        Norm norm = s.norm();
        float[] x = x0.clone();
        float[] closest = x0.clone();
        float[] distance = new float[n];
        Arrays.fill(distance, Float.POSITIVE_INFINITY);
        LogitLoss boundary = LogitLoss.targetMargin(labels, targets);
        for (int it = 0; it < s.iterations(); it++) {
            ModelQueries.Evaluation e = model.evaluate(x, n, boundary);
            for (int i = 0; i < n; i++) {
                int from = i * d;
                // The linearised boundary at x: f + g . (z - x) = 0, i.e. g . z = g . x - f.
                double b = -e.loss()[i];
                for (int j = 0; j < d; j++) {
                    b += (double) e.gradient()[from + j] * x[from + j];
                }
                float[] fromHere = FabProjection.project(norm, x, from, e.gradient(), from, d, b);
                float[] fromOrigin = FabProjection.project(norm, x0, from, e.gradient(), from, d, b);
                float a1 = Math.max(norm.size(fromHere, 0, d), 1e-8f);
                float a2 = Math.max(norm.size(fromOrigin, 0, d), 1e-8f);
                float alpha = Math.min(Math.max(a1 / (a1 + a2), 0f), s.alphaMax());
                for (int j = 0; j < d; j++) {
                    float here = x[from + j] + s.eta() * fromHere[j];
                    float origin = x0[from + j] + s.eta() * fromOrigin[j];
                    x[from + j] = Norm.clip01(here * (1 - alpha) + origin * alpha);
                }
            }
            int[] predicted = model.predictions(model.logits(x, n), n);
            for (int i = 0; i < n; i++) {
                if (predicted[i] == labels[i]) {
                    continue;
                }
                int from = i * d;
                float t = norm.distance(x, x0, from, d);
                if (t < distance[i]) {
                    distance[i] = t;
                    System.arraycopy(x, from, closest, from, d);
                }
                for (int j = from; j < from + d; j++) {
                    x[j] = x0[j] + (x[j] - x0[j]) * s.beta();
                }
            }
        }
        boolean[] fooled = new boolean[n];
        float[] adversarial = x0.clone();
        for (int i = 0; i < n; i++) {
            fooled[i] = distance[i] <= s.eps();
            if (fooled[i]) {
                System.arraycopy(closest, i * d, adversarial, i * d, d);
            }
        }
        return new Result(fooled, adversarial, distance);
    }
}
