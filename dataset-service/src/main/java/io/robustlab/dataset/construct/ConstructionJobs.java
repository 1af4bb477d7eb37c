package io.robustlab.dataset.construct;

import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.ml.construct.Construction;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.ConstructionQuality;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The internal job types of a sharded construction, and what they share. The planner
 * ({@code dataset.construct}) submits them with ids derived from its own, so running it again
 * finds its plan instead of making a second one.
 */
final class ConstructionJobs {

    static final JobTypeDefinition SHARD = new JobTypeDefinition("dataset.construct.shard", "dataset-service",
            "One shard of a dataset.construct job (internal).", ShardSpec.class, 2);
    static final JobTypeDefinition MERGE = new JobTypeDefinition("dataset.construct.merge", "dataset-service",
            "Joins the shards of a dataset.construct job into its artifact (internal).", MergeSpec.class, 1);
    static final String SHARD_ARTIFACT = "shard.npz";

    /** Examples [from, to) of the build's training set. */
    record ShardSpec(UUID buildJobId, int index, int from, int to, DatasetConstructSpec build) {
    }

    record MergeSpec(UUID buildJobId, List<UUID> shardJobIds, DatasetConstructSpec build, int examples) {
    }

    record ShardResult(UUID artifactId, int examples, ConstructionQuality quality) {
    }

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

    /** The spec with the paper's defaults filled in: what the shards run and the artifact records. */
    static ConstructionParams params(DatasetConstructSpec spec) {
        Construction c = construction(spec);
        int steps = spec.getSteps() != null ? spec.getSteps() : c.isInversion() ? 1000 : 100;
        return new ConstructionParams(c, steps, spec.getStepSize(), spec.getEps(), spec.getNormalizedLoss(),
                spec.getStart() == DatasetConstructSpec.StartEnum.NOISE, Boolean.TRUE.equals(spec.getStraightThroughRelu()),
                spec.getSeed(), spec.getBatchSize());
    }
}
