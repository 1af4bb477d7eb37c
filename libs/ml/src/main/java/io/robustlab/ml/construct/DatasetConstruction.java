package io.robustlab.ml.construct;

import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.DatasetAttack;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.model.Classifier;
import java.util.function.IntConsumer;

/** One shard of a construction: examples [from, to) of the training set, through the given model. */
public final class DatasetConstruction {

    public record Shard(ImageDataset data, ConstructionQuality quality) {
    }

    private DatasetConstruction() {
    }

    public static Shard run(Classifier model, ImageDataset train, int from, int to, ConstructionParams p, IntConsumer progress) {
        if (p.construction().isInversion()) {
            RepresentationInversion.Outcome o = RepresentationInversion.run(model, train, from, to,
                    new RepresentationInversion.Settings(p.steps(), p.stepSize(), p.normalizedLoss(), p.fromNoise(),
                            p.straightThroughRelu(), p.seed()),
                    p.batchSize(), progress);
            long n = to - from;
            return new Shard(o.images(), new ConstructionQuality(n, 0, 0, 0, o.meanRelativeDistance() * n));
        }
        DatasetAttack.Target target = p.construction() == Construction.DET ? DatasetAttack.Target.NEXT : DatasetAttack.Target.RANDOM;
        PgdSettings pgd = new PgdSettings(Norm.L2, p.eps(), p.stepSize(), p.steps(), false, 1, true);
        // Shards get distinct generators: the seed is offset by the shard's first example.
        DatasetAttack.Outcome o = DatasetAttack.run(model, train.subset(from, to), pgd, target, p.seed() * 1_000_003L + from,
                p.batchSize(), progress);
        ImageDataset a = o.adversarial();
        // The paper keeps (x_adv, t): the target becomes the label.
        ImageDataset relabelled = new ImageDataset(a.images(), o.targets(), a.channels(), a.height(), a.width());
        long n = to - from;
        return new Shard(relabelled, new ConstructionQuality(n, o.successRate() * n, o.meanNorm() * n, o.maxNorm(), 0));
    }
}
