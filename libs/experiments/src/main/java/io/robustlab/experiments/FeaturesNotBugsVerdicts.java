package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ExperimentState;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportAuditRow;
import io.robustlab.api.model.ReportLeakage;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportTransferPoint;
import io.robustlab.api.model.ReportVerdict;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/** The verdict on each of the paper's claims, read from a features-not-bugs report's measures. */
final class FeaturesNotBugsVerdicts {

    private final ExperimentReport r;
    private final double chance;
    private final String eps;
    private final Function<String, String> controlStep;
    private final boolean running;

    /** {@code controlStep}: the training step of the same-size control a construction (robust, nonrobust, ...) is compared with. */
    FeaturesNotBugsVerdicts(ExperimentReport report, double chance, Function<String, String> controlStep) {
        this.r = report;
        this.chance = chance;
        this.controlStep = controlStep;
        this.running = report.getState() == ExperimentState.RUNNING;
        this.eps = report.getRobustNorm() + " eps " + FeaturesNotBugsReport.trim(report.getRobustEps());
    }

    List<ReportVerdict> all() {
        return List.of(robustDataset(), nonRobustDataset(), generalises("rand"), generalises("det"), transfer(), features());
    }

    /** Claim 1: D_R's model is more robust than the same data size and recipe gives with true labels. */
    private ReportVerdict robustDataset() {
        String claim = "Standard training on D_R gives a robust model";
        String criterion = "D_R model's robust accuracy at " + eps + " above its same-size control's (first N images of D, true labels,"
                + " D_R's recipe) by " + Verdicts.TEST;
        Measure dr = row("train-robust").getRobustAccuracy();
        Measure control = control("robust").getRobustAccuracy();
        if (!Measures.complete(dr, control)) {
            return Verdicts.unmeasured(claim, criterion, running);
        }
        return Verdicts.judge(claim, criterion, List.of(Verdicts.above("D_R", dr, "control", control)), null);
    }

    /** Claim 2: D_NR's model generalises, yet is no more robust than standard training and less than adversarial training. */
    private ReportVerdict nonRobustDataset() {
        String claim = "Standard training on D_NR gives a model that generalises but is not robust";
        String criterion = String.format(Locale.ROOT, "D_NR model's standard accuracy above chance (%.0f %%) and its robust accuracy at %s"
                + " below the adversarially trained model's, each by %s; and its robust accuracy not above its same-size control's by"
                + " more than %.0f points (the upper end of the difference's 95 %% interval)", 100 * chance, eps, Verdicts.TEST,
                100 * Verdicts.EQUIVALENCE_MARGIN);
        ReportModelRow nr = row("train-nonrobust");
        Measure adv = row("train-adv").getRobustAccuracy();
        Measure control = control("nonrobust").getRobustAccuracy();
        if (!Measures.complete(nr.getStandardAccuracy(), nr.getRobustAccuracy(), adv, control)) {
            return Verdicts.unmeasured(claim, criterion, running);
        }
        return Verdicts.judge(claim, criterion, List.of(
                Verdicts.aboveLevel("D_NR standard accuracy", nr.getStandardAccuracy(), "chance", chance),
                Verdicts.above("adversarial training's robust accuracy", adv, "D_NR's", nr.getRobustAccuracy()),
                Verdicts.notAboveBy("D_NR's robust accuracy", nr.getRobustAccuracy(), "its control's", control,
                        Verdicts.EQUIVALENCE_MARGIN)), null);
    }

    /** Claim 3: a model trained on D_rand / D_det generalises beyond what the labels alone teach, without robust-feature leakage. */
    private ReportVerdict generalises(String c) {
        String set = FeaturesNotBugs.datasetName(c);
        String claim = "Standard training on " + set + " generalises to the original test set";
        String criterion = String.format(Locale.ROOT, "%s model's test accuracy above chance (%.0f %%) and above its relabelled originals'"
                + " (the same images unperturbed, %s's labels), each by %s; and the construction's leakage ratio (the robust model's"
                + " agreement with the new labels on %s over that on the originals) at most %s with 95 %% confidence (the upper end of"
                + " its interval)", set, 100 * chance, set, Verdicts.TEST, set, FeaturesNotBugsReport.trim(Verdicts.MAX_LEAKAGE_RATIO));
        Measure derived = row("train-" + c).getStandardAccuracy();
        Measure relabelled = row("train-relabel-" + c).getStandardAccuracy();
        ReportLeakage leakage = r.getLeakage().stream().filter(l -> l.getConstruction().equals(c)).findFirst().orElseThrow();
        if (!Measures.complete(derived, relabelled, leakage.getLeakageRatio())) {
            return Verdicts.unmeasured(claim, criterion, running);
        }
        return Verdicts.judge(claim, criterion, List.of(Verdicts.aboveLevel(set + " test accuracy", derived, "chance", chance),
                Verdicts.above(set, derived, "relabelled originals", relabelled)), leakageCaveat(leakage.getLeakageRatio()));
    }

    /** Why the leakage ratio keeps generalisation from being credited to non-robust features; null when it is bounded by the limit. */
    private static String leakageCaveat(Measure ratio) {
        String limit = FeaturesNotBugsReport.trim(Verdicts.MAX_LEAKAGE_RATIO);
        if (ratio.getHigh() <= Verdicts.MAX_LEAKAGE_RATIO) {
            return null;
        }
        String value = String.format(Locale.ROOT, "leakage ratio %.2f (95 %% interval %.2f-%.2f)", ratio.getMean(), ratio.getLow(),
                ratio.getHigh());
        return ratio.getLow() > Verdicts.MAX_LEAKAGE_RATIO
                ? value + " > " + limit + ": robust features carry part of the new labels, so generalisation cannot be credited to"
                        + " non-robust features"
                : value + " is not shown to be at most " + limit + ": robust features may carry part of the new labels";
    }

    /** Claim 4 (Figure 3): architectures that learn more from D_det are fooled more by transferred examples. */
    private ReportVerdict transfer() {
        String claim = "Transfer success follows how well an architecture learns from D_det";
        String criterion = "every transfer architecture's D_det accuracy above chance (else the claim is untestable); the order by D_det"
                + " accuracy equals the order by transfer success (Spearman 1); and the transfer success of the highest-D_det"
                + " architecture above the lowest's by " + Verdicts.TEST;
        List<ReportTransferPoint> points = r.getTransfer().getPoints();
        if (points.size() < 2) {
            return new ReportVerdict(claim, Verdicts.INCONCLUSIVE, criterion, "fewer than two architectures");
        }
        if (points.stream().anyMatch(pt -> !Measures.complete(pt.getDetAccuracy(), pt.getTransferSuccess()))) {
            return Verdicts.unmeasured(claim, criterion, running);
        }
        return Verdicts.transfer(claim, criterion, points.stream().map(ReportTransferPoint::getArchitecture).toList(),
                points.stream().map(ReportTransferPoint::getDetAccuracy).toList(),
                points.stream().map(ReportTransferPoint::getTransferSuccess).toList(), chance);
    }

    /** Claim 5 (the feature audit): adversarial training shifts the model's useful features towards robust ones. */
    private ReportVerdict features() {
        String claim = "Adversarial training changes the features the model uses towards robust ones";
        String criterion = "the robust share of useful (unit, class) pairs of the adversarially trained model above the standard"
                + " model's by " + Verdicts.TEST;
        Measure std = audit("audit-std").getRobustUsefulShareOfUseful();
        Measure adv = audit("audit-adv").getRobustUsefulShareOfUseful();
        if (!Measures.complete(std, adv)) {
            return Verdicts.unmeasured(claim, criterion, running);
        }
        return Verdicts.judge(claim, criterion, List.of(Verdicts.above("adversarially trained", adv, "standard", std)), null);
    }

    /** The Figure 2, Table 1 or control row of the model trained by {@code step}. */
    private ReportModelRow row(String step) {
        return Stream.of(r.getFigure2(), r.getTable1(), r.getControls()).flatMap(List::stream).filter(row -> step.equals(row.getStep()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no report row for step " + step));
    }

    private ReportModelRow control(String construction) {
        return row(controlStep.apply(construction));
    }

    private ReportAuditRow audit(String step) {
        return r.getAudit().stream().filter(a -> step.equals(a.getStep())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no audit row for step " + step));
    }
}
