package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.PgdSpecs;
import io.robustlab.api.model.ConfidenceInterval;
import io.robustlab.api.model.EvaluateClassifierAfterAttack;
import io.robustlab.api.model.EvaluateClassifierAttackUsed;
import io.robustlab.api.model.EvaluateClassifierDiagnostics;
import io.robustlab.api.model.EvaluateClassifierMaskingCheck;
import io.robustlab.api.model.EvaluateClassifierResult;
import io.robustlab.api.model.EvaluateClassifierRobustPoint;
import io.robustlab.api.model.EvaluateClassifierSuiteBudget;
import io.robustlab.api.model.RobustnessSpec;
import io.robustlab.ml.attack.AttackSuite;
import io.robustlab.ml.attack.MaskingDiagnostics;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.attack.SuiteSettings;
import io.robustlab.ml.eval.Confusion;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The one place eval-service turns what the ML library measured into its API result models. */
final class EvalResults {

    private EvalResults() {
    }

    /** The clean figures of an evaluation: accuracy with its interval, per class, and the confusion matrix. */
    static EvaluateClassifierResult clean(Confusion clean, int n) {
        return new EvaluateClassifierResult().examples(n).standardAccuracy(clean.accuracy())
                .standardInterval95(wilson(clean.accuracy(), n))
                .perClassAccuracy(Arrays.stream(clean.perClassAccuracy()).mapToObj(a -> Double.isNaN(a) ? null : a).toList())
                .confusionMatrix(Arrays.stream(clean.matrix()).map(row -> Arrays.stream(row).boxed().toList()).toList());
    }

    /** A robust accuracy with no suite behind it: PGD's, or at eps 0 the clean accuracy of the attacked examples. */
    static EvaluateClassifierRobustPoint point(float eps, double accuracy, int n) {
        return new EvaluateClassifierRobustPoint().eps(eps).accuracy(accuracy).n(n).interval95(wilson(accuracy, n));
    }

    /** A suite's robust accuracy, after each of its attacks, with PGD's on the same points beside it. */
    static EvaluateClassifierRobustPoint suitePoint(float eps, AttackSuite.Outcome o, double pgdAccuracy, UUID outcomesArtifactId) {
        return point(eps, (double) o.robust() / o.examples(), o.examples()).pgdAccuracy(pgdAccuracy)
                .pgdInterval95(wilson(pgdAccuracy, o.examples())).outcomesArtifactId(outcomesArtifactId)
                .afterEachAttack(o.stages().stream().map(s -> new EvaluateClassifierAfterAttack()
                        .attack(EvaluateClassifierAfterAttack.AttackEnum.fromValue(s.attack().apiName()))
                        .robustAccuracy((double) s.robustAfter() / o.examples())
                        .interval95(wilson((double) s.robustAfter() / o.examples(), o.examples()))
                        .forwardPasses(s.forwards()).gradientPasses(s.backwards()).seconds(s.seconds())).toList());
    }

    /** The attack behind the robust figures: PGD's settings always, the suite's budget when one ran. */
    static EvaluateClassifierAttackUsed attackUsed(RobustnessSpec r, PgdSettings pgd, SuiteSettings suite) {
        return new EvaluateClassifierAttackUsed().name(EvaluateClassifierAttackUsed.NameEnum.fromValue(r.getAttack().getValue()))
                .norm(EvaluateClassifierAttackUsed.NormEnum.fromValue(r.getNorm().getValue())).steps(r.getSteps())
                .stepSize(PgdSpecs.DEFAULT_STEP_RULE).restarts(r.getRestarts()).randomStart(pgd.randomStart()).seed(r.getSeed())
                .suite(suite == null ? null : new EvaluateClassifierSuiteBudget()
                        .attacks(suite.attacks().stream().map(a -> EvaluateClassifierSuiteBudget.AttacksEnum.fromValue(a.apiName())).toList())
                        .apgdIterations(suite.apgdIterations()).targetClasses(suite.targets()).fabIterations(suite.fabIterations())
                        .squareQueries(suite.squareQueries()));
    }

    static EvaluateClassifierDiagnostics diagnostics(float eps, MaskingDiagnostics.Report report) {
        return new EvaluateClassifierDiagnostics().eps(eps).masked(report.masked()).flags(report.flags())
                .checks(report.checks().stream().map(c -> new EvaluateClassifierMaskingCheck().name(c.name()).flagged(c.flagged())
                        .finding(c.finding()).numbers(doubles(c.numbers()))).toList());
    }

    static ConfidenceInterval interval(Interval i) {
        return new ConfidenceInterval(i.low(), i.high());
    }

    static ConfidenceInterval wilson(double accuracy, int n) {
        return interval(Proportion.ofRate(accuracy, n).wilson95());
    }

    private static Map<String, Double> doubles(Map<String, Number> numbers) {
        Map<String, Double> out = new LinkedHashMap<>();
        numbers.forEach((k, v) -> out.put(k, v == null || Double.isNaN(v.doubleValue()) ? null : v.doubleValue()));
        return out;
    }
}
