package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.TransferEvaluationModelOutcome;
import io.robustlab.api.model.TransferEvaluationResult;
import io.robustlab.api.model.TransferEvaluationSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.TransferEvaluation;
import io.robustlab.ml.model.Classifier;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** {@code eval.transfer}: PGD examples from a source model, scored on target models (the paper's Figure 3). */
@Component
public class EvaluateTransferHandler extends ModelJobHandler<TransferEvaluationSpec, TransferEvaluationResult> {

    private final EvalMetrics metrics;

    public EvaluateTransferHandler(MlJobTools tools, EvalMetrics metrics) {
        super(JobTypeCatalog.EVALUATE_TRANSFER, TransferEvaluationSpec.class, TransferEvaluationResult.class, tools);
        this.metrics = metrics;
    }

    @Override
    protected TransferEvaluationResult run(TransferEvaluationSpec spec, JobContext ctx) throws IOException {
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId", spec.getTestLimit());
        List<Classifier> targets = new ArrayList<>();
        try (Classifier source = loadModel(spec.getSourceModelArtifactId(), "spec.sourceModelArtifactId", ctx)) {
            for (int i = 0; i < spec.getTargetModelArtifactIds().size(); i++) {
                targets.add(models.load(spec.getTargetModelArtifactIds().get(i), "spec.targetModelArtifactIds[" + i + "]", source.device()));
            }
            ThrottledProgress progress = new ThrottledProgress(ctx, new Batches(test, spec.getBatchSize()).count());
            progress.phase("PGD on the source, " + targets.size() + " targets", 0);
            Work work = startWork();
            TransferEvaluation.Outcome o = TransferEvaluation.run(source, targets, test, MlSpecs.pgd(spec.getAttack()),
                    spec.getBatchSize(), 0, progress::units);
            List<TransferEvaluationModelOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                TransferEvaluation.TargetOutcome t = o.targets().get(i);
                outcomes.add(outcome(spec.getTargetModelArtifactIds().get(i), t));
                metrics.transferred(targets.get(i).spec().architecture().apiName(), t.transferSuccess());
            }
            work.done(test.size());
            return new TransferEvaluationResult(test.size(), outcome(spec.getSourceModelArtifactId(), o.source()), outcomes);
        } finally {
            targets.forEach(Classifier::close);
        }
    }

    /** One model's figures, with how it was trained to resist attacks (its threat model). */
    private TransferEvaluationModelOutcome outcome(UUID model, TransferEvaluation.TargetOutcome o) {
        return new TransferEvaluationModelOutcome().modelArtifactId(model).cleanAccuracy(o.cleanAccuracy())
                .adversarialAccuracy(o.adversarialAccuracy()).transferSuccess(o.transferSuccess()).threatModel(models.threatModel(model));
    }
}
