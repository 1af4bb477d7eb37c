package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportLeakage;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportTransferPoint;
import io.robustlab.api.model.ReportVerdict;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/** The verdict on each of the paper's claims, read from a features-not-bugs report's measures. */
final class FeaturesNotBugsVerdicts {

    private final ExperimentReport r;
    private final double chance;
    private final String eps;
    private final Function<String, String> controlStep;

    /** {@code controlStep}: the training step of the same-size control a construction (robust, nonrobust, ...) is compared with. */
    FeaturesNotBugsVerdicts(ExperimentReport report, double chance, Function<String, String> controlStep) {
        this.r = report;
        this.chance = chance;
        this.controlStep = controlStep;
        this.eps = report.getRobustNorm() + " eps " + FeaturesNotBugsReport.trim(report.getRobustEps());
    }

    List<ReportVerdict> all() {
        return List.of(robustDataset(), nonRobustDataset(), generalises("rand"), generalises("det"), transfer(), features());
    }

    /** Claim 1: D_R's model is more robust than the same data size and recipe gives with true labels. */
    private ReportVerdict robustDataset() {
        String claim = "Standard training on D_R gives a robust model";
        String criterion = "D_R model's robust accuracy at " + eps + " exceeds its same-size control's (first N images of D, true labels,"
                + " D_R's recipe) by more than " + margin();
        Measure dr = figure2("D_R").getRobustAccuracy();
        Measure control = control("robust").getRobustAccuracy();
        if (anyNull(dr, control)) {
            return Verdicts.pending(claim, criterion);
        }
        return Verdicts.judge(claim, criterion, List.of(Verdicts.above("D_R", dr, "control", control)), null);
    }

    /** Claim 2: D_NR's model generalises, yet is no more robust than standard training and less than adversarial training. */
    private ReportVerdict nonRobustDataset() {
        String claim = "Standard training on D_NR gives a model that generalises but is not robust";
        String criterion = String.format(Locale.ROOT, "D_NR model's standard accuracy above chance (%.0f %%) by more than two SE; its robust"
                + " accuracy at %s below the adversarially trained model's by more than %s, and not above its same-size control's"
                + " by more than that", 100 * chance, eps, margin());
        ReportModelRow nr = figure2("D_NR");
        Measure adv = r.getFigure2().get(1).getRobustAccuracy();
        Measure control = control("nonrobust").getRobustAccuracy();
        if (anyNull(nr.getStandardAccuracy(), nr.getRobustAccuracy(), adv, control)) {
            return Verdicts.pending(claim, criterion);
        }
        Verdicts.Evidence notAboveControl = Verdicts.above("control", control, "D_NR", nr.getRobustAccuracy());
        // "Not above the control by the margin" holds unless D_NR beats it by more than the margin.
        Verdicts.Evidence bounded = new Verdicts.Evidence(notAboveControl.z() < -Verdicts.MARGIN ? -1
                : Double.isNaN(notAboveControl.z()) ? Double.NaN : Double.POSITIVE_INFINITY, notAboveControl.text());
        return Verdicts.judge(claim, criterion, List.of(
                Verdicts.aboveLevel("D_NR standard accuracy", nr.getStandardAccuracy(), "chance", chance),
                Verdicts.above("adversarial training's robust accuracy", adv, "D_NR's", nr.getRobustAccuracy()), bounded), null);
    }

    /** Claim 3: a model trained on D_rand / D_det generalises beyond what the labels alone teach, without robust-feature leakage. */
    private ReportVerdict generalises(String c) {
        String set = FeaturesNotBugs.datasetName(c);
        String claim = "Standard training on " + set + " generalises to the original test set";
        String criterion = String.format(Locale.ROOT, "%s model's test accuracy above chance (%.0f %%) by more than two SE and above its"
                + " relabelled originals' (the same images unperturbed, %s's labels) by more than %s; and the construction's"
                + " leakage ratio (the robust model's agreement with the new labels on %s over that on the originals) at most %s",
                set, 100 * chance, set, margin(), set, FeaturesNotBugsReport.trim(Verdicts.MAX_LEAKAGE_RATIO));
        Measure derived = r.getTable1().stream().filter(row -> row.getTrainedOn().equals(set)).findFirst().orElseThrow()
                .getStandardAccuracy();
        Measure relabelled = r.getControls().stream().filter(row -> row.getStep().equals("train-relabel-" + c)).findFirst().orElseThrow()
                .getStandardAccuracy();
        ReportLeakage leakage = r.getLeakage().stream().filter(l -> l.getConstruction().equals(c)).findFirst().orElseThrow();
        if (anyNull(derived, relabelled, leakage.getConstructedAgreesWithNew())) {
            return Verdicts.pending(claim, criterion);
        }
        Measure ratio = leakage.getLeakageRatio();
        String leak = ratio == null ? "the leakage ratio is undefined (the robust model never agrees with the new labels on the originals)"
                : ratio.getMean() > Verdicts.MAX_LEAKAGE_RATIO ? String.format(Locale.ROOT, "leakage ratio %.2f > %s: robust features"
                        + " carry part of the new labels, so generalisation cannot be credited to non-robust features", ratio.getMean(),
                        FeaturesNotBugsReport.trim(Verdicts.MAX_LEAKAGE_RATIO)) : null;
        return Verdicts.judge(claim, criterion, List.of(Verdicts.aboveLevel(set + " test accuracy", derived, "chance", chance),
                Verdicts.above(set, derived, "relabelled originals", relabelled)), leak);
    }

    /** Claim 4 (Figure 3): architectures that learn more from D_det are fooled more by transferred examples. */
    private ReportVerdict transfer() {
        String claim = "Transfer success follows how well an architecture learns from D_det";
        String criterion = "over the transfer architectures, the order by D_det accuracy equals the order by transfer success (Spearman 1),"
                + " and the transfer success of the highest-D_det architecture exceeds the lowest's by more than " + margin();
        List<ReportTransferPoint> points = r.getTransfer().getPoints();
        if (points.size() < 2 || points.stream().anyMatch(pt -> anyNull(pt.getDetAccuracy(), pt.getTransferSuccess()))) {
            return points.size() < 2 ? new ReportVerdict(claim, Verdicts.INCONCLUSIVE, criterion, "fewer than two architectures")
                    : Verdicts.pending(claim, criterion);
        }
        return Verdicts.transfer(claim, criterion, points.stream().map(ReportTransferPoint::getArchitecture).toList(),
                points.stream().map(ReportTransferPoint::getDetAccuracy).toList(),
                points.stream().map(ReportTransferPoint::getTransferSuccess).toList());
    }

    /** Claim 5 (the feature audit): adversarial training shifts the model's useful features towards robust ones. */
    private ReportVerdict features() {
        String claim = "Adversarial training changes the features the model uses towards robust ones";
        String criterion = "the robust share of useful (unit, class) pairs of the adversarially trained model exceeds the standard"
                + " model's by more than " + margin();
        Measure std = r.getAudit().get(0).getRobustUsefulShareOfUseful();
        Measure adv = r.getAudit().get(1).getRobustUsefulShareOfUseful();
        if (anyNull(std, adv)) {
            return Verdicts.pending(claim, criterion);
        }
        return Verdicts.judge(claim, criterion, List.of(Verdicts.above("adversarially trained", adv, "standard", std)), null);
    }

    private ReportModelRow figure2(String trainedOn) {
        return r.getFigure2().stream().filter(row -> row.getTrainedOn().equals(trainedOn)).findFirst().orElseThrow();
    }

    private ReportModelRow control(String construction) {
        String step = controlStep.apply(construction);
        return r.getControls().stream().filter(row -> step.equals(row.getStep())).findFirst().orElseThrow();
    }

    private static boolean anyNull(Object... values) {
        return Stream.of(values).anyMatch(Objects::isNull);
    }

    private static String margin() {
        return FeaturesNotBugsReport.trim(Verdicts.MARGIN) + " combined standard errors of the replicate means";
    }
}
