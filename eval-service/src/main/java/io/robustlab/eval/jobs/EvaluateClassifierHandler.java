package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.RobustnessSpec;
import io.robustlab.api.model.ThreatModel;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Confusion;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ThrottledProgress;
import io.robustlab.mlservice.WorkMetrics;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval.classifier}: accuracy on clean images, then under PGD at each eps (k steps of
 * 2.5 * eps / k against the model itself, BatchNorm in eval mode). Every robust figure carries the
 * attack that produced it.
 */
@Component
public class EvaluateClassifierHandler extends SpecJobHandler<EvaluateClassifierSpec> {

    public record RobustAccuracy(float eps, double accuracy) {
    }

    public record AttackUsed(String norm, int steps, String stepSize, int restarts, boolean randomStart) {
    }

    public record EvaluationResult(UUID modelArtifactId, UUID testArtifactId, int examples, double standardAccuracy,
                                   List<Double> perClassAccuracy, List<List<Long>> confusionMatrix, int robustExamples,
                                   List<RobustAccuracy> robust, AttackUsed attack, String device, ThreatModel threatModel) {
    }

    private final ModelArtifacts models;
    private final DatasetArtifacts datasets;
    private final EvalMetrics metrics;
    private final WorkMetrics work;

    public EvaluateClassifierHandler(ModelArtifacts models, DatasetArtifacts datasets, EvalMetrics metrics, WorkMetrics work,
                                     JsonMapper json) {
        super(JobTypeCatalog.EVALUATE_CLASSIFIER, EvaluateClassifierSpec.class, json);
        this.models = models;
        this.datasets = datasets;
        this.metrics = metrics;
        this.work = work;
    }

    @Override
    protected EvaluationResult run(EvaluateClassifierSpec spec, JobContext ctx) throws IOException {
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId", spec.getTestLimit());
        try (Classifier model = models.load(spec.getModelArtifactId(), "spec.modelArtifactId", MlSpecs.device(ctx))) {
            Classifier.ModelSpec m = model.spec();
            ModelArtifacts.requireFits(model, test, "the test set");
            RobustnessSpec robustness = spec.getRobustness();
            List<Float> epsilons = robustness == null ? List.of() : robustness.getEps();
            // Attacks cost steps x restarts forward-backward passes per image, so they may use a prefix.
            ImageDataset attacked = robustness == null || robustness.getTestLimit() == null
                    ? test : test.subset(0, Math.min(test.size(), robustness.getTestLimit()));
            int batchSize = spec.getBatchSize();
            int cleanBatches = new Batches(test, batchSize).count();
            int batchesPerPass = new Batches(attacked, batchSize).count();
            ThrottledProgress progress = new ThrottledProgress(ctx, cleanBatches + batchesPerPass * epsilons.size());

            long start = System.nanoTime();
            progress.phase("clean images", 0);
            Confusion clean = Evaluator.accuracy(model, test, null, batchSize, progress::units);
            List<RobustAccuracy> robust = new ArrayList<>();
            AttackUsed used = null;
            for (int i = 0; i < epsilons.size(); i++) {
                float eps = epsilons.get(i);
                Norm norm = MlSpecs.norm(robustness.getNorm().getValue());
                int restarts = robustness.getRestarts();
                // eps 0 is the clean accuracy of the attacked examples (the curve's first point), no attack.
                PgdSettings attack = eps == 0 ? null : PgdSettings.evaluation(norm, eps, robustness.getSteps(), restarts);
                if (attack != null) {
                    used = new AttackUsed(norm.name().toLowerCase(Locale.ROOT), robustness.getSteps(), "2.5 * eps / steps", restarts,
                            attack.randomStart());
                }
                progress.phase(String.format(Locale.ROOT, "PGD %s eps %.4g", norm.name().toLowerCase(Locale.ROOT), eps),
                        cleanBatches + i * batchesPerPass);
                double accuracy = attack == null && attacked == test ? clean.accuracy()
                        : Evaluator.accuracy(model, attacked, attack, batchSize, progress::units).accuracy();
                robust.add(new RobustAccuracy(eps, accuracy));
            }
            long attackedImages = robust.stream().filter(r -> r.eps() != 0).count() * attacked.size();
            work.finished(type(), test.size() + attackedImages, System.nanoTime() - start);
            metrics.evaluated(m.architecture().apiName(), datasets.family(spec.getTestArtifactId()), clean.accuracy(),
                    robustness == null ? "none" : robustness.getNorm().getValue(), robust);
            return new EvaluationResult(spec.getModelArtifactId(), spec.getTestArtifactId(), test.size(), clean.accuracy(),
                    Arrays.stream(clean.perClassAccuracy()).boxed().toList(),
                    Arrays.stream(clean.matrix()).map(row -> Arrays.stream(row).boxed().toList()).toList(),
                    epsilons.isEmpty() ? 0 : attacked.size(), robust, used, DjlRuntime.name(model.device()),
                    models.threatModel(spec.getModelArtifactId()));
        }
    }
}
