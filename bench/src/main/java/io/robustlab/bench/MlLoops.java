package io.robustlab.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.robustlab.data.IdxFiles;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.Sgd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The loops both benchmarks run, written once: RobustLab's own training step and attack on Fashion-MNIST batches. */
final class MlLoops {

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    static final int BATCH = 128;
    static final PgdSettings PGD10 = new PgdSettings(Norm.LINF, 0.1f, 0.025f, 10, true, 1, true);
    static final PgdSettings PGD7 = new PgdSettings(Norm.LINF, 0.1f, 0.03f, 7, true, 1, true);

    private MlLoops() {
    }

    static ImageDataset fashionTrain() {
        return IdxFiles.read(FASHION.resolve("train-images-idx3-ubyte.gz"), FASHION.resolve("train-labels-idx1-ubyte.gz"));
    }

    static ImageDataset fashionTest() {
        return IdxFiles.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"), FASHION.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    /** The device {@code -Drobustlab.bench.device} names (auto, cpu, gpu, gpu:N; default auto). */
    static Device device() {
        return DjlRuntime.device(System.getProperty("robustlab.bench.device", "auto"));
    }

    /** The small CNN on {@link #device()}. */
    static Classifier smallCnn(long seed) {
        return Classifier.create(new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10, new float[] {0.2860f},
                new float[] {0.3530f}), device(), seed);
    }

    /** One batch of the given loop: "train", "attack" (PGD-10) or "adversarial-train" (PGD-7 then a step). */
    static void step(String loop, Classifier model, Sgd sgd, Batches batches, int index) {
        try (NDManager scope = model.manager().newSubManager()) {
            Batches.Batch batch = batches.get(scope, null, index % batches.count(), null, null);
            switch (loop) {
                case "train" -> ClassifierTrainer.trainBatch(model, sgd, batch, null, 0.05f);
                case "attack" -> Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), PGD10);
                case "adversarial-train" -> ClassifierTrainer.trainBatch(model, sgd, batch, PGD7, 0.05f);
                default -> throw new IllegalArgumentException(loop);
            }
        }
    }

    /** Resident and peak resident memory of this process, in MiB (Linux). */
    static long[] rssMiB() throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return new long[] {rss, hwm};
    }
}
