package io.robustlab.dataset.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.ConstructMergeQuality;
import io.robustlab.api.model.ConstructMergeResult;
import io.robustlab.api.model.ConstructMergeSpec;
import io.robustlab.api.model.ConstructShardResult;
import io.robustlab.api.model.DatasetConstructSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.data.SampleGrid;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.construct.Construction;
import io.robustlab.ml.construct.ConstructionParams;
import io.robustlab.ml.construct.ConstructionQuality;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Joins a construction's shards, in order, into the dataset artifact, with metadata (construction,
 * source model, every parameter, seed, code version, quality) and a sample grid like Figure 9.
 */
@Component
public class DatasetConstructMergeHandler extends SpecJobHandler<ConstructMergeSpec, ConstructMergeResult> {

    static final String CODE_VERSION = DatasetConstructMergeHandler.class.getPackage().getImplementationVersion() == null
            ? "development" : DatasetConstructMergeHandler.class.getPackage().getImplementationVersion();

    private final JobQueue queue;
    private final Artifacts artifacts;
    private final DatasetArtifacts datasets;

    public DatasetConstructMergeHandler(JobQueue queue, Artifacts artifacts, DatasetArtifacts datasets, JsonMapper json) {
        super(JobTypeCatalog.CONSTRUCT_MERGE, ConstructMergeSpec.class, ConstructMergeResult.class, json);
        this.queue = queue;
        this.artifacts = artifacts;
        this.datasets = datasets;
    }

    @Override
    protected ConstructMergeResult run(ConstructMergeSpec merge, JobContext ctx) throws IOException {
        List<ImageDataset> parts = new ArrayList<>();
        ConstructionQuality quality = ConstructionQuality.EMPTY;
        for (UUID shardId : merge.getShardJobIds()) {
            Job shard = queue.find(shardId).orElseThrow(() -> new PermanentJobFailure("shard job " + shardId + " is gone"));
            ConstructShardResult r = json.readValue(shard.result(), ConstructShardResult.class);
            Artifact a = artifacts.find(r.getArtifactId()).orElseThrow(() -> new PermanentJobFailure("shard artifact " + r.getArtifactId() + " is gone"));
            try (InputStream in = artifacts.open(a)) {
                parts.add(Npz.read(in));
            }
            quality = quality.plus(ConstructionJobs.fromApi(r.getQuality()));
        }
        ImageDataset data = ImageDataset.concat(parts);
        DatasetConstructSpec build = merge.getBuild();
        ConstructionParams params = ConstructionJobs.params(build);
        Construction c = params.construction();

        ConstructMergeQuality figures = c.isInversion()
                ? new ConstructMergeQuality().meanRelativeRepresentationDistance(quality.meanRelativeDistance())
                : new ConstructMergeQuality().successRateOnSourceModel(quality.successRate()).meanPerturbationL2(quality.meanNorm())
                        .maxPerturbationL2(quality.normMax());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("construction", c.apiName());
        metadata.put("sourceModelArtifactId", build.getModelArtifactId().toString());
        metadata.put("trainArtifactId", build.getTrainArtifactId().toString());
        metadata.put("parameters", Map.of("steps", params.steps(), "stepSize", params.stepSize(), "eps", params.eps(),
                "normalizedLoss", params.normalizedLoss(), "start", params.fromNoise() ? "noise" : "image",
                "straightThroughRelu", params.straightThroughRelu(), "batchSize", params.batchSize(),
                "shardSize", build.getShardSize(), "shards", merge.getShardJobIds().size()));
        metadata.put("seed", params.seed());
        metadata.put("codeVersion", CODE_VERSION);
        metadata.put("quality", json.valueToTree(figures));
        metadata.put("labels", c.isInversion() ? "the original labels" : "the attack targets");
        metadata.put("buildJobId", merge.getBuildJobId().toString());
        Artifact dataset = datasets.save(ctx.job().id(), c.apiName() + ".npz", data, json.writeValueAsString(metadata));

        ImageDataset originals = datasets.load(build.getTrainArtifactId(), "spec.trainArtifactId", build.getTrainLimit());
        int[] shown = IntStream.range(0, Math.min(8, data.size())).toArray();
        byte[] grid = SampleGrid.png(List.of(originals, data), List.of("original", c.apiName()), shown, classNames(build.getTrainArtifactId()));
        Artifact samples = artifacts.save(ctx.job().id(), "image", "samples.png", "image/png",
                json.writeValueAsString(Map.of("construction", c.apiName(), "datasetArtifactId", dataset.id().toString())), o -> o.write(grid));
        return new ConstructMergeResult(dataset.id(), samples.id(), data.size(), ConstructMergeResult.ConstructionEnum.fromValue(c.apiName()),
                merge.getShardJobIds().size(), figures);
    }

    private List<String> classNames(UUID trainArtifactId) {
        return artifacts.find(trainArtifactId).map(a -> {
            JsonNode names = json.readTree(a.metadata()).path("classNames");
            List<String> out = new ArrayList<>();
            names.forEach(n -> out.add(n.asString()));
            return out;
        }).orElse(List.of());
    }
}
