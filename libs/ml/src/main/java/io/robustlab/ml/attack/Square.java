package io.robustlab.ml.attack;

import java.util.SplittableRandom;

/**
 * The Square attack on a host batch (see {@link SquareSettings}). It only reads logits: the loss it
 * lowers is the margin z_y - max_{i != y} z_i, and a change is kept when it lowers the margin or
 * misclassifies. Examples leave the batch as soon as they are misclassified, so the query count is
 * what it costs per image. Within an iteration all examples share the window's position (as in the
 * published implementation); the L2 attack draws its signs per example and channel, the Linf attack
 * per channel, shared by the batch (as published too).
 */
public final class Square {

    /**
     * @param fooled      per example: misclassified within eps
     * @param adversarial per example: the best point found (misclassified if fooled), always inside the ball
     */
    public record Result(boolean[] fooled, float[] adversarial) {
    }

    private final ModelQueries model;
    private final SquareSettings s;
    private final SplittableRandom random;
    private final int channels;
    private final int height;
    private final int width;

    private Square(ModelQueries model, SquareSettings s, SplittableRandom random, int channels, int height, int width) {
        this.model = model;
        this.s = s;
        this.random = random;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** @param shape channels, height, width of the images */
    public static Result run(ModelQueries model, float[] x0, int[] labels, int[] shape, SquareSettings s, SplittableRandom random) {
        return new Square(model, s, random, shape[0], shape[1], shape[2]).attack(x0, labels);
    }

    private Result attack(float[] x0, int[] labels) {
        int n = labels.length;
        int d = channels * height * width;
        float[] best = s.norm() == Norm.LINF ? linfStart(x0, n) : l2Start(x0, n);
        float[] margin = margins(best, labels, allOf(n));
        float[] candidate = new float[n * d];
        for (int q = 0; q < s.queries(); q++) {
            int[] active = activeExamples(margin);
            if (active.length == 0) {
                break;
            }
            if (s.norm() == Norm.LINF) {
                linfCandidates(x0, best, active, q, candidate);
            } else {
                l2Candidates(x0, best, active, q, candidate);
            }
            float[] newMargin = margins(candidate, labels, active);
            for (int a = 0; a < active.length; a++) {
                int i = active[a];
                if (newMargin[a] < margin[i] || newMargin[a] <= 0) {
                    margin[i] = newMargin[a];
                    System.arraycopy(candidate, a * d, best, i * d, d);
                }
            }
        }
        int[] predicted = model.predictions(model.logits(best, n), n);
        boolean[] fooled = new boolean[n];
        for (int i = 0; i < n; i++) {
            fooled[i] = predicted[i] != labels[i];
        }
        return new Result(fooled, best);
    }

    /** Vertical stripes of +-eps, one sign per (example, channel, column). */
    private float[] linfStart(float[] x0, int n) {
        float[] x = new float[x0.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int col = 0; col < width; col++) {
                    float shift = s.eps() * sign();
                    for (int row = 0; row < height; row++) {
                        int at = index(i, c, row, col);
                        x[at] = Norm.clip01(x0[at] + shift);
                    }
                }
            }
        }
        return x;
    }

    /** One window, shared by the batch, set to x0 +- eps with one sign per channel (shared too, as published). */
    private void linfCandidates(float[] x0, float[] best, int[] active, int query, float[] out) {
        int side = Math.min(Math.max((int) Math.rint(Math.sqrt(s.share(query) * height * width)), 1), Math.min(height, width));
        int top = randomInt(height - side);
        int left = randomInt(width - side);
        float[] signs = new float[channels];
        for (int c = 0; c < channels; c++) {
            signs[c] = sign();
        }
        int d = channels * height * width;
        for (int a = 0; a < active.length; a++) {
            int i = active[a];
            System.arraycopy(best, i * d, out, a * d, d);
            for (int c = 0; c < channels; c++) {
                for (int row = top; row < top + side; row++) {
                    for (int col = left; col < left + side; col++) {
                        int src = index(i, c, row, col);
                        out[a * d + (src - i * d)] = Norm.clip01(x0[src] + s.eps() * signs[c]);
                    }
                }
            }
        }
    }

    /** A 5 x 5 grid of tiles, each a signed pair of centred rectangles (see {@link #tile}), scaled to the sphere of radius eps. */
    private float[] l2Start(float[] x0, int n) {
        int d = channels * height * width;
        float[] delta = new float[x0.length];
        int side = height / 5;
        int offset = (height - side * 5) / 2;
        for (int tr = 0, top = offset; tr < height / side; tr++, top += side) {
            for (int tc = 0, left = offset; tc < width / side; tc++, left += side) {
                double[][] pattern = tile(side);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < channels; c++) {
                        float sign = sign();
                        for (int r = 0; r < side && top + r < height; r++) {
                            for (int q = 0; q < side && left + q < width; q++) {
                                delta[index(i, c, top + r, left + q)] += (float) (sign * pattern[r][q]);
                            }
                        }
                    }
                }
            }
        }
        float[] x = new float[x0.length];
        for (int i = 0; i < n; i++) {
            float scale = s.eps() / (Norm.L2.size(delta, i * d, d) + 1e-12f);
            for (int j = i * d; j < (i + 1) * d; j++) {
                x[j] = Norm.clip01(x0[j] + delta[j] * scale);
            }
        }
        return x;
    }

    /**
     * Moves the perturbation's mass from a second random window into the first, where a new signed
     * tile is added to the window's (normalised) old content; the window then carries its old energy
     * plus what the eps-sphere has left, and the whole perturbation is rescaled to radius eps.
     */
    private void l2Candidates(float[] x0, float[] best, int[] active, int query, float[] out) {
        int side = Math.max((int) Math.rint(Math.sqrt(s.share(query) * height * width)), 3);
        if (side % 2 == 0) {
            side++;
        }
        side = Math.min(side, Math.min(height, width));
        int top = randomInt(height - side);
        int left = randomInt(width - side);
        int top2 = randomInt(height - side);
        int left2 = randomInt(width - side);
        double[][] pattern = tile(side);
        int d = channels * height * width;
        float[] delta = new float[d];
        for (int a = 0; a < active.length; a++) {
            int i = active[a];
            for (int j = 0; j < d; j++) {
                delta[j] = best[i * d + j] - x0[i * d + j];
            }
            double imageNorm2 = square(Norm.L2.size(delta, 0, d));
            for (int c = 0; c < channels; c++) {
                double window = 0;
                double windows = 0;
                for (int row = 0; row < height; row++) {
                    for (int col = 0; col < width; col++) {
                        boolean in1 = inside(row, col, top, left, side);
                        boolean in2 = inside(row, col, top2, left2, side);
                        double v = delta[local(c, row, col)];
                        window += in1 ? v * v : 0;
                        windows += in1 || in2 ? v * v : 0;
                    }
                }
                double windowNorm = Math.sqrt(window);
                float sign = sign();
                double[][] fresh = new double[side][side];
                double freshNorm2 = 0;
                for (int r = 0; r < side; r++) {
                    for (int q = 0; q < side; q++) {
                        fresh[r][q] = sign * pattern[r][q] + delta[local(c, top + r, left + q)] / (1e-12 + windowNorm);
                        freshNorm2 += fresh[r][q] * fresh[r][q];
                    }
                }
                double target = Math.sqrt(Math.max(square(s.eps()) - imageNorm2, 0) / channels + windows);
                double scale = target / (1e-12 + Math.sqrt(freshNorm2));
                for (int r = 0; r < side; r++) {
                    for (int q = 0; q < side; q++) {
                        delta[local(c, top2 + r, left2 + q)] = 0;
                    }
                }
                for (int r = 0; r < side; r++) {
                    for (int q = 0; q < side; q++) {
                        delta[local(c, top + r, left + q)] = (float) (fresh[r][q] * scale);
                    }
                }
            }
            float rescale = s.eps() / (Norm.L2.size(delta, 0, d) + 1e-12f);
            for (int j = 0; j < d; j++) {
                out[a * d + j] = Norm.clip01(x0[i * d + j] + delta[j] * rescale);
            }
        }
    }

    /**
     * The L2 attack's square pattern: its top half a stack of centred rectangles weighted 1/k^2, its
     * bottom half the same negated, normalised to unit L2 norm and transposed with probability 1/2.
     */
    private double[][] tile(int side) {
        double[][] out = new double[side][side];
        double[][] upper = rectangles(side / 2, side);
        double[][] lower = rectangles(side - side / 2, side);
        for (int r = 0; r < side; r++) {
            out[r] = r < side / 2 ? upper[r].clone() : negated(lower[r - side / 2]);
        }
        normalise(out);
        if (random.nextDouble() > 0.5) {
            double[][] t = new double[side][side];
            for (int r = 0; r < side; r++) {
                for (int q = 0; q < side; q++) {
                    t[q][r] = out[r][q];
                }
            }
            return t;
        }
        return out;
    }

    private static double[][] rectangles(int rows, int cols) {
        double[][] out = new double[rows][cols];
        int r0 = rows / 2;
        int c0 = cols / 2;
        for (int k = 0; k < Math.max(rows / 2 + 1, cols / 2 + 1); k++, r0--, c0--) {
            for (int r = Math.max(r0, 0); r < Math.min(r0 + 2 * k + 1, rows); r++) {
                for (int c = Math.max(c0, 0); c < Math.min(c0 + 2 * k + 1, cols); c++) {
                    out[r][c] += 1.0 / ((k + 1) * (k + 1));
                }
            }
        }
        normalise(out);
        return out;
    }

    private static void normalise(double[][] m) {
        double sum = 0;
        for (double[] row : m) {
            for (double v : row) {
                sum += v * v;
            }
        }
        double norm = Math.sqrt(sum);
        for (double[] row : m) {
            for (int q = 0; q < row.length; q++) {
                row[q] /= norm;
            }
        }
    }

    private static double[] negated(double[] row) {
        double[] out = new double[row.length];
        for (int q = 0; q < row.length; q++) {
            out[q] = -row[q];
        }
        return out;
    }

    private float[] margins(float[] x, int[] labels, int[] rows) {
        int classes = model.classes();
        float[] logits = model.logits(x, rows.length);
        float[] out = new float[rows.length];
        for (int a = 0; a < rows.length; a++) {
            int y = labels[rows[a]];
            float other = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (k != y) {
                    other = Math.max(other, logits[a * classes + k]);
                }
            }
            out[a] = logits[a * classes + y] - other;
        }
        return out;
    }

    private static int[] activeExamples(float[] margin) {
        return java.util.stream.IntStream.range(0, margin.length).filter(i -> margin[i] > 0).toArray();
    }

    private static int[] allOf(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private static boolean inside(int row, int col, int top, int left, int side) {
        return row >= top && row < top + side && col >= left && col < left + side;
    }

    private static double square(double v) {
        return v * v;
    }

    /** An integer in [0, bound), or 0 when bound is 0 (the window fills the image). */
    private int randomInt(int bound) {
        return bound <= 0 ? 0 : random.nextInt(bound);
    }

    private float sign() {
        return random.nextBoolean() ? 1f : -1f;
    }

    private int index(int example, int c, int row, int col) {
        return ((example * channels + c) * height + row) * width + col;
    }

    private int local(int c, int row, int col) {
        return (c * height + row) * width + col;
    }
}
