package io.robustlab.ml.attack;

import java.util.Arrays;

/**
 * The smallest step, in the L2 or Linf norm, from a point t of the box [0,1]^D onto the hyperplane
 * w . z = b, staying in the box: the projection FAB takes towards its linearised decision boundary.
 * Solved exactly: after orienting w so that t must lower w . z by c >= 0, the optimal step moves
 * each coordinate against the sign of w_i, by min(lambda |w_i|, cap_i) (L2) or min(delta, cap_i)
 * (Linf), where cap_i is the distance to the box's face; the total decrease is piecewise linear
 * and increasing in lambda (delta), so one sort of the breakpoints finds it. When even the box's
 * far corner does not reach the hyperplane, the step goes to that corner.
 */
final class FabProjection {

    private FabProjection() {
    }

    /** The step d (length D) from {@code t[from, from + D)}: w . (t + d) = b, 0 <= t + d <= 1, ||d|| smallest. */
    static float[] project(Norm norm, float[] t, int from, float[] w, int wFrom, int dim, double b) {
        double c = -b;
        for (int i = 0; i < dim; i++) {
            c += (double) w[wFrom + i] * t[from + i];
        }
        double orientation = c >= 0 ? 1 : -1;
        c *= orientation;
        boolean l2 = norm != Norm.LINF;
        // Per coordinate: the weight |w_i|, how far it can move (cap_i) and the lambda at which it stops.
        double[] weight = new double[dim];
        double[] cap = new double[dim];
        double[] breakpoint = new double[dim];
        int[] order = new int[dim];
        int active = 0;
        for (int i = 0; i < dim; i++) {
            double wi = w[wFrom + i] * orientation;
            double ti = t[from + i];
            if (l2 ? Math.abs(wi) < 1e-8 : wi == 0) {
                continue;
            }
            weight[active] = Math.abs(wi);
            cap[active] = wi > 0 ? ti : 1 - ti;
            breakpoint[active] = l2 ? cap[active] / weight[active] : cap[active];
            order[active] = i;
            active++;
        }
        float[] d = new float[dim];
        if (c == 0 || active == 0) {
            return d;
        }
        int[] sorted = sortedBy(breakpoint, active);
        // Sweep the breakpoints: below breakpoint k the coordinates before k are saturated.
        double saturated = 0;
        double slope = 0;
        for (int k = 0; k < active; k++) {
            slope += l2 ? weight[k] * weight[k] : weight[k];
        }
        double lambda = Double.NaN;
        for (int k = 0; k < active; k++) {
            int j = sorted[k];
            double reach = saturated + breakpoint[j] * slope;
            if (reach >= c) {
                // Rounding can leave saturated just above c: the step never goes the wrong way.
                lambda = Math.max(0, (c - saturated) / slope);
                break;
            }
            saturated += weight[j] * cap[j];
            slope -= l2 ? weight[j] * weight[j] : weight[j];
        }
        for (int k = 0; k < active; k++) {
            int i = order[k];
            double wi = w[wFrom + i] * orientation;
            double move = Double.isNaN(lambda) ? cap[k] : Math.min(l2 ? lambda * weight[k] : lambda, cap[k]);
            d[i] = (float) (wi > 0 ? -move : move);
        }
        return d;
    }

    private static final int INDEX_BITS = 18;

    /**
     * The indices 0..count-1 ordered by their (non-negative) keys. The keys' bit patterns order like
     * the keys, so each is packed with its index into one long and a primitive sort does the work
     * (about ten times faster than sorting boxed indices; the lowest 18 mantissa bits give way).
     */
    private static int[] sortedBy(double[] key, int count) {
        if (count > 1 << INDEX_BITS) {
            throw new IllegalArgumentException("FAB's projection handles at most " + (1 << INDEX_BITS) + " input values, got " + count);
        }
        long mask = (1L << INDEX_BITS) - 1;
        long[] packed = new long[count];
        for (int k = 0; k < count; k++) {
            packed[k] = (Double.doubleToLongBits(Math.max(0.0, key[k]) + 0.0) & ~mask) | k;
        }
        Arrays.sort(packed);
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = (int) (packed[k] & mask);
        }
        return out;
    }
}
