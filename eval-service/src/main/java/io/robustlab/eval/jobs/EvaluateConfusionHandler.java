package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateConfusionFlow;
import io.robustlab.api.model.EvaluateConfusionMatrix;
import io.robustlab.api.model.EvaluateConfusionResult;
import io.robustlab.api.model.EvaluateConfusionSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Confusion;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code eval.confusion}: where a model's predictions go, clean and under PGD against the model
 * itself. Which classes adversarial examples land in says what the attack exploits: features shared
 * by similar classes, or a class any image can be pushed into.
 */
@Component
public class EvaluateConfusionHandler extends ModelJobHandler<EvaluateConfusionSpec, EvaluateConfusionResult> {

    public EvaluateConfusionHandler(MlJobTools tools) {
        super(JobTypeCatalog.EVALUATE_CONFUSION, EvaluateConfusionSpec.class, EvaluateConfusionResult.class, tools);
    }

    @Override
    protected EvaluateConfusionResult run(EvaluateConfusionSpec spec, JobContext ctx) throws IOException {
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId", spec.getTestLimit());
        try (Classifier model = loadModel(spec.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            ModelArtifacts.requireFits(model, test, "the test set");
            int batches = new Batches(test, spec.getBatchSize()).count();
            PgdSettings attack = spec.getAttack() == null ? null : MlSpecs.pgd(spec.getAttack());
            ThrottledProgress progress = new ThrottledProgress(ctx, attack == null ? batches : 2 * batches);
            Work work = startWork();
            progress.phase("clean images", 0);
            Confusion clean = Evaluator.accuracy(model, test, null, spec.getBatchSize(), progress::units);
            Confusion attacked = null;
            if (attack != null) {
                progress.phase("PGD " + spec.getAttack().getNorm().getValue() + " eps " + spec.getAttack().getEps(), batches);
                attacked = Evaluator.accuracy(model, test, attack, spec.getBatchSize(), progress::units);
            }
            work.done(attack == null ? test.size() : 2L * test.size());
            List<EvaluateConfusionFlow> flows = (attacked != null ? attacked : clean).flows(spec.getFlows()).stream()
                    .map(f -> new EvaluateConfusionFlow(f.truth(), f.predicted(), f.count(), f.shareOfClass())).toList();
            return new EvaluateConfusionResult(spec.getModelArtifactId(), spec.getTestArtifactId(), test.size(), model.spec().classes(),
                    matrix(clean, test.size()), attacked == null ? null : matrix(attacked, test.size()), flows,
                    DjlRuntime.name(model.device()));
        }
    }

    private static EvaluateConfusionMatrix matrix(Confusion c, int n) {
        return new EvaluateConfusionMatrix(c.accuracy(), EvalResults.wilson(c.accuracy(), n),
                Arrays.stream(c.matrix()).map(row -> Arrays.stream(row).boxed().toList()).toList());
    }
}
