package io.robustlab.dataset.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.ConstructMergeSpec;
import io.robustlab.api.model.ConstructShardSpec;
import io.robustlab.api.model.DatasetConstructResult;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code dataset.construct}: plans a construction. It splits the training set into shard jobs any
 * dataset-service replica can claim and a merge job that waits for all of them, submitted in one
 * transaction. A crash loses at most the shard in flight; finished shards are never recomputed.
 */
@Component
public class DatasetConstructHandler extends SpecJobHandler<DatasetConstructSpec, DatasetConstructResult> {

    private final JobQueue queue;
    private final DatasetArtifacts datasets;
    private final Artifacts artifacts;

    public DatasetConstructHandler(JobQueue queue, DatasetArtifacts datasets, Artifacts artifacts, JsonMapper json) {
        super(JobTypeCatalog.DATASET_CONSTRUCT, DatasetConstructSpec.class, DatasetConstructResult.class, json);
        this.queue = queue;
        this.datasets = datasets;
        this.artifacts = artifacts;
    }

    @Override
    protected DatasetConstructResult run(DatasetConstructSpec spec, JobContext ctx) throws IOException {
        ImageDataset train = datasets.load(spec.getTrainArtifactId(), "spec.trainArtifactId", spec.getTrainLimit());
        artifacts.find(spec.getModelArtifactId()).filter(a -> ModelArtifacts.KIND.equals(a.kind()))
                .orElseThrow(() -> new PermanentJobFailure("spec.modelArtifactId: no model artifact " + spec.getModelArtifactId()));
        Job build = ctx.job();
        int n = train.size();
        int shards = (n + spec.getShardSize() - 1) / spec.getShardSize();
        List<UUID> shardIds = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            UUID id = ConstructionJobs.shardJobId(build.id(), i);
            shardIds.add(id);
            ConstructShardSpec shard = new ConstructShardSpec(build.id(), i, i * spec.getShardSize(),
                    Math.min(n, (i + 1) * spec.getShardSize()), spec);
            jobs.add(internal(id, JobTypeCatalog.CONSTRUCT_SHARD.name(), json.writeValueAsString(shard), build, List.of()));
        }
        UUID mergeId = ConstructionJobs.mergeJobId(build.id());
        jobs.add(internal(mergeId, JobTypeCatalog.CONSTRUCT_MERGE.name(),
                json.writeValueAsString(new ConstructMergeSpec(build.id(), shardIds, spec, n)), build, shardIds));
        if (queue.find(mergeId).isEmpty()) {
            queue.submitAll(jobs);
        }
        ctx.progress(1, shards + " shards of at most " + spec.getShardSize() + " examples queued; merge job " + mergeId);
        return new DatasetConstructResult(mergeId, shardIds, n,
                DatasetConstructResult.ConstructionEnum.fromValue(spec.getConstruction().getValue()));
    }

    private static NewJob internal(UUID id, String type, String spec, Job build, List<UUID> dependsOn) {
        return new NewJob(id, type, spec, build.priority(), build.maxAttempts(), dependsOn, build.experimentId(), null, null);
    }
}
