package io.robustlab.dataset.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.DatasetRelabelResult;
import io.robustlab.api.model.DatasetRelabelSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code dataset.relabel}: the relabelled-originals control of D_rand / D_det. Training on the
 * unperturbed images with a construction's labels shows what the labels alone teach (the source
 * model's knowledge, distilled: Wallace, in the Distill discussion of the paper), so that what the
 * perturbations add can be told apart from it. Lives beside the merge because it writes the same
 * kind of artifact: a float32 .npz with metadata naming where images and labels came from.
 */
@Component
public class DatasetRelabelHandler extends SpecJobHandler<DatasetRelabelSpec, DatasetRelabelResult> {

    private final DatasetArtifacts datasets;

    public DatasetRelabelHandler(DatasetArtifacts datasets, JsonMapper json) {
        super(JobTypeCatalog.DATASET_RELABEL, DatasetRelabelSpec.class, DatasetRelabelResult.class, json);
        this.datasets = datasets;
    }

    @Override
    protected DatasetRelabelResult run(DatasetRelabelSpec spec, JobContext ctx) throws IOException {
        ctx.progress(0.05, "reading the datasets");
        ImageDataset labels = datasets.load(spec.getLabelsArtifactId(), "spec.labelsArtifactId");
        ImageDataset images = datasets.loadPaired(spec.getImagesArtifactId(), "spec.imagesArtifactId", labels, "spec.labelsArtifactId");
        int changed = 0;
        for (int i = 0; i < labels.size(); i++) {
            changed += labels.labels()[i] != images.labels()[i] ? 1 : 0;
        }
        // The images' pixels untouched (float32 in [0,1] as read), each with the label of its pair.
        ImageDataset relabelled = new ImageDataset(images.images(), labels.labels().clone(), images.channels(), images.height(),
                images.width());

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("construction", "relabel");
        metadata.put("imagesArtifactId", spec.getImagesArtifactId().toString());
        metadata.put("labelsArtifactId", spec.getLabelsArtifactId().toString());
        metadata.put("examples", relabelled.size());
        metadata.put("changedLabels", changed);
        metadata.put("codeVersion", DatasetConstructMergeHandler.CODE_VERSION);
        metadata.put("images", "the first examples of imagesArtifactId, unperturbed");
        metadata.put("labels", "the labels of labelsArtifactId");
        ctx.progress(0.5, "writing " + relabelled.size() + " relabelled images (" + changed + " labels changed)");
        Artifact dataset = datasets.save(ctx.job().id(), "relabelled.npz", relabelled, json.writeValueAsString(metadata));
        return new DatasetRelabelResult(dataset.id(), relabelled.size(), changed, spec.getImagesArtifactId(), spec.getLabelsArtifactId());
    }
}
