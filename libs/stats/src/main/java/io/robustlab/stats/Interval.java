package io.robustlab.stats;

/** A confidence interval [low, high]. */
public record Interval(double low, double high) {

    public Interval {
        if (low > high) {
            throw new IllegalArgumentException("low " + low + " > high " + high);
        }
    }

    public boolean contains(double v) {
        return v >= low && v <= high;
    }
}
