package io.robustlab.stats;

/** Student's t distribution: the quantile a 95 % two-sided interval or test needs, and Welch's degrees of freedom. */
public final class Student {

    private Student() {
    }

    /**
     * The 0.975 quantile for {@code df} degrees of freedom: tabulated for whole df to 30, then the
     * Cornish-Fisher expansion to second order (2.0394 at 31 df against 2.0395); a fractional df is
     * rounded down (the wider, safer quantile), infinite df gives the normal's 1.96, NaN gives NaN.
     */
    public static double t975(double df) {
        if (Double.isNaN(df)) {
            return Double.NaN;
        }
        if (Double.isInfinite(df)) {
            return Proportion.Z95;
        }
        int whole = Math.max(1, (int) Math.floor(df));
        if (whole <= T975.length) {
            return T975[whole - 1];
        }
        double z = Proportion.Z95;
        double z3 = z * z * z;
        return z + (z3 + z) / (4.0 * whole) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96.0 * whole * whole);
    }

    /** Welch-Satterthwaite degrees of freedom of the sum of independent estimates' variances; infinite when none is estimated. */
    static double welchDf(Estimate... estimates) {
        double variance = 0;
        double terms = 0;
        for (Estimate e : estimates) {
            variance += e.variance();
            terms += e.welchTerm();
        }
        return terms == 0 ? Double.POSITIVE_INFINITY : variance * variance / terms;
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
}
