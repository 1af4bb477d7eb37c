package io.robustlab.bench;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.construct.Construction;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.DatasetConstruction;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.Locale;

/**
 * Images per second of each of the paper's constructions with the small CNN on Fashion-MNIST, and
 * the time the full 60,000-image training set would take at that rate (a projection: the rate is
 * steady, every batch does the same work). Each row runs RobustLab's DatasetConstruction on
 * {@code images} training images in batches of 128.
 *
 * <p>Arguments: threads images
 */
public final class ConstructionBenchmark {

    private ConstructionBenchmark() {
    }

    public static void main(String[] args) {
        DjlRuntime.configure(Integer.parseInt(args[0]), 1);
        int images = Integer.parseInt(args[1]);
        ImageDataset train = MlLoops.fashionTrain();
        Object[][] rows = {
                {Construction.NONROBUST, 1000, "the paper's 1,000 steps of 0.1"},
                {Construction.NONROBUST, 100, "100 steps of 0.1"},
                {Construction.RAND, 100, "100 steps of 0.1, L2 eps 4"},
                {Construction.DET, 100, "100 steps of 0.1, L2 eps 4"},
        };
        System.out.printf("%-10s %-32s %10s %24s%n", "dataset", "settings", "images/s", "60,000 images (projected)");
        try (Classifier model = MlLoops.smallCnn(1)) {
            for (Object[] row : rows) {
                Construction c = (Construction) row[0];
                int steps = (Integer) row[1];
                ConstructionParams p = new ConstructionParams(c, steps, 0.1f, 4.0f, false, false, false, 1, 128);
                DatasetConstruction.run(model, train, 0, 128, new ConstructionParams(c, 2, 0.1f, 4.0f, false, false, false, 1, 128), b -> { });
                long start = System.nanoTime();
                DatasetConstruction.run(model, train, 128, 128 + images, p, b -> { });
                double rate = images / ((System.nanoTime() - start) / 1e9);
                double hours = 60_000 / rate / 3600;
                System.out.printf(Locale.ROOT, "%-10s %-32s %10.1f %21.1f h%n", c.apiName() + (c == Construction.NONROBUST ? "/robust" : ""),
                        row[2], rate, hours);
            }
        }
    }
}
