package io.robustlab.dataset.construct;

import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.DatasetConstruction;
import io.robustlab.ml.model.Classifier;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ThrottledProgress;
import io.robustlab.mlservice.WorkMetrics;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** One shard of a construction: its examples through the model, saved as a shard artifact. */
@Component
public class ConstructShardHandler extends SpecJobHandler<ConstructionJobs.ShardSpec> {

    private final DatasetArtifacts datasets;
    private final ModelArtifacts models;
    private final Artifacts artifacts;
    private final WorkMetrics work;

    public ConstructShardHandler(DatasetArtifacts datasets, ModelArtifacts models, Artifacts artifacts, WorkMetrics work,
                                 JsonMapper json) {
        super(ConstructionJobs.SHARD, ConstructionJobs.ShardSpec.class, json);
        this.datasets = datasets;
        this.models = models;
        this.artifacts = artifacts;
        this.work = work;
    }

    @Override
    protected ConstructionJobs.ShardResult run(ConstructionJobs.ShardSpec shard, JobContext ctx) throws IOException {
        var build = shard.build();
        ImageDataset train = datasets.load(build.getTrainArtifactId(), "spec.trainArtifactId", build.getTrainLimit());
        ConstructionParams params = ConstructionJobs.params(build);
        try (Classifier model = models.load(build.getModelArtifactId(), "spec.modelArtifactId", MlSpecs.device(ctx))) {
            if (params.construction().isInversion()) {
                ModelArtifacts.requireRepresentation(model, "spec.modelArtifactId", "the " + params.construction().apiName() + " construction");
                if (params.straightThroughRelu() && model.isTorchScript()) {
                    throw new PermanentJobFailure("spec.straightThroughRelu: an imported TorchScript model cannot give a straight-through"
                            + " last ReLU (it needs RobustLab's own blocks); set it false");
                }
            }
            int batches = (shard.to() - shard.from() + params.batchSize() - 1) / params.batchSize();
            ThrottledProgress progress = new ThrottledProgress(ctx, batches);
            progress.phase(params.construction().apiName() + " shard " + shard.index() + " (examples " + shard.from() + "-" + shard.to() + ")", 0);
            long start = System.nanoTime();
            DatasetConstruction.Shard out = DatasetConstruction.run(model, train, shard.from(), shard.to(), params, progress::units);
            work.finished(type(), out.data().size(), System.nanoTime() - start);
            Artifact saved = artifacts.save(ctx.job().id(), "dataset-shard", ConstructionJobs.SHARD_ARTIFACT, DatasetArtifacts.MEDIA_TYPE,
                    json.writeValueAsString(java.util.Map.of("buildJobId", shard.buildJobId().toString(), "index", shard.index())),
                    o -> Npz.write(out.data(), o));
            return new ConstructionJobs.ShardResult(saved.id(), out.data().size(), out.quality());
        }
    }
}
