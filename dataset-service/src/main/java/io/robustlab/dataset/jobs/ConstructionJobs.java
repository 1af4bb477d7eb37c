package io.robustlab.dataset.jobs;

import io.robustlab.api.model.ConstructShardQuality;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.ml.construct.Construction;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.ConstructionQuality;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * What the jobs of a sharded construction share (its internal job types are in the catalogue). The
 * planner ({@code dataset.construct}) submits them with ids derived from its own, so running it
 * again finds its plan instead of making a second one.
 */
final class ConstructionJobs {

    static final String SHARD_ARTIFACT = "shard.npz";

    private ConstructionJobs() {
    }

    static UUID shardJobId(UUID buildJobId, int index) {
        return UUID.nameUUIDFromBytes((buildJobId + "/shard/" + index).getBytes(StandardCharsets.UTF_8));
    }

    static UUID mergeJobId(UUID buildJobId) {
        return UUID.nameUUIDFromBytes((buildJobId + "/merge").getBytes(StandardCharsets.UTF_8));
    }

    static Construction construction(DatasetConstructSpec spec) {
        return Construction.valueOf(spec.getConstruction().getValue().toUpperCase(Locale.ROOT));
    }

    /** A shard's quality sums as its result stores them, and back: the merge adds them up exactly. */
    static ConstructShardQuality toApi(ConstructionQuality q) {
        return new ConstructShardQuality(q.count(), q.successes(), q.normSum(), q.normMax(), q.relativeDistanceSum());
    }

    static ConstructionQuality fromApi(ConstructShardQuality q) {
        return new ConstructionQuality(q.getCount(), q.getSuccesses(), q.getNormSum(), q.getNormMax(), q.getRelativeDistanceSum());
    }

    /** The spec with the paper's defaults filled in: what the shards run and the artifact records. */
    static ConstructionParams params(DatasetConstructSpec spec) {
        Construction c = construction(spec);
        int steps = spec.getSteps() != null ? spec.getSteps() : c.isInversion() ? 1000 : 100;
        return new ConstructionParams(c, steps, spec.getStepSize(), spec.getEps(), spec.getNormalizedLoss(),
                spec.getStart() == DatasetConstructSpec.StartEnum.NOISE, Boolean.TRUE.equals(spec.getStraightThroughRelu()),
                spec.getSeed(), spec.getBatchSize());
    }
}
