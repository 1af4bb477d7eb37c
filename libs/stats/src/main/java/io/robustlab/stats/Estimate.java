package io.robustlab.stats;

/**
 * An estimated mean and the two parts of its variance: {@code seedVariance}, the squared standard
 * error from the spread between replicates (estimated, with {@code seedDf} degrees of freedom; NaN
 * from a single replicate, whose spread is unknown), and {@code samplingVariance}, known rather than
 * estimated (the binomial noise of a test set; infinitely many degrees of freedom).
 */
public record Estimate(double mean, double seedVariance, int seedDf, double samplingVariance) {

    /** A fixed level, such as chance accuracy: no uncertainty at all. */
    public static Estimate exact(double value) {
        return new Estimate(value, 0, 1, 0);
    }

    public double variance() {
        return seedVariance + samplingVariance;
    }

    public double standardError() {
        return Math.sqrt(variance());
    }

    /** The 95 % t interval of the mean (Welch-Satterthwaite degrees of freedom); null while the variance is unknown. */
    public Interval interval95() {
        if (Double.isNaN(variance())) {
            return null;
        }
        double half = Student.t975(Student.welchDf(this)) * standardError();
        return new Interval(mean - half, mean + half);
    }

    /** seedVariance^2 / seedDf: this estimate's term in the denominator of the Welch-Satterthwaite degrees of freedom. */
    double welchTerm() {
        return seedVariance == 0 ? 0 : seedVariance * seedVariance / seedDf;
    }
}
