package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateLeakageAgreement;
import io.robustlab.api.model.EvaluateLeakageResult;
import io.robustlab.api.model.EvaluateLeakageShare;
import io.robustlab.api.model.EvaluateLeakageSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * {@code eval.leakage}: does a D_rand / D_det construction carry its new label in robust features?
 * A perturbation large enough to draw the target class leaks them (Goh, in the Distill discussion
 * of the paper), and then a robust model, which ignores non-robust features, follows the new label
 * on the constructed images more often than on their unperturbed originals. Only the examples whose
 * label changed count: where t = y the construction asked nothing of the image.
 */
@Component
public class EvaluateLeakageHandler extends ModelJobHandler<EvaluateLeakageSpec, EvaluateLeakageResult> {

    public EvaluateLeakageHandler(MlJobTools tools) {
        super(JobTypeCatalog.EVALUATE_LEAKAGE, EvaluateLeakageSpec.class, EvaluateLeakageResult.class, tools);
    }

    @Override
    protected EvaluateLeakageResult run(EvaluateLeakageSpec spec, JobContext ctx) throws IOException {
        ImageDataset constructed = datasets.load(spec.getConstructedArtifactId(), "spec.constructedArtifactId");
        ImageDataset originals = datasets.loadPaired(spec.getOriginalArtifactId(), "spec.originalArtifactId", constructed,
                "spec.constructedArtifactId");
        int[] targets = constructed.labels();
        int[] truth = originals.labels();
        int[] changed = IntStream.range(0, constructed.size()).filter(i -> targets[i] != truth[i]).toArray();
        if (changed.length == 0) {
            throw new PermanentJobFailure(String.format(Locale.ROOT,
                    "no label changed: spec.constructedArtifactId's %d labels equal those of the first %d examples of"
                            + " spec.originalArtifactId, so there is no new label to agree with (is it a D_rand or D_det set?)",
                    constructed.size(), constructed.size()));
        }
        try (Classifier model = loadModel(spec.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            ModelArtifacts.requireFits(model, constructed, "spec.constructedArtifactId");
            int classes = model.spec().classes();
            if (constructed.classes() > classes || originals.classes() > classes) {
                throw new PermanentJobFailure(String.format(Locale.ROOT, "the model has %d classes, the labels go up to %d",
                        classes, Math.max(constructed.classes(), originals.classes()) - 1));
            }
            ImageDataset onConstructed = constructed.select(changed);
            ImageDataset onOriginals = originals.select(changed);
            int batchSize = spec.getBatchSize();
            int batches = new Batches(onConstructed, batchSize).count();
            ThrottledProgress progress = new ThrottledProgress(ctx, 2 * batches);

            Work work = startWork();
            progress.phase("constructed images (" + changed.length + " with a new label)", 0);
            int[] predictedConstructed = Evaluator.predictions(model, onConstructed, null, batchSize, progress::units);
            progress.phase("unperturbed originals", batches);
            int[] predictedOriginal = Evaluator.predictions(model, onOriginals, null, batchSize, progress::units);
            work.done(2L * changed.length);

            // Both sets carry t and y in the same order: the selected examples' targets and true labels.
            int[] t = onConstructed.labels();
            int[] y = onOriginals.labels();
            EvaluateLeakageAgreement c = agreement(predictedConstructed, t, y);
            EvaluateLeakageAgreement o = agreement(predictedOriginal, t, y);
            Double ratio = o.getAgreesWithNew().getSuccesses() == 0 ? null
                    : c.getAgreesWithNew().getRate() / o.getAgreesWithNew().getRate();
            return new EvaluateLeakageResult(spec.getModelArtifactId(), spec.getConstructedArtifactId(), spec.getOriginalArtifactId(),
                    constructed.size(), changed.length, c, o, ratio, DjlRuntime.name(model.device()));
        }
    }

    /** How often the model's prediction on one set of images is the new label t, and the original label y. */
    private static EvaluateLeakageAgreement agreement(int[] predicted, int[] newLabels, int[] originalLabels) {
        long withNew = 0;
        long withOriginal = 0;
        for (int i = 0; i < predicted.length; i++) {
            withNew += predicted[i] == newLabels[i] ? 1 : 0;
            withOriginal += predicted[i] == originalLabels[i] ? 1 : 0;
        }
        return new EvaluateLeakageAgreement(share(withNew, predicted.length), share(withOriginal, predicted.length));
    }

    /** {@code successes} of {@code n}, with the Wilson 95 % interval [low, high] of its rate. */
    private static EvaluateLeakageShare share(long successes, long n) {
        Proportion p = new Proportion(successes, n);
        Interval ci = p.wilson95();
        return new EvaluateLeakageShare(successes, n, p.rate(), ci.low(), ci.high());
    }
}
