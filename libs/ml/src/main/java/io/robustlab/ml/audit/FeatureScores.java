package io.robustlab.ml.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's definitions applied to measured values (pure arithmetic, no model). For feature k,
 * standardised on the audited data, and class c with one-vs-rest labels y in {-1, +1}:
 * usefulness rho = mean of y f(x), robust usefulness gamma = mean of y f(x + delta) at the worst
 * delta of the perturbation set. A feature may be useful either way round (f or -f), so each
 * (feature, class) pair is scored in the orientation that makes rho non-negative; the worst case of
 * -f is the negated best case of f, so both extremes of each feature are measured.
 */
public final class FeatureScores {

    public enum Category {
        /** rho >= rho threshold and gamma >= gamma threshold. */
        ROBUST_USEFUL,
        /** rho >= rho threshold, gamma below its threshold: a perturbation in the set undoes it. */
        USEFUL_NON_ROBUST,
        /** rho below its threshold (or a constant feature). */
        NOT_USEFUL;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One (feature, class) pair. {@code orientation} is +1 when f itself is scored, -1 for -f. */
    public record Score(int feature, int clazz, int orientation, double rho, double gamma, Category category) {
    }

    public record Thresholds(double rho, double gamma) {
    }

    private FeatureScores() {
    }

    /**
     * @param clean  N x K clean feature values, row-major
     * @param lowest N x K smallest value found in each example's perturbation set
     * @param highest N x K largest value found
     */
    public static List<Score> score(float[] clean, float[] lowest, float[] highest, int[] labels, int classes, int features,
                                    Thresholds t) {
        int n = labels.length;
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < features; k++) {
                mean[k] += clean[i * features + k];
            }
        }
        for (int k = 0; k < features; k++) {
            mean[k] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < features; k++) {
                double d = clean[i * features + k] - mean[k];
                std[k] += d * d;
            }
        }
        List<Score> out = new ArrayList<>(features * classes);
        for (int k = 0; k < features; k++) {
            std[k] = Math.sqrt(std[k] / n);
            for (int c = 0; c < classes; c++) {
                if (std[k] < 1e-8) {
                    out.add(new Score(k, c, 1, 0, 0, Category.NOT_USEFUL)); // a constant carries no information
                    continue;
                }
                double rho = 0;
                double worstOfF = 0;
                double worstOfMinusF = 0;
                for (int i = 0; i < n; i++) {
                    int y = labels[i] == c ? 1 : -1;
                    int at = i * features + k;
                    rho += y * (clean[at] - mean[k]) / std[k];
                    // y f is smallest at f's lowest value when y = +1 and at its highest when y = -1; for -f the reverse.
                    worstOfF += y > 0 ? (lowest[at] - mean[k]) / std[k] : -(highest[at] - mean[k]) / std[k];
                    worstOfMinusF += y > 0 ? -(highest[at] - mean[k]) / std[k] : (lowest[at] - mean[k]) / std[k];
                }
                rho /= n;
                int orientation = rho >= 0 ? 1 : -1;
                double r = Math.abs(rho);
                double gamma = (orientation > 0 ? worstOfF : worstOfMinusF) / n;
                Category category = r < t.rho() ? Category.NOT_USEFUL
                        : gamma >= t.gamma() ? Category.ROBUST_USEFUL : Category.USEFUL_NON_ROBUST;
                out.add(new Score(k, c, orientation, r, gamma, category));
            }
        }
        return out;
    }
}
