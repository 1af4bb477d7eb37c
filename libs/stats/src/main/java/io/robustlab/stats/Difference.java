package io.robustlab.stats;

/**
 * The difference of two independent estimates, a - b, tested as Welch's t test does: {@code t} is the
 * difference over its standard error, significant at the two-sided 5 % level beyond the t quantile
 * for Welch-Satterthwaite degrees of freedom. Unknown (NaN) while either spread is unknown.
 */
public record Difference(double estimate, double standardError, double df) {

    public static Difference between(Estimate a, Estimate b) {
        return new Difference(a.mean() - b.mean(), Math.sqrt(a.variance() + b.variance()), Student.welchDf(a, b));
    }

    /** Standard errors above zero; infinite (signed) when a difference has no uncertainty, 0 for none. */
    public double t() {
        if (standardError == 0) {
            return estimate == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, estimate);
        }
        return estimate / standardError;
    }

    public double critical() {
        return Student.t975(df);
    }

    public boolean known() {
        return !Double.isNaN(t());
    }

    /** a is above b at the 5 % level. */
    public boolean significantlyAbove() {
        return t() > critical();
    }

    /** a is below b at the 5 % level. */
    public boolean significantlyBelow() {
        return t() < -critical();
    }
}
