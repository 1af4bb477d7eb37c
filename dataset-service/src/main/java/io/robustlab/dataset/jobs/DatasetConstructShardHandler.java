package io.robustlab.dataset.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.ConstructShardResult;
import io.robustlab.api.model.ConstructShardSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.DatasetConstruction;
import io.robustlab.ml.model.Classifier;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import org.springframework.stereotype.Component;

/** One shard of a construction: its examples through the model, saved as a shard artifact. */
@Component
public class DatasetConstructShardHandler extends ModelJobHandler<ConstructShardSpec, ConstructShardResult> {

    public DatasetConstructShardHandler(MlJobTools tools) {
        super(JobTypeCatalog.CONSTRUCT_SHARD, ConstructShardSpec.class, ConstructShardResult.class, tools);
    }

    @Override
    protected ConstructShardResult run(ConstructShardSpec shard, JobContext ctx) throws IOException {
        var build = shard.getBuild();
        ImageDataset train = datasets.load(build.getTrainArtifactId(), "spec.trainArtifactId", build.getTrainLimit());
        ConstructionParams params = ConstructionJobs.params(build);
        try (Classifier model = loadModel(build.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            if (params.construction().isInversion()) {
                ModelArtifacts.requireRepresentation(model, "spec.modelArtifactId", "the " + params.construction().apiName() + " construction");
                if (params.straightThroughRelu() && model.isTorchScript()) {
                    throw new PermanentJobFailure("spec.straightThroughRelu: an imported TorchScript model cannot give a straight-through"
                            + " last ReLU (it needs RobustLab's own blocks); set it false");
                }
            }
            int batches = (shard.getTo() - shard.getFrom() + params.batchSize() - 1) / params.batchSize();
            ThrottledProgress progress = new ThrottledProgress(ctx, batches);
            progress.phase(params.construction().apiName() + " shard " + shard.getIndex() + " (examples " + shard.getFrom() + "-" + shard.getTo() + ")", 0);
            Work work = startWork();
            DatasetConstruction.Shard out = DatasetConstruction.run(model, train, shard.getFrom(), shard.getTo(), params, progress::units);
            work.done(out.data().size());
            Artifact saved = artifacts.save(ctx.job().id(), "dataset-shard", ConstructionJobs.SHARD_ARTIFACT, DatasetArtifacts.MEDIA_TYPE,
                    json.writeValueAsString(java.util.Map.of("buildJobId", shard.getBuildJobId().toString(), "index", shard.getIndex())),
                    o -> Npz.write(out.data(), o));
            return new ConstructShardResult(saved.id(), out.data().size(), ConstructionJobs.toApi(out.quality()));
        }
    }
}
