package io.robustlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.interop.SafetensorsModels;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The same small CNN run two ways in RobustLab: built from its own DJL blocks, and imported as the
 * TorchScript module PyTorch traced from its export. Images per second of evaluation (forward
 * passes, batch 128) and of a PGD-10 attack, alternating between the two in each round.
 *
 * <p>Two phases, because PyTorch makes the module in between:
 * {@code export DIR} writes DIR/native.safetensors; {@code run DIR rounds eval-batches attack-batches}
 * loads DIR/native.safetensors and DIR/traced.pt, checks they give the same logits and prints one
 * JSON line per round, side and loop.
 */
public final class TorchScriptBenchmark {

    private TorchScriptBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DjlRuntime.configure(2, 1);
        Path dir = Path.of(args[1]);
        if (args[0].equals("export")) {
            try (Classifier model = MlLoops.smallCnn(1); OutputStream out = Files.newOutputStream(dir.resolve("native.safetensors"))) {
                SafetensorsModels.write(model, "{\"format\": \"safetensors\", \"architecture\": \"small-cnn\", \"inputShape\": [1, 28, 28],"
                        + " \"classes\": 10, \"mean\": [0.2860], \"std\": [0.3530]}", out);
            }
            return;
        }
        int rounds = Integer.parseInt(args[2]);
        int evalBatches = Integer.parseInt(args[3]);
        int attackBatches = Integer.parseInt(args[4]);
        ImageDataset data = MlLoops.fashionTest();
        Classifier.ModelSpec scripted = new Classifier.ModelSpec(Architecture.TORCHSCRIPT, 1, 28, 28, 10, new float[0], new float[0]);
        try (Classifier nativeModel = MlLoops.smallCnn(1);
             Classifier imported = Classifier.loadTorchScript(scripted, MlLoops.device(), dir.resolve("traced.pt"), null)) {
            Batches batches = new Batches(data, MlLoops.BATCH);
            System.err.printf(Locale.ROOT, "max |logit difference| native vs TorchScript on one batch: %.2e%n", difference(nativeModel, imported, batches));
            for (int r = 1; r <= rounds; r++) {
                for (Classifier model : new Classifier[] {nativeModel, imported}) {
                    String side = model == imported ? "torchscript" : "native";
                    report(r, side, "evaluation", evalBatches, time(model, batches, evalBatches, false));
                    report(r, side, "pgd-10", attackBatches, time(model, batches, attackBatches, true));
                }
            }
        }
    }

    /** Seconds for {@code count} batches (after two warm-up batches) of forward passes or PGD-10. */
    private static double time(Classifier model, Batches batches, int count, boolean attack) {
        DjlRuntime.noGradOnThisThread();
        long start = 0;
        for (int b = -2; b < count; b++) {
            if (b == 0) {
                start = System.nanoTime();
            }
            try (NDManager scope = model.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, Math.floorMod(b, batches.count()), null, null);
                if (attack) {
                    Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), MlLoops.PGD10);
                } else {
                    model.logits(batch.images(), false).argMax(1).toType(DataType.INT32, false).toIntArray();
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double difference(Classifier a, Classifier b, Batches batches) {
        try (NDManager scope = a.manager().newSubManager()) {
            NDArray x = batches.get(scope, null, 0, null, null).images();
            return a.logits(x, false).sub(b.logits(x, false)).abs().max().getFloat();
        }
    }

    private static void report(int round, String side, String loop, int batches, double seconds) {
        System.out.printf(Locale.ROOT, "{\"round\": %d, \"side\": \"%s\", \"loop\": \"%s\", \"images_per_second\": %.1f}%n",
                round, side, loop, batches * MlLoops.BATCH / seconds);
    }
}
