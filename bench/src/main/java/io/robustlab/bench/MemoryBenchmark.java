package io.robustlab.bench;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.Sgd;

/**
 * Resident memory over 2,000 training batches (128 images) and 2,000 PGD-10 attack batches (32
 * images, to keep the run near ten minutes), sampled every 100 batches. Flat means no growth
 * beyond noise after the first few hundred batches (allocator warm-up).
 *
 * <p>Arguments: threads batches
 */
public final class MemoryBenchmark {

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int batches = Integer.parseInt(args[1]);
        DjlRuntime.configure(threads, 1);
        ImageDataset data = MlLoops.fashionTrain();
        for (String loop : new String[] {"train", "attack"}) {
            int size = loop.equals("train") ? MlLoops.BATCH : 32;
            try (Classifier model = MlLoops.smallCnn(1)) {
                Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
                Batches source = new Batches(data, size);
                long[] samples = new long[batches / 100 + 1];
                samples[0] = MlLoops.rssMiB()[0];
                long start = System.nanoTime();
                for (int b = 1; b <= batches; b++) {
                    MlLoops.step(loop, model, sgd, source, b);
                    if (b % 100 == 0) {
                        samples[b / 100] = MlLoops.rssMiB()[0];
                    }
                }
                StringBuilder row = new StringBuilder();
                for (long s : samples) {
                    row.append(s).append(' ');
                }
                long afterWarmup = samples[Math.min(3, samples.length - 1)];
                long max = 0;
                for (int i = 3; i < samples.length; i++) {
                    max = Math.max(max, samples[i]);
                }
                System.out.printf("%s (%d batches of %d, %.0f s): RSS MiB every 100 batches: %s%n", loop, batches, size,
                        (System.nanoTime() - start) / 1e9, row.toString().trim());
                System.out.printf("%s: after 300 batches %d MiB, end %d MiB, highest after 300: %d MiB, growth %+d MiB%n",
                        loop, afterWarmup, samples[samples.length - 1], max, samples[samples.length - 1] - afterWarmup);
            }
        }
    }
}
