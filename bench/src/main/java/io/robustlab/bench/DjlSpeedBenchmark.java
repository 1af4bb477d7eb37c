package io.robustlab.bench;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.Sgd;
import java.util.Locale;

/**
 * Images per second of RobustLab's DJL loops on the small CNN (batch 128): standard training, a
 * PGD-10 attack and PGD-7 adversarial training. Prints one JSON line per loop, the same lines
 * bench/pytorch_peer.py prints, so bench/ml-benchmark.sh can set them side by side.
 *
 * <p>Arguments: threads train-batches attack-batches adversarial-batches
 */
public final class DjlSpeedBenchmark {

    private DjlSpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        DjlRuntime.configure(threads, 1);
        ImageDataset data = MlLoops.fashionTrain();
        String[] loops = {"train", "attack", "adversarial-train"};
        for (int l = 0; l < loops.length; l++) {
            int batches = Integer.parseInt(args[1 + l]);
            try (Classifier model = MlLoops.smallCnn(1)) {
                Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
                Batches source = new Batches(data, MlLoops.BATCH);
                for (int w = 0; w < 3; w++) {
                    MlLoops.step(loops[l], model, sgd, source, w);
                }
                long start = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    MlLoops.step(loops[l], model, sgd, source, 3 + b);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "{\"side\": \"djl\", \"loop\": \"%s\", \"images_per_second\": %.1f, \"batches\": %d, \"peak_rss_mib\": %d, \"device\": \"%s\"}%n",
                        loops[l], batches * MlLoops.BATCH / seconds, batches, MlLoops.rssMiB()[1], DjlRuntime.name(model.device()));
            }
        }
    }
}
