package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateClassifierAttackUsed;
import io.robustlab.api.model.EvaluateClassifierDiagnostics;
import io.robustlab.api.model.EvaluateClassifierResult;
import io.robustlab.api.model.EvaluateClassifierRobustPoint;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.RobustnessSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.attack.AttackSuite;
import io.robustlab.ml.attack.MaskingDiagnostics;
import io.robustlab.ml.attack.ModelQueries;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.attack.SuiteAttack;
import io.robustlab.ml.attack.SuiteSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Confusion;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * {@code eval.classifier}: accuracy on clean images, then under the chosen attack at each eps
 * against the model itself (BatchNorm in eval mode): PGD (k steps of 2.5 * eps / k), one attack of
 * the AutoAttack suite, or the suite. Every accuracy carries its n and 95 % Wilson interval, and
 * every robust figure the attack that produced it. With a suite attack, PGD runs beside it on the
 * same points, each eps's per-point outcome is stored as a CSV artifact, and the gradient-masking
 * diagnostics run at the largest eps.
 */
@Component
public class EvaluateClassifierHandler extends ModelJobHandler<EvaluateClassifierSpec, EvaluateClassifierResult> {

    private final EvalMetrics metrics;

    public EvaluateClassifierHandler(MlJobTools tools, EvalMetrics metrics) {
        super(JobTypeCatalog.EVALUATE_CLASSIFIER, EvaluateClassifierSpec.class, EvaluateClassifierResult.class, tools);
        this.metrics = metrics;
    }

    @Override
    protected EvaluateClassifierResult run(EvaluateClassifierSpec spec, JobContext ctx) throws IOException {
        ImageDataset test = datasets.load(spec.getTestArtifactId(), "spec.testArtifactId", spec.getTestLimit());
        try (Classifier model = loadModel(spec.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            Classifier.ModelSpec m = model.spec();
            ModelArtifacts.requireFits(model, test, "the test set");
            RobustnessSpec robustness = spec.getRobustness();
            List<Float> epsilons = robustness == null ? List.of() : robustness.getEps();
            // Attacks cost many forward-backward passes per image, so they may use a prefix.
            ImageDataset attacked = robustness == null || robustness.getTestLimit() == null
                    ? test : test.subset(0, Math.min(test.size(), robustness.getTestLimit()));
            int batchSize = spec.getBatchSize();
            int cleanBatches = new Batches(test, batchSize).count();
            int batchesPerPass = new Batches(attacked, batchSize).count();
            String attackName = robustness == null ? "pgd" : robustness.getAttack().getValue();
            boolean suite = !attackName.equals("pgd");
            if (suite && suiteSettings(attackName, Norm.L2, 1f).attacks().contains(SuiteAttack.APGD_T) && m.classes() < 4) {
                throw new PermanentJobFailure("spec.robustness.attack: " + attackName + " runs APGD-T, whose targeted DLR loss needs at least"
                        + " 4 classes; this model has " + m.classes() + " (choose apgd-ce, fab-t or square)");
            }
            // A suite attack's share of the progress bar: PGD's pass, then the suite's attacks; the diagnostics one pass at the end.
            int unitsPerEps = batchesPerPass * (suite ? 2 : 1);
            int diagnosticsAt = cleanBatches + unitsPerEps * epsilons.size();
            ThrottledProgress progress = new ThrottledProgress(ctx, diagnosticsAt + (suite ? batchesPerPass : 0));

            Work work = startWork();
            progress.phase("clean images", 0);
            Confusion clean = Evaluator.accuracy(model, test, null, batchSize, progress::units);
            List<EvaluateClassifierRobustPoint> robust = new ArrayList<>();
            EvaluateClassifierAttackUsed used = null;
            EvaluateClassifierDiagnostics diagnostics = null;
            float largest = epsilons.stream().max(Float::compare).orElse(0f);
            for (int i = 0; i < epsilons.size(); i++) {
                float eps = epsilons.get(i);
                int base = cleanBatches + i * unitsPerEps;
                if (eps == 0) {
                    // eps 0 is the clean accuracy of the attacked examples (the curve's first point), no attack.
                    double accuracy = attacked == test ? clean.accuracy() : Evaluator.accuracy(model, attacked, null, batchSize, b -> { }).accuracy();
                    robust.add(EvalResults.point(eps, accuracy, attacked.size()));
                    continue;
                }
                Norm norm = MlSpecs.norm(robustness.getNorm().getValue());
                PgdSettings pgd = MlSpecs.evaluationPgd(norm, eps, robustness.getSteps(), robustness.getRestarts());
                progress.phase(String.format(Locale.ROOT, "PGD %s eps %.4g", norm.name().toLowerCase(Locale.ROOT), eps), base);
                double pgdAccuracy = Evaluator.accuracy(model, attacked, pgd, batchSize, progress::units).accuracy();
                if (!suite) {
                    used = EvalResults.attackUsed(robustness, pgd, null);
                    robust.add(EvalResults.point(eps, pgdAccuracy, attacked.size()));
                    continue;
                }
                SuiteSettings settings = suiteSettings(attackName, norm, eps);
                used = EvalResults.attackUsed(robustness, pgd, settings);
                String phase = String.format(Locale.ROOT, "%s %s eps %.4g", attackName, norm.name().toLowerCase(Locale.ROOT), eps);
                int suiteBase = base + batchesPerPass;
                int stages = settings.attacks().size();
                try (ModelQueries queries = ModelQueries.of(model)) {
                    progress.phase(phase, suiteBase);
                    AttackSuite.Outcome outcome = AttackSuite.run(queries, attacked, settings, robustness.getSeed(), batchSize,
                            (attack, done, total) -> progress.units((int) (batchesPerPass
                                    * (settings.attacks().indexOf(attack) + (double) done / Math.max(1, total)) / stages)));
                    Artifact outcomes = artifacts.save(ctx.job().id(), "evaluation-outcomes",
                            String.format(Locale.ROOT, "outcomes-%s-%s-eps-%s.csv", attackName, norm.name().toLowerCase(Locale.ROOT),
                                    EvalMetrics.epsLabel(eps)), "text/csv", "{}",
                            out -> out.write(outcome.csv().getBytes(StandardCharsets.UTF_8)));
                    robust.add(EvalResults.suitePoint(eps, outcome, pgdAccuracy, outcomes.id()));
                    if (eps == largest && diagnostics == null) {
                        progress.phase("gradient-masking diagnostics at eps " + EvalMetrics.epsLabel(eps), diagnosticsAt);
                        MaskingDiagnostics.Report report = MaskingDiagnostics.run(queries, attacked, outcome, pgdAccuracy,
                                robustness.getSeed(), batchSize);
                        diagnostics = EvalResults.diagnostics(eps, report);
                    }
                }
            }
            long attackedImages = robust.stream().filter(r -> r.getEps() != 0).count() * attacked.size();
            work.done(test.size() + attackedImages);
            metrics.evaluated(m.architecture().apiName(), datasets.family(spec.getTestArtifactId()), clean.accuracy(),
                    robustness == null ? "none" : robustness.getNorm().getValue(), attackName, robust);
            return EvalResults.clean(clean, test.size()).modelArtifactId(spec.getModelArtifactId())
                    .testArtifactId(spec.getTestArtifactId()).robustExamples(epsilons.isEmpty() ? 0 : attacked.size()).robust(robust)
                    .attack(used).diagnostics(diagnostics).device(DjlRuntime.name(model.device()))
                    .threatModel(models.threatModel(spec.getModelArtifactId()));
        }
    }

    /** The suite an API attack name stands for. */
    static SuiteSettings suiteSettings(String attack, Norm norm, float eps) {
        return switch (attack) {
            case "autoattack" -> SuiteSettings.standard(norm, eps);
            case "autoattack-cheap" -> SuiteSettings.cheap(norm, eps);
            default -> SuiteSettings.single(Arrays.stream(SuiteAttack.values()).filter(a -> a.apiName().equals(attack)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown attack " + attack)), norm, eps);
        };
    }
}
