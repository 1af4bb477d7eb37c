package io.robustlab.bench;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackSuite;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.SuiteSettings;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.interop.Safetensors;
import io.robustlab.ml.interop.SafetensorsModels;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.ml.train.Schedule;
import io.robustlab.ml.train.Selection;
import io.robustlab.ml.train.Sgd;
import io.robustlab.ml.train.TrainingSettings;
import io.robustlab.ml.train.TrainingState;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * RobustLab's side of the comparison with the reference AutoAttack (bench/autoattack-reference.sh).
 * {@code train DIR} trains the two small CNNs on real Fashion-MNIST and exports them as safetensors:
 * DIR/standard.safetensors (2 epochs on all 60,000 images) and DIR/adversarial.safetensors (2 epochs
 * of L2 PGD adversarial training, eps 1.5, 7 steps of 0.3, on the first 20,000: the cpu preset's
 * attack). {@code run DIR MODEL NORM EPS N} runs the standard suite on the first N test images and
 * prints one JSON line: robust accuracy after each attack, seconds and images per second.
 */
public final class AutoAttackBenchmark {

    private static final String MANIFEST = "{\"format\": \"safetensors\", \"architecture\": \"small-cnn\", \"inputShape\": [1, 28, 28],"
            + " \"classes\": 10, \"mean\": [0.2860], \"std\": [0.3530]}";

    private AutoAttackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DjlRuntime.configure(2, 1);
        Path dir = Path.of(args[1]);
        if (args[0].equals("train")) {
            train(dir.resolve("standard.safetensors"), MlLoops.fashionTrain(), null);
            train(dir.resolve("adversarial.safetensors"), MlLoops.fashionTrain().subset(0, 20_000),
                    new PgdSettings(Norm.L2, 1.5f, 0.3f, 7, false, 1, false));
            return;
        }
        Norm norm = Norm.valueOf(args[3].toUpperCase(Locale.ROOT));
        float eps = Float.parseFloat(args[4]);
        ImageDataset test = MlLoops.fashionTest().subset(0, Integer.parseInt(args[5]));
        try (InputStream in = Files.newInputStream(dir.resolve(args[2] + ".safetensors"));
             Classifier model = SafetensorsModels.read(MlLoops.smallCnn(0).spec(), MlLoops.device(), Safetensors.read(in, Long.MAX_VALUE))) {
            long start = System.nanoTime();
            AttackSuite.Outcome o = AttackSuite.run(model, test, SuiteSettings.standard(norm, eps), 0, 250, (a, done, total) -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            String stages = o.stages().stream()
                    .map(s -> String.format(Locale.ROOT, "\"%s\": %.4f, \"%s seconds\": %.1f", s.attack().apiName(),
                            (double) s.robustAfter() / o.examples(), s.attack().apiName(), s.seconds()))
                    .collect(Collectors.joining(", "));
            System.out.printf(Locale.ROOT, "{\"side\": \"robustlab\", \"model\": \"%s\", \"norm\": \"%s\", \"eps\": %s, \"n\": %d, "
                            + "\"clean\": %.4f, %s, \"seconds\": %.1f, \"images_per_second\": %.2f}%n",
                    args[2], args[3], args[4], o.examples(), (double) o.cleanCorrect() / o.examples(), stages, seconds, o.examples() / seconds);
        }
    }

    private static void train(Path out, ImageDataset data, PgdSettings adversarial) throws Exception {
        try (Classifier model = MlLoops.smallCnn(1); OutputStream file = Files.newOutputStream(out)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            ClassifierTrainer.train(model, sgd, data, null, new TrainingSettings(2, 128, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 1, 1,
                    Augmentation.NONE, adversarial, Selection.CLEAN, 1), new TrainingState(), new ClassifierTrainer.Observer() {
                        public void batchDone(int epoch, int batch, int batches, double loss) {
                        }

                        public void epochDone(EpochMetrics m, TrainingState state) {
                            System.err.printf(Locale.ROOT, "%s epoch %d: train accuracy %.3f%n", out.getFileName(), m.epoch(), m.trainAccuracy());
                        }
                    });
            SafetensorsModels.write(model, MANIFEST, file);
        }
    }
}
