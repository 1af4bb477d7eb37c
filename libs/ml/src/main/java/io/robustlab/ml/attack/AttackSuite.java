package io.robustlab.ml.attack;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.model.Classifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a {@link SuiteSettings suite} of attacks over a data set the way the AutoAttack standard
 * evaluation does: each attack only on the points every earlier attack left robust, in batches,
 * and a point counts as robust only if it is classified correctly and no attack found a
 * misclassified point within eps (the per-point worst case). Every attack's randomness comes from
 * one seed, split per batch in a fixed order, so the same seed, data and batch size repeat a run.
 */
public final class AttackSuite {

    /** After one attack of the suite: how many points stay robust and what it cost. */
    public record Stage(SuiteAttack attack, int robustAfter, int broken, long forwards, long backwards, double seconds) {
    }

    /**
     * The suite's outcome, per point and overall.
     *
     * @param brokenBy        per point: the index in {@code stages} of the attack that broke it, -1 if robust or
     *                        misclassified clean
     * @param adversarial     per point: the class predicted on the point the breaking attack found (the clean
     *                        prediction otherwise)
     * @param distance        per point: the norm of that point's perturbation (0 when not broken)
     * @param zeroGradient    points whose cross-entropy gradient was exactly zero at APGD-CE's start
     * @param lateApgdFinds   points APGD-CE first broke in the second half of its iterations
     */
    public record Outcome(SuiteSettings settings, long seed, int[] labels, int[] clean, List<Stage> stages, int[] brokenBy,
                          int[] adversarial, float[] distance, int zeroGradient, int lateApgdFinds) {

        public int examples() {
            return labels.length;
        }

        public int cleanCorrect() {
            int c = 0;
            for (int i = 0; i < labels.length; i++) {
                c += clean[i] == labels[i] ? 1 : 0;
            }
            return c;
        }

        public int robust() {
            return stages.isEmpty() ? cleanCorrect() : stages.get(stages.size() - 1).robustAfter();
        }

        /**
         * One row per point: its index, true and clean-predicted class, outcome ({@code misclassified},
         * {@code robust} or {@code broken}), the attack that broke it, the class predicted there and the
         * perturbation's size in the suite's norm.
         */
        public String csv() {
            StringBuilder out = new StringBuilder("index,label,clean_prediction,outcome,broken_by,adversarial_prediction,distance\n");
            for (int i = 0; i < labels.length; i++) {
                String outcome = clean[i] != labels[i] ? "misclassified" : brokenBy[i] < 0 ? "robust" : "broken";
                String by = brokenBy[i] < 0 ? "" : stages.get(brokenBy[i]).attack().apiName();
                out.append(i).append(',').append(labels[i]).append(',').append(clean[i]).append(',').append(outcome).append(',')
                        .append(by).append(',').append(adversarial[i]).append(',').append(brokenBy[i] < 0 ? "" : Float.toString(distance[i]))
                        .append('\n');
            }
            return out.toString();
        }

        /** The robust points left after the given attack of the suite ran, or -1 if the suite had no such attack. */
        public int robustAfter(SuiteAttack attack) {
            return stages.stream().filter(s -> s.attack() == attack).mapToInt(Stage::robustAfter).findFirst().orElse(-1);
        }
    }

    /** Called after every batch: the attack running, points of it done, points it attacks. */
    @FunctionalInterface
    public interface Progress {
        void update(SuiteAttack attack, int done, int total);
    }

    private final ModelQueries model;
    private final ImageDataset data;
    private final SuiteSettings s;
    private final int batchSize;
    private final Progress progress;
    private final SplittableRandom random;

    private AttackSuite(ModelQueries model, ImageDataset data, SuiteSettings s, long seed, int batchSize, Progress progress) {
        this.model = model;
        this.data = data;
        this.s = s;
        this.batchSize = batchSize;
        this.progress = progress;
        this.random = new SplittableRandom(seed);
    }

    public static Outcome run(Classifier classifier, ImageDataset data, SuiteSettings s, long seed, int batchSize, Progress progress) {
        try (ModelQueries model = ModelQueries.of(classifier)) {
            return run(model, data, s, seed, batchSize, progress);
        }
    }

    public static Outcome run(ModelQueries model, ImageDataset data, SuiteSettings s, long seed, int batchSize, Progress progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        return new AttackSuite(model, data, s, seed, batchSize, progress).outcome(seed);
    }

    private Outcome outcome(long seed) {
        int n = data.size();
        int d = data.imageSize();
        int[] labels = data.labels();
        float[] cleanLogits = new float[n * model.classes()];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            float[] z = model.logits(Arrays.copyOfRange(data.images(), from * d, to * d), to - from);
            System.arraycopy(z, 0, cleanLogits, from * model.classes(), z.length);
        }
        int[] clean = model.predictions(cleanLogits, n);
        int[] brokenBy = new int[n];
        Arrays.fill(brokenBy, -1);
        int[] adversarial = clean.clone();
        float[] distance = new float[n];
        boolean[] robust = new boolean[n];
        for (int i = 0; i < n; i++) {
            robust[i] = clean[i] == labels[i];
        }
        List<Stage> stages = new ArrayList<>();
        int zeroGradient = 0;
        int late = 0;
        for (SuiteAttack attack : s.attacks()) {
            long start = System.nanoTime();
            long forwards = model.forwards();
            long backwards = model.backwards();
            int broken = 0;
            int rounds = attack == SuiteAttack.APGD_T || attack == SuiteAttack.FAB_T ? Math.min(s.targets(), model.classes() - 1) : 1;
            for (int round = 0; round < rounds; round++) {
                int rank = round + 2;
                int[] points = indicesOf(robust);
                for (int from = 0; from < points.length; from += batchSize) {
                    int[] batch = Arrays.copyOfRange(points, from, Math.min(points.length, from + batchSize));
                    float[] x0 = gather(batch, d);
                    int[] y = Arrays.stream(batch).map(i -> labels[i]).toArray();
                    int[] targets = Arrays.stream(batch).map(i -> rankedClass(cleanLogits, i, rank)).toArray();
                    Found found = attack(attack, x0, y, targets);
                    for (int b = 0; b < batch.length; b++) {
                        if (!found.fooled[b]) {
                            continue;
                        }
                        int i = batch[b];
                        robust[i] = false;
                        brokenBy[i] = stages.size();
                        distance[i] = s.norm().distance(found.points, x0, b * d, d);
                        broken++;
                    }
                    int[] predicted = model.predictions(model.logits(found.points, batch.length), batch.length);
                    for (int b = 0; b < batch.length; b++) {
                        if (found.fooled[b]) {
                            adversarial[batch[b]] = predicted[b];
                        }
                    }
                    zeroGradient += found.zeroGradient;
                    late += found.late;
                    progress.update(attack, round * points.length + from + batch.length, rounds * points.length);
                }
            }
            stages.add(new Stage(attack, indicesOf(robust).length, broken, model.forwards() - forwards, model.backwards() - backwards,
                    (System.nanoTime() - start) / 1e9));
        }
        return new Outcome(s, seed, labels.clone(), clean, List.copyOf(stages), brokenBy, adversarial, distance, zeroGradient, late);
    }

    /** What one attack found on one batch. */
    private record Found(boolean[] fooled, float[] points, int zeroGradient, int late) {
    }

    private Found attack(SuiteAttack attack, float[] x0, int[] y, int[] targets) {
        SplittableRandom batchRandom = random.split();
        return switch (attack) {
            case APGD_CE -> {
                Apgd.Result r = Apgd.run(model, x0, y, LogitLoss.crossEntropy(y), s.apgd(), batchRandom);
                int zero = 0;
                int late = 0;
                for (int b = 0; b < y.length; b++) {
                    zero += r.zeroGradient()[b] ? 1 : 0;
                    late += r.fooledAt()[b] > s.apgdIterations() / 2 ? 1 : 0;
                }
                yield new Found(r.fooled(), r.adversarial(), zero, late);
            }
            case APGD_T -> {
                Apgd.Result r = Apgd.run(model, x0, y, LogitLoss.targetedDlr(y, targets), s.apgd(), batchRandom);
                yield new Found(r.fooled(), r.adversarial(), 0, 0);
            }
            case FAB_T -> {
                Fab.Result r = Fab.run(model, x0, y, targets, s.fab());
                yield new Found(r.fooled(), r.adversarial(), 0, 0);
            }
            case SQUARE -> {
                Square.Result r = Square.run(model, x0, y, new int[] {data.channels(), data.height(), data.width()}, s.square(),
                        batchRandom);
                yield new Found(r.fooled(), r.adversarial(), 0, 0);
            }
        };
    }

    /** The class with the rank-th highest clean logit of point i (rank 1 = the prediction). */
    private int rankedClass(float[] logits, int i, int rank) {
        int classes = model.classes();
        Integer[] order = new Integer[classes];
        for (int k = 0; k < classes; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[i * classes + b], logits[i * classes + a]));
        return order[Math.min(rank, classes) - 1];
    }

    private float[] gather(int[] indices, int d) {
        float[] out = new float[indices.length * d];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(data.images(), indices[b] * d, out, b * d, d);
        }
        return out;
    }

    private static int[] indicesOf(boolean[] flags) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i]).toArray();
    }
}
