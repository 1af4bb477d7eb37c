package io.robustlab.ml.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Counts of (true class, predicted class); accuracy overall and per class follow from it. */
public final class Confusion {

    /** An off-diagonal cell: {@code count} images of class {@code truth} predicted as {@code predicted}, a share of their class. */
    public record Flow(int truth, int predicted, long count, double shareOfClass) {
    }

    private final long[][] counts;

    public Confusion(int classes) {
        this.counts = new long[classes][classes];
    }

    void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long n = total();
        return n == 0 ? 0 : (double) correct / n;
    }

    public double[] perClassAccuracy() {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            long row = 0;
            for (long c : counts[i]) {
                row += c;
            }
            out[i] = row == 0 ? Double.NaN : (double) counts[i][i] / row;
        }
        return out;
    }

    /** The {@code limit} largest off-diagonal cells, largest first (ties: by true, then predicted class); empty cells never. */
    public List<Flow> flows(int limit) {
        List<Flow> all = new ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            long row = 0;
            for (long c : counts[t]) {
                row += c;
            }
            for (int p = 0; p < counts.length; p++) {
                if (p != t && counts[t][p] > 0) {
                    all.add(new Flow(t, p, counts[t][p], (double) counts[t][p] / row));
                }
            }
        }
        all.sort(Comparator.comparingLong(Flow::count).reversed().thenComparingInt(Flow::truth).thenComparingInt(Flow::predicted));
        return all.subList(0, Math.min(limit, all.size()));
    }

    public long[][] matrix() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }
}
