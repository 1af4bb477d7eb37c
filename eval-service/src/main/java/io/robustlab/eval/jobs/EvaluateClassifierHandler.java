package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateClassifierSpec;
import io.robustlab.api.model.RobustnessSpec;
import io.robustlab.api.model.ThreatModel;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
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
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ThrottledProgress;
import io.robustlab.mlservice.WorkMetrics;
import io.robustlab.service.jobs.SpecJobHandler;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval.classifier}: accuracy on clean images, then under the chosen attack at each eps
 * against the model itself (BatchNorm in eval mode): PGD (k steps of 2.5 * eps / k), one attack of
 * the AutoAttack suite, or the suite. Every accuracy carries its n and 95 % Wilson interval, and
 * every robust figure the attack that produced it. With a suite attack, PGD runs beside it on the
 * same points, each eps's per-point outcome is stored as a CSV artifact, and the gradient-masking
 * diagnostics run at the largest eps.
 */
@Component
public class EvaluateClassifierHandler extends SpecJobHandler<EvaluateClassifierSpec> {

    /** Robust accuracy at one eps; with a suite attack, also after each of its attacks and under PGD. */
    public record RobustAccuracy(float eps, double accuracy, int n, Interval interval95, Double pgdAccuracy, Interval pgdInterval95,
                                 List<AfterAttack> afterEachAttack, UUID outcomesArtifactId) {
    }

    /** The robust accuracy after one attack of the suite (cumulative, as AutoAttack prints it) and what it cost. */
    public record AfterAttack(String attack, double robustAccuracy, Interval interval95, long forwardPasses, long gradientPasses,
                              double seconds) {
    }

    /**
     * @param name        pgd, apgd-ce, ..., autoattack, autoattack-cheap
     * @param steps       PGD's steps (PGD runs beside every suite attack)
     * @param suite       the suite's attacks and budgets; null for pgd
     */
    public record AttackUsed(String name, String norm, int steps, String stepSize, int restarts, boolean randomStart, long seed,
                             SuiteBudget suite) {
    }

    public record SuiteBudget(List<String> attacks, int apgdIterations, int targetClasses, int fabIterations, int squareQueries) {
    }

    /** The gradient-masking checks at one eps: {@code masked} when any flags. */
    public record Diagnostics(float eps, boolean masked, List<String> flags, List<MaskingDiagnostics.Check> checks) {
    }

    public record EvaluationResult(UUID modelArtifactId, UUID testArtifactId, int examples, double standardAccuracy,
                                   Interval standardInterval95, List<Double> perClassAccuracy, List<List<Long>> confusionMatrix,
                                   int robustExamples, List<RobustAccuracy> robust, AttackUsed attack, Diagnostics diagnostics, String device,
                                   ThreatModel threatModel) {
    }

    private final ModelArtifacts models;
    private final DatasetArtifacts datasets;
    private final Artifacts artifacts;
    private final EvalMetrics metrics;
    private final WorkMetrics work;

    public EvaluateClassifierHandler(ModelArtifacts models, DatasetArtifacts datasets, Artifacts artifacts, EvalMetrics metrics,
                                     WorkMetrics work, JsonMapper json) {
        super(JobTypeCatalog.EVALUATE_CLASSIFIER, EvaluateClassifierSpec.class, json);
        this.models = models;
        this.datasets = datasets;
        this.artifacts = artifacts;
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

            long start = System.nanoTime();
            progress.phase("clean images", 0);
            Confusion clean = Evaluator.accuracy(model, test, null, batchSize, progress::units);
            List<RobustAccuracy> robust = new ArrayList<>();
            AttackUsed used = null;
            Diagnostics diagnostics = null;
            float largest = epsilons.stream().max(Float::compare).orElse(0f);
            for (int i = 0; i < epsilons.size(); i++) {
                float eps = epsilons.get(i);
                int base = cleanBatches + i * unitsPerEps;
                if (eps == 0) {
                    // eps 0 is the clean accuracy of the attacked examples (the curve's first point), no attack.
                    double accuracy = attacked == test ? clean.accuracy() : Evaluator.accuracy(model, attacked, null, batchSize, b -> { }).accuracy();
                    robust.add(point(eps, accuracy, attacked.size(), null, List.of(), null));
                    continue;
                }
                Norm norm = MlSpecs.norm(robustness.getNorm().getValue());
                PgdSettings pgd = PgdSettings.evaluation(norm, eps, robustness.getSteps(), robustness.getRestarts());
                progress.phase(String.format(Locale.ROOT, "PGD %s eps %.4g", norm.name().toLowerCase(Locale.ROOT), eps), base);
                double pgdAccuracy = Evaluator.accuracy(model, attacked, pgd, batchSize, progress::units).accuracy();
                if (!suite) {
                    used = new AttackUsed("pgd", norm.name().toLowerCase(Locale.ROOT), robustness.getSteps(), "2.5 * eps / steps",
                            robustness.getRestarts(), pgd.randomStart(), robustness.getSeed(), null);
                    robust.add(point(eps, pgdAccuracy, attacked.size(), null, List.of(), null));
                    continue;
                }
                SuiteSettings settings = suiteSettings(attackName, norm, eps);
                used = new AttackUsed(attackName, norm.name().toLowerCase(Locale.ROOT), robustness.getSteps(), "2.5 * eps / steps",
                        robustness.getRestarts(), pgd.randomStart(), robustness.getSeed(), budget(settings));
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
                    robust.add(point(eps, (double) outcome.robust() / outcome.examples(), outcome.examples(), pgdAccuracy,
                            afterEachAttack(outcome), outcomes.id()));
                    if (eps == largest && diagnostics == null) {
                        progress.phase("gradient-masking diagnostics at eps " + EvalMetrics.epsLabel(eps), diagnosticsAt);
                        MaskingDiagnostics.Report report = MaskingDiagnostics.run(queries, attacked, outcome, pgdAccuracy,
                                robustness.getSeed(), batchSize);
                        diagnostics = new Diagnostics(eps, report.masked(), report.flags(), report.checks());
                    }
                }
            }
            long attackedImages = robust.stream().filter(r -> r.eps() != 0).count() * attacked.size();
            work.finished(type(), test.size() + attackedImages, System.nanoTime() - start);
            metrics.evaluated(m.architecture().apiName(), datasets.family(spec.getTestArtifactId()), clean.accuracy(),
                    robustness == null ? "none" : robustness.getNorm().getValue(), attackName, robust);
            return new EvaluationResult(spec.getModelArtifactId(), spec.getTestArtifactId(), test.size(), clean.accuracy(),
                    interval(clean.accuracy(), test.size()), Arrays.stream(clean.perClassAccuracy()).boxed().toList(),
                    Arrays.stream(clean.matrix()).map(row -> Arrays.stream(row).boxed().toList()).toList(),
                    epsilons.isEmpty() ? 0 : attacked.size(), robust, used, diagnostics, DjlRuntime.name(model.device()),
                    models.threatModel(spec.getModelArtifactId()));
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

    private static SuiteBudget budget(SuiteSettings s) {
        return new SuiteBudget(s.attacks().stream().map(SuiteAttack::apiName).toList(), s.apgdIterations(), s.targets(), s.fabIterations(),
                s.squareQueries());
    }

    private static List<AfterAttack> afterEachAttack(AttackSuite.Outcome o) {
        return o.stages().stream().map(s -> new AfterAttack(s.attack().apiName(), (double) s.robustAfter() / o.examples(),
                interval((double) s.robustAfter() / o.examples(), o.examples()), s.forwards(), s.backwards(), s.seconds())).toList();
    }

    private static RobustAccuracy point(float eps, double accuracy, int n, Double pgdAccuracy, List<AfterAttack> stages, UUID outcomes) {
        return new RobustAccuracy(eps, accuracy, n, interval(accuracy, n), pgdAccuracy,
                pgdAccuracy == null ? null : interval(pgdAccuracy, n), stages, outcomes);
    }

    private static Interval interval(double accuracy, int n) {
        return Proportion.ofRate(accuracy, n).wilson95();
    }
}
