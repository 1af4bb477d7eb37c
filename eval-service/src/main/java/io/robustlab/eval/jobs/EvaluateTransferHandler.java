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
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ThrottledProgress;
import io.robustlab.mlservice.WorkMetrics;
import io.robustlab.service.jobs.SpecJobHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** {@code eval.transfer}: PGD examples from a source model, scored on target models (the paper's Figure 3). */
@Component
public class EvaluateTransferHandler extends SpecJobHandler<TransferEvaluationSpec, TransferEvaluationResult> {

    private final ModelArtifacts models;
    private final DatasetArtifacts datasets;
    private final EvalMetrics metrics;
    private final WorkMetrics work;

    public EvaluateTransferHandler(ModelArtifacts models, DatasetArtifacts datasets, EvalMetrics metrics, WorkMetrics work,
                                     JsonMapper json) {
        super(JobTypeCatalog.EVALUATE_TRANSFER, TransferEvaluationSpec.class, TransferEvaluationResult.class, json);
        this.models = models;
        this.datasets = datasets;
        this.metrics = metrics;
        this.work = work;
    }

    @Override
    protected TransferEvaluationResult run(TransferEvaluationSpec spec, JobContext ctx) throws IOException {
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId", spec.getTestLimit());
        List<Classifier> targets = new ArrayList<>();
        try (Classifier source = models.load(spec.getSourceModelArtifactId(), "spec.sourceModelArtifactId", MlSpecs.device(ctx))) {
            for (int i = 0; i < spec.getTargetModelArtifactIds().size(); i++) {
                targets.add(models.load(spec.getTargetModelArtifactIds().get(i), "spec.targetModelArtifactIds[" + i + "]", source.device()));
            }
            ThrottledProgress progress = new ThrottledProgress(ctx, new Batches(test, spec.getBatchSize()).count());
            progress.phase("PGD on the source, " + targets.size() + " targets", 0);
            long start = System.nanoTime();
            TransferEvaluation.Outcome o = TransferEvaluation.run(source, targets, test, MlSpecs.pgd(spec.getAttack()),
                    spec.getBatchSize(), 0, progress::units);
            List<TransferEvaluationModelOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                outcomes.add(outcome(spec.getTargetModelArtifactIds().get(i), o.targets().get(i)));
                TransferEvaluation.TargetOutcome t = o.targets().get(i);
                metrics.transferred(targets.get(i).spec().architecture().apiName(), t.transferSuccess());
            }
            work.finished(type(), test.size(), System.nanoTime() - start);
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
