package io.robustlab.attack.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.AttackDatasetResult;
import io.robustlab.api.model.AttackDatasetSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.attack.DatasetAttack;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code attack.dataset}: an adversarial copy of a dataset, with how well the attack did on its model. */
@Component
public class AttackDatasetHandler extends ModelJobHandler<AttackDatasetSpec, AttackDatasetResult> {

    private final AttackMetrics metrics;

    public AttackDatasetHandler(MlJobTools tools, AttackMetrics metrics) {
        super(JobTypeCatalog.ATTACK_DATASET, AttackDatasetSpec.class, AttackDatasetResult.class, tools);
        this.metrics = metrics;
    }

    @Override
    protected AttackDatasetResult run(AttackDatasetSpec spec, JobContext ctx) throws IOException {
        ImageDataset data = datasets.load(spec.getDatasetArtifactId(), "spec.datasetArtifactId", spec.getLimit());
        PgdSettings attack = MlSpecs.pgd(spec.getAttack());
        DatasetAttack.Target target = DatasetAttack.Target.valueOf(spec.getTarget().getValue().toUpperCase(Locale.ROOT));
        try (Classifier model = loadModel(spec.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            ThrottledProgress progress = new ThrottledProgress(ctx, new Batches(data, spec.getBatchSize()).count());
            progress.phase("PGD " + spec.getAttack().getNorm().getValue() + " eps " + spec.getAttack().getEps(), 0);
            Work work = startWork();
            DatasetAttack.Outcome o = DatasetAttack.run(model, data, attack, target, spec.getSeed(), spec.getBatchSize(), progress::units);
            metrics.finished(attack.norm(), target, o.successRate());
            work.done(data.size());

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("construction", "attack.dataset");
            metadata.put("sourceModelArtifactId", spec.getModelArtifactId().toString());
            metadata.put("datasetArtifactId", spec.getDatasetArtifactId().toString());
            metadata.put("labels", "the true labels of the attacked examples");
            metadata.put("successRate", o.successRate());
            metadata.put("spec", json.readTree(ctx.spec()));
            Artifact saved = datasets.save(ctx.job().id(), "adversarial.npz", o.adversarial(), json.writeValueAsString(metadata));
            return new AttackDatasetResult().adversarialArtifactId(saved.id()).examples(data.size()).successRate(o.successRate())
                    .meanPerturbationNorm(o.meanNorm()).maxPerturbationNorm(o.maxNorm())
                    .norm(AttackDatasetResult.NormEnum.fromValue(spec.getAttack().getNorm().getValue()))
                    .cleanAccuracy(o.cleanAccuracy()).adversarialAccuracy(o.adversarialAccuracy())
                    .target(AttackDatasetResult.TargetEnum.fromValue(spec.getTarget().getValue())).device(DjlRuntime.name(model.device()));
        }
    }
}
