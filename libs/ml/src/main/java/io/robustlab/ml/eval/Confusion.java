package io.robustlab.ml.eval;

/** Counts of (true class, predicted class); accuracy overall and per class follow from it. */
public final class Confusion {

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

    public long[][] matrix() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }
}
