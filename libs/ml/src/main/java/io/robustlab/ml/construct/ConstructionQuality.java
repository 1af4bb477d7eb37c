package io.robustlab.ml.construct;

/**
 * Quality figures of a construction, kept as sums so that shards add up exactly: for rand/det the
 * attack's success on the source model and the L2 perturbation norms; for robust/nonrobust the
 * final representation distance relative to the starting one.
 */
public record ConstructionQuality(long count, double successes, double normSum, double normMax, double relativeDistanceSum) {

    public static final ConstructionQuality EMPTY = new ConstructionQuality(0, 0, 0, 0, 0);

    public ConstructionQuality plus(ConstructionQuality o) {
        return new ConstructionQuality(count + o.count, successes + o.successes, normSum + o.normSum, Math.max(normMax, o.normMax),
                relativeDistanceSum + o.relativeDistanceSum);
    }

    public double successRate() {
        return count == 0 ? 0 : successes / count;
    }

    public double meanNorm() {
        return count == 0 ? 0 : normSum / count;
    }

    public double meanRelativeDistance() {
        return count == 0 ? 0 : relativeDistanceSum / count;
    }
}
