package io.robustlab.bench;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.construct.RepresentationInversion;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.model.ModelFile;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.ml.train.Schedule;
import io.robustlab.ml.train.Selection;
import io.robustlab.ml.train.Sgd;
import io.robustlab.ml.train.TrainingSettings;
import io.robustlab.ml.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the D_R inversion needs on Fashion-MNIST: an adversarially trained small CNN (L2 PGD eps
 * 1.5, 7 steps of 0.3, no random start; 3 epochs on the first 10,000 training images), then
 * RobustLab's RepresentationInversion of training images 0-199, each from another training image,
 * for every steps x step size x straight-through setting. Prints a row per setting as it finishes
 * (mean remaining representation distance, final / initial; seconds; images/s; the 1-minute load
 * average, as the machine is shared) and the cheapest setting under 5 % remaining distance.
 * A setting stops growing its steps once it is under 5 %: more steps only cost more.
 *
 * <p>Arguments: threads model-file [steps,...] [step-sizes,...]. The model file is loaded when it
 * exists, else written after training.
 */
public final class InversionBenchmark {

    static final int TRAIN_IMAGES = 10_000;
    static final int INVERTED = 200;
    static final int BATCH = 100;
    static final double TARGET = 0.05;
    static final PgdSettings ATTACK = new PgdSettings(Norm.L2, 1.5f, 0.3f, 7, false, 1, true);

    private record Row(int steps, float stepSize, boolean straightThrough, double remaining, double seconds) {
    }

    private InversionBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        DjlRuntime.configure(Integer.parseInt(args[0]), 1);
        Path modelFile = Path.of(args[1]);
        int[] steps = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {50, 200, 500, 1000};
        String[] sizes = args.length > 3 ? args[3].split(",") : new String[] {"0.1", "0.2", "0.5"};
        ImageDataset pool = MlLoops.fashionTrain().subset(0, TRAIN_IMAGES);

        try (Classifier model = robustModel(pool, modelFile)) {
            // Warm-up, both ways, so that the first timed row does not pay for the engine's first passes.
            for (boolean straightThrough : new boolean[] {false, true}) {
                RepresentationInversion.run(model, pool, 0, BATCH, new RepresentationInversion.Settings(2, 0.1f, false, false, straightThrough, 1),
                        BATCH, b -> { });
            }
            List<Row> rows = new ArrayList<>();
            System.out.println("| steps | step size | straight-through | mean remaining distance | seconds | images/s | load (1 min) |");
            System.out.println("|---|---|---|---|---|---|---|");
            List<String> done = new ArrayList<>(); // "size/straightThrough" settings already under the target
            for (int n : steps) {
                for (String size : sizes) {
                    for (boolean straightThrough : new boolean[] {false, true}) {
                        String setting = size + "/" + straightThrough;
                        if (done.contains(setting)) {
                            continue;
                        }
                        long start = System.nanoTime();
                        RepresentationInversion.Outcome o = RepresentationInversion.run(model, pool, 0, INVERTED,
                                new RepresentationInversion.Settings(n, Float.parseFloat(size), false, false, straightThrough, 1), BATCH, b -> { });
                        Row r = new Row(n, Float.parseFloat(size), straightThrough, o.meanRelativeDistance(), (System.nanoTime() - start) / 1e9);
                        rows.add(r);
                        System.out.printf(Locale.ROOT, "| %d | %s | %s | %.4f | %.1f | %.2f | %s |%n", n, size, straightThrough ? "on" : "off",
                                r.remaining(), r.seconds(), INVERTED / r.seconds(), load());
                        if (r.remaining() < TARGET) {
                            done.add(setting);
                        }
                    }
                }
            }
            // Cost is the number of steps (seconds follow it, up to the machine's drift); ties go to the faster run.
            rows.stream().filter(r -> r.remaining() < TARGET)
                    .min((a, b) -> a.steps() != b.steps() ? Integer.compare(a.steps(), b.steps()) : Double.compare(a.seconds(), b.seconds()))
                    .ifPresentOrElse(r -> System.out.printf(Locale.ROOT, "%nCheapest under %.0f %%: %d steps of %s, straight-through %s (%.4f remaining, %.1f s)%n",
                            100 * TARGET, r.steps(), r.stepSize(), r.straightThrough() ? "on" : "off", r.remaining(), r.seconds()),
                            () -> System.out.printf(Locale.ROOT, "%nNo setting reached %.0f %% remaining distance%n", 100 * TARGET));
        }
    }

    /** The robust model: loaded from {@code file}, or trained and written there; its clean and PGD accuracy on 500 test images. */
    private static Classifier robustModel(ImageDataset pool, Path file) throws IOException {
        Classifier model;
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                model = ModelFile.read(in, MlLoops.device());
            }
            System.out.println("model: " + file);
        } else {
            model = MlLoops.smallCnn(1);
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            TrainingSettings s = new TrainingSettings(3, 128, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 1, 1, Augmentation.NONE, ATTACK,
                    Selection.defaultFor(ATTACK), 1);
            long start = System.nanoTime();
            ClassifierTrainer.train(model, sgd, pool, null, s, new TrainingState(), new ClassifierTrainer.Observer() {
                public void batchDone(int epoch, int batch, int batches, double loss) {
                }

                public void epochDone(EpochMetrics m, TrainingState state) {
                    System.out.printf(Locale.ROOT, "epoch %d: adversarial loss %.4f, accuracy %.4f, %.0f images/s%n", m.epoch(),
                            m.trainLoss(), m.trainAccuracy(), m.imagesPerSecond());
                }
            });
            try (OutputStream out = Files.newOutputStream(file)) {
                ModelFile.write(model, out);
            }
            System.out.printf(Locale.ROOT, "model: small CNN, adversarially trained on %,d images, 3 epochs, %.0f s; written to %s%n",
                    pool.size(), (System.nanoTime() - start) / 1e9, file);
        }
        ImageDataset test = MlLoops.fashionTest().subset(0, 500);
        System.out.printf(Locale.ROOT, "test accuracy (500 images): clean %.3f, under L2 PGD eps 1.5 (7 steps of 0.3) %.3f%n%n",
                Evaluator.accuracy(model, test, null, 250, b -> { }).accuracy(), Evaluator.accuracy(model, test, ATTACK, 250, b -> { }).accuracy());
        return model;
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
