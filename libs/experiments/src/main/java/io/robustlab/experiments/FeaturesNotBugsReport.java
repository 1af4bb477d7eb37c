package io.robustlab.experiments;

import io.robustlab.api.jobtypes.PgdSpecs;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.api.model.AuditParameters;
import io.robustlab.api.model.ConstructMergeResult;
import io.robustlab.api.model.ConstructionParameters;
import io.robustlab.api.model.EvaluateClassifierResult;
import io.robustlab.api.model.EvaluateClassifierRobustPoint;
import io.robustlab.api.model.EvaluateLeakageResult;
import io.robustlab.api.model.EvaluateLeakageShare;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ExperimentReportRobustSuite;
import io.robustlab.api.model.FeatureAuditResult;
import io.robustlab.api.model.FeaturesNotBugsParameters;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportAuditRow;
import io.robustlab.api.model.ReportConstruction;
import io.robustlab.api.model.ReportCurve;
import io.robustlab.api.model.ReportCurvePoint;
import io.robustlab.api.model.ReportFigure;
import io.robustlab.api.model.ReportLabelMap;
import io.robustlab.api.model.ReportLeakage;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportPaperTransferPoint;
import io.robustlab.api.model.ReportTransfer;
import io.robustlab.api.model.ReportTransferPoint;
import io.robustlab.api.model.RobustnessParameters;
import io.robustlab.api.model.ThreatModel;
import io.robustlab.api.model.TransferEvaluationResult;
import io.robustlab.api.model.TransferParameters;
import io.robustlab.stats.Proportion;
import io.robustlab.stats.RateRatio;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of a features-not-bugs experiment, read from its steps' outputs: the paper's Figure 2
 * and Table 1 with the paper's CIFAR-10 numbers beside ours, the transfer study, the curves, the
 * sample grids and every setting. Values not measured yet are left null.
 */
final class FeaturesNotBugsReport {

    /** Figure 2 of the paper: (evaluated step, label, dataset, CIFAR-10 standard %, robust % at L2 eps 0.25). */
    private record PaperRow(String key, String label, String trainedOn, double standard, Double robust) {
    }

    private static final List<PaperRow> FIGURE2 = List.of(
            new PaperRow("std", "Standard training on D", "D", 95.3, 4.5),
            new PaperRow("adv", "Adversarial training on D", "D", 90.8, 82.4),
            new PaperRow("robust", "Standard training on D_R", "D_R", 84, 48.0),
            new PaperRow("nonrobust", "Standard training on D_NR", "D_NR", 88, 0.0));
    private static final List<PaperRow> TABLE1 = List.of(
            new PaperRow("std", "Standard training on D", "D", 95.3, null),
            new PaperRow("rand", "Standard training on D_rand", "D_rand", 63.3, null),
            new PaperRow("det", "Standard training on D_det", "D_det", 43.7, null));
    /** Figure 3 (transfer from ResNet-50 on CIFAR-10): D_det accuracy % and transfer success %. */
    private static final List<ReportPaperTransferPoint> PAPER_TRANSFER = List.of(
            point("vgg16", 28, 65), point("inception-v3", 39, 83), point("resnet18", 41, 92), point("densenet", 42, 93),
            point("resnet50", 45, 100));

    private final ExperimentRecord experiment;
    private final FeaturesNotBugsParameters p;
    private final List<StepRecord> steps;
    private final JsonMapper json;
    private final JsonMapper lenient;
    private final int replicates;
    /** Each step's outputs read once per report, though many cells read them. */
    private final Map<String, List<?>> read = new HashMap<>();

    /** {@code lenient} reads outputs: a member this code does not know (a newer worker's) does not stop the report. */
    FeaturesNotBugsReport(ExperimentRecord experiment, FeaturesNotBugsParameters p, List<StepRecord> steps, JsonMapper json,
                          JsonMapper lenient) {
        this.experiment = experiment;
        this.p = p;
        this.steps = steps;
        this.json = json;
        this.lenient = lenient;
        this.replicates = FeaturesNotBugs.replicates(p);
    }

    ExperimentReport build() {
        String base = "/api/v1/experiments/" + experiment.id();
        Headline headline = headline();
        List<ReportModelRow> figure2 = FIGURE2.stream().map(r -> row(r, (double) headline.eps())).toList();
        List<ReportModelRow> table1 = TABLE1.stream().map(r -> row(r, null)).toList();
        List<ReportModelRow> controls = controls(headline.eps());
        List<ReportLeakage> leakage = FeaturesNotBugs.RELABELLED.stream().map(this::leakage).toList();
        List<ReportLabelMap> labelMap = List.of(labelMap("det", "Standard training on D_det"),
                labelMap("relabel-det", "Relabelled originals of D_det"), labelMap("std", "Standard training on D"));
        ReportTransfer transfer = transfer();
        List<ReportCurve> curves = Stream.of("std", "adv", "robust", "nonrobust").map(this::curve).toList();
        List<ReportConstruction> constructions = FeaturesNotBugs.CONSTRUCTIONS.stream().map(this::construction).toList();
        List<ReportAuditRow> audit = List.of(audit("std", "Standard training on D"), audit("adv", "Adversarial training on D"));
        List<ReportFigure> figures = List.of(
                new ReportFigure("accuracy-vs-eps.png", "Robust accuracy against " + norm() + " PGD over eps", base + "/figures/accuracy-vs-eps.png"),
                new ReportFigure("transfer.png", "Transfer success against D_det accuracy, per architecture (Figure 3)",
                        base + "/figures/transfer.png"));

        // Complete when every replicate has measured every figure (a cell over fewer is still changing).
        boolean complete = figure2.stream().allMatch(r -> Measures.complete(r.getStandardAccuracy(), r.getRobustAccuracy()))
                && controls.stream().allMatch(r -> Measures.complete(r.getStandardAccuracy()))
                && table1.stream().allMatch(r -> Measures.complete(r.getStandardAccuracy()))
                && leakage.stream().allMatch(l -> Measures.complete(l.getConstructedAgreesWithNew(), l.getLeakageRatio()))
                && labelMap.stream().allMatch(l -> Measures.complete(l.getShare()))
                && transfer.getPoints().stream().allMatch(t -> Measures.complete(t.getDetAccuracy(), t.getTransferSuccess()))
                && curves.stream().allMatch(c -> c.getPoints().size() == p.getRobustness().getEps().size()
                        && c.getPoints().stream().allMatch(pt -> Measures.complete(pt.getAccuracy())))
                && FeaturesNotBugs.CONSTRUCTIONS.stream().allMatch(c -> outputs("construct-" + c, ConstructMergeResult.class).size() == replicates)
                && audit.stream().allMatch(a -> Measures.complete(a.getRobustUsefulShareOfUseful()));

        Instant end = experiment.finishedAt() != null ? experiment.finishedAt() : Instant.now();
        ExperimentReport report = new ExperimentReport(experiment.id(), experiment.template(), experiment.preset(),
                io.robustlab.api.model.ExperimentState.fromValue(experiment.state().name()), complete, datasetTitle(), figure2, table1,
                transfer, curves, constructions, figures, steps.stream().map(this::step).toList(), parametersMap(), notes(headline));
        report.setAudit(audit);
        report.setControls(controls);
        report.setLeakage(leakage);
        report.setLabelMap(labelMap);
        report.setReplicates(replicates);
        report.setRobustNorm(norm());
        report.setRobustEps(headline.eps());
        report.setHeadlineRule(headline.rule());
        report.setAdversarialThreatModel(adversarialThreatModel());
        if (FeaturesNotBugs.hasSuite(p)) {
            report.setRobustSuite(new ExperimentReportRobustSuite(p.getRobustness().getSuite().getValue(), norm(), p.getRobustness().getSuiteEps()));
        }
        report.setVerdicts(new FeaturesNotBugsVerdicts(report, chance(), c -> "train-" + FeaturesNotBugs.sameSizeControl(p, c)).all());
        report.setWallSeconds(experiment.createdAt() == null ? null : Duration.between(experiment.createdAt(), end).toSeconds());
        return report;
    }

    /** The eps of the tables, and how it was chosen. */
    record Headline(float eps, String rule) {
    }

    /**
     * The smallest eps of the list at which the standard model's mean robust accuracy is at most 10 %:
     * where a standard model is broken, as at the paper's eps 0.25 (4.5 %). A request may set it.
     */
    private Headline headline() {
        if (p.getRobustness().getHeadlineEps() != null) {
            return new Headline(p.getRobustness().getHeadlineEps(), "set by the request (robustness.headlineEps)");
        }
        // Floats throughout, as the parameters give them: printed, 0.1 reads 0.1, not its widening to double.
        List<Float> eps = p.getRobustness().getEps().stream().sorted().toList();
        ReportCurve std = curve("std");
        for (float e : eps) {
            Double acc = std.getPoints().stream().filter(pt -> e == pt.getEps() && e > 0).map(pt -> pt.getAccuracy().getMean())
                    .findFirst().orElse(null);
            if (acc != null && acc <= HEADLINE_MAX_ACCURACY) {
                return new Headline(e, String.format(Locale.ROOT, "the smallest eps of %s at which the standard model's robust accuracy"
                        + " is at most 10 %%: %.1f %% at eps %s", eps.stream().map(FeaturesNotBugsReport::trim).toList(), 100 * acc,
                        trim(e)));
            }
        }
        float largest = eps.get(eps.size() - 1);
        return new Headline(largest, std.getPoints().isEmpty() ? "the largest eps of the list until the standard model is evaluated"
                : "no eps of " + eps.stream().map(FeaturesNotBugsReport::trim).toList() + " brings the standard model to 10 % or below:"
                        + " the tables use the largest");
    }

    private static final double HEADLINE_MAX_ACCURACY = 0.10;

    private io.robustlab.api.model.ExperimentStep step(StepRecord s) {
        return StepViews.toApi(s, new ExperimentEngine.StepProgress(s.state() == StepState.SUCCEEDED ? 1 : 0, null), json);
    }

    /** The outputs of step {@code base} in every replicate that has them, as the step's result model. */
    @SuppressWarnings("unchecked")
    private <R> List<R> outputs(String base, Class<R> model) {
        return (List<R>) read.computeIfAbsent(base + "/" + model.getName(), k -> {
            List<R> out = new ArrayList<>();
            for (int r = 1; r <= replicates; r++) {
                StepRecord s = FeaturesNotBugs.step(steps, FeaturesNotBugs.stepName(base, r));
                if (s != null && s.outputs() != null) {
                    out.add(lenient.treeToValue(s.outputs(), model));
                }
            }
            return out;
        });
    }

    /** A share in step {@code base}'s output, in each replicate that has it, over {@code n} images (null: not known). */
    private <R> Measure measure(String base, Class<R> model, Function<R, Double> field, Function<R, Integer> n) {
        List<R> outs = outputs(base, model);
        List<Double> values = outs.stream().map(o -> ifPresent(field, o)).filter(Objects::nonNull).toList();
        return Measures.share(values, values.isEmpty() ? null : ifPresent(n, outs.get(0)), replicates);
    }

    /** A number in step {@code base}'s output that is not a share (a norm, a distance), in each replicate that has it. */
    private <R> Measure value(String base, Class<R> model, Function<R, Double> field) {
        return Measures.value(outputs(base, model).stream().map(o -> ifPresent(field, o)).filter(Objects::nonNull).toList(), replicates);
    }

    /**
     * A figure read through a chain of getters, or null when a member on the way is missing: an
     * output stored by an older version (answered from the cache) may lack a part a newer report reads,
     * and a cell it cannot fill is "not measured", not a failed report.
     */
    private static <R, V> V ifPresent(Function<R, V> field, R output) {
        try {
            return field.apply(output);
        } catch (NullPointerException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Measure standardAccuracy(String evalStep) {
        return measure(evalStep, EvaluateClassifierResult.class, EvaluateClassifierResult::getStandardAccuracy,
                EvaluateClassifierResult::getExamples);
    }

    private Measure robustAccuracy(String evalStep, double eps) {
        return measure(evalStep, EvaluateClassifierResult.class, o -> robustPoint(o, eps, EvaluateClassifierRobustPoint::getAccuracy),
                EvaluateClassifierResult::getRobustExamples);
    }

    /** A figure of the evaluation's robust point at {@code eps}; null when it was not evaluated there. */
    private static Double robustPoint(EvaluateClassifierResult eval, double eps, Function<EvaluateClassifierRobustPoint, Double> field) {
        if (eval.getRobust() == null) {
            return null;
        }
        return eval.getRobust().stream().filter(point -> point.getEps() == (float) eps).findFirst().map(field).orElse(null);
    }

    /** The suite's robust accuracy, PGD's beside it and the masking flags, from model {@code key}'s suite step. */
    private void withSuite(ReportModelRow row, String key) {
        if (!FeaturesNotBugs.hasSuite(p)) {
            return;
        }
        double eps = p.getRobustness().getSuiteEps();
        String step = "suite-" + key;
        row.suiteRobustAccuracy(measure(step, EvaluateClassifierResult.class,
                o -> robustPoint(o, eps, EvaluateClassifierRobustPoint::getAccuracy), EvaluateClassifierResult::getRobustExamples));
        row.pgdAtSuiteEps(measure(step, EvaluateClassifierResult.class,
                o -> robustPoint(o, eps, EvaluateClassifierRobustPoint::getPgdAccuracy), EvaluateClassifierResult::getRobustExamples));
        row.maskingFlags(outputs(step, EvaluateClassifierResult.class).stream().map(EvaluateClassifierResult::getDiagnostics)
                .filter(Objects::nonNull).flatMap(d -> d.getFlags().stream()).distinct().sorted().toList());
    }

    private ReportModelRow row(PaperRow r, Double headline) {
        ReportModelRow row = new ReportModelRow(r.label(), r.trainedOn()).step("train-" + r.key())
                .paperStandardAccuracy(r.standard() / 100).paperRobustAccuracy(r.robust() == null ? null : r.robust() / 100);
        row.standardAccuracy(standardAccuracy("eval-" + r.key()));
        if (headline != null) {
            row.robustAccuracy(robustAccuracy("eval-" + r.key(), headline));
            withSuite(row, r.key());
        }
        return row;
    }

    /** The same-size controls (one per distinct recipe) and the relabelled originals of D_rand and D_det. */
    private List<ReportModelRow> controls(double headline) {
        List<ReportModelRow> rows = new ArrayList<>();
        int n = p.getConstruction().getLimit();
        for (String c : FeaturesNotBugs.CONSTRUCTIONS) {
            String control = FeaturesNotBugs.sameSizeControl(p, c);
            if (!control.equals("same-" + c)) {
                continue;
            }
            List<String> sets = FeaturesNotBugs.CONSTRUCTIONS.stream().filter(o -> FeaturesNotBugs.sameSizeControl(p, o).equals(control))
                    .map(FeaturesNotBugs::datasetName).toList();
            ReportModelRow row = new ReportModelRow("Same-size control for " + String.join(", ", sets) + ": the first " + n
                    + " images of D, true labels, the same recipe", "D (first " + n + ")").step("train-" + control)
                    .standardAccuracy(standardAccuracy("eval-" + control));
            if (sets.contains("D_R") || sets.contains("D_NR")) {
                row.robustAccuracy(robustAccuracy("eval-" + control, headline));
                withSuite(row, control);
            }
            rows.add(row);
        }
        for (String c : FeaturesNotBugs.RELABELLED) {
            String set = FeaturesNotBugs.datasetName(c);
            rows.add(new ReportModelRow("Relabelled originals of " + set + ": the same images unperturbed, with " + set + "'s labels",
                    set + " labels, original images").step("train-relabel-" + c).standardAccuracy(standardAccuracy("eval-relabel-" + c)));
        }
        return rows;
    }

    private ReportLeakage leakage(String c) {
        String step = "leak-" + c;
        Class<EvaluateLeakageResult> leak = EvaluateLeakageResult.class;
        Function<EvaluateLeakageResult, Integer> changed = EvaluateLeakageResult::getChangedLabels;
        ReportLeakage row = new ReportLeakage(c, FeaturesNotBugs.datasetName(c))
                .constructedAgreesWithNew(measure(step, leak, o -> o.getOnConstructed().getAgreesWithNew().getRate(), changed))
                .constructedAgreesWithOriginal(measure(step, leak, o -> o.getOnConstructed().getAgreesWithOriginal().getRate(), changed))
                .originalsAgreeWithNew(measure(step, leak, o -> o.getOnOriginals().getAgreesWithNew().getRate(), changed))
                .originalsAgreeWithOriginal(measure(step, leak, o -> o.getOnOriginals().getAgreesWithOriginal().getRate(), changed))
                .leakageRatio(leakageRatio(step));
        List<EvaluateLeakageResult> first = outputs(step, leak);
        if (!first.isEmpty()) {
            row.changedLabels(first.get(0).getChangedLabels());
        }
        return row;
    }

    /**
     * Agreement with the new label on the constructed images over that on their originals, from the
     * counts of each replicate; its interval keeps the counts' noise (see {@link Measures#ratio}), so a
     * ratio measured on few agreeing originals shows how little it is pinned down.
     */
    private Measure leakageRatio(String step) {
        Function<EvaluateLeakageResult, RateRatio> ratio = o -> new RateRatio(proportion(o.getOnConstructed().getAgreesWithNew()),
                proportion(o.getOnOriginals().getAgreesWithNew()));
        return Measures.ratio(outputs(step, EvaluateLeakageResult.class).stream().map(o -> ifPresent(ratio, o)).filter(Objects::nonNull)
                .toList(), replicates);
    }

    private static Proportion proportion(EvaluateLeakageShare count) {
        return new Proportion(count.getSuccesses(), count.getN());
    }

    /** The share of a model's test predictions equal to (y + 1) mod C: the label map D_det teaches, read off its confusion matrix. */
    private ReportLabelMap labelMap(String key, String label) {
        return new ReportLabelMap(label).step("eval-" + key).share(measure("eval-" + key, EvaluateClassifierResult.class,
                FeaturesNotBugsReport::nextClassShare, EvaluateClassifierResult::getExamples));
    }

    private static Double nextClassShare(EvaluateClassifierResult eval) {
        List<List<Long>> m = eval.getConfusionMatrix();
        int classes = m == null ? 0 : m.size();
        if (classes == 0) {
            return null;
        }
        long next = 0;
        long total = 0;
        for (int y = 0; y < classes; y++) {
            total += m.get(y).stream().mapToLong(Long::longValue).sum();
            next += m.get(y).get((y + 1) % classes);
        }
        return total == 0 ? 0 : (double) next / total;
    }

    /** 1 / classes, from the standard model's confusion matrix (1 / 10 until it is measured). */
    private double chance() {
        List<EvaluateClassifierResult> std = outputs("eval-std", EvaluateClassifierResult.class);
        Integer classes = std.isEmpty() ? null : ifPresent(o -> o.getConfusionMatrix().size(), std.get(0));
        if (classes == null || classes == 0) {
            return 0.1;
        }
        return 1.0 / classes;
    }

    private ReportTransfer transfer() {
        ArchitectureName arch = p.getArchitecture();
        List<ReportTransferPoint> points = new ArrayList<>();
        List<ArchitectureName> archs = p.getTransfer().getArchitectures();
        for (int i = 0; i < archs.size(); i++) {
            ArchitectureName a = archs.get(i);
            int target = i;
            points.add(new ReportTransferPoint(a.getValue())
                    .detAccuracy(standardAccuracy(a == arch ? "eval-det" : "eval-det-" + a.getValue()))
                    .transferSuccess(measure("transfer", TransferEvaluationResult.class, o -> o.getTargets().get(target).getTransferSuccess(),
                            o -> cleanCorrect(o, target))));
        }
        return new ReportTransfer(p.getTransfer().getSourceArchitecture().getValue(), points, PAPER_TRANSFER);
    }

    /** Transfer success is a share of the test images the target classifies correctly when clean. */
    private static Integer cleanCorrect(TransferEvaluationResult transfer, int target) {
        return (int) Math.round(transfer.getTargets().get(target).getCleanAccuracy() * transfer.getExamples());
    }

    private ReportCurve curve(String key) {
        List<ReportCurvePoint> points = new ArrayList<>();
        for (double eps : p.getRobustness().getEps()) {
            Measure m = robustAccuracy("eval-" + key, eps);
            if (m != null) {
                points.add(new ReportCurvePoint((float) eps, m));
            }
        }
        String label = FIGURE2.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow().label();
        return new ReportCurve(label, points);
    }

    private ReportAuditRow audit(String key, String label) {
        ReportAuditRow row = new ReportAuditRow(label, "audit-" + key);
        List<FeatureAuditResult> all = outputs("audit-" + key, FeatureAuditResult.class);
        if (!all.isEmpty()) {
            FeatureAuditResult a = all.get(0);
            row.features(a.getFeatures())
                    .robustUsefulPairs(a.getPairs().getRobustUseful())
                    .usefulNonRobustPairs(a.getPairs().getUsefulNonRobust())
                    .notUsefulPairs(a.getPairs().getNotUseful())
                    // A share of the useful (unit, class) pairs, counted as if independent.
                    .robustUsefulShareOfUseful(measure("audit-" + key, FeatureAuditResult.class, FeatureAuditResult::getRobustUsefulShareOfUseful,
                            o -> o.getPairs().getRobustUseful() + o.getPairs().getUsefulNonRobust()))
                    .robustUsefulFeatures(a.getFeaturesByBestCategory().getRobustUseful())
                    .usefulNonRobustFeatures(a.getFeaturesByBestCategory().getUsefulNonRobust())
                    .robustProbeStandardAccuracy(a.getProbes().getRobustUseful().getStandardAccuracy())
                    .robustProbeRobustAccuracy(a.getProbes().getRobustUseful().getRobustAccuracy())
                    .nonRobustProbeStandardAccuracy(a.getProbes().getUsefulNonRobust().getStandardAccuracy())
                    .nonRobustProbeRobustAccuracy(a.getProbes().getUsefulNonRobust().getRobustAccuracy())
                    .scatterUrl(content(a.getScatterArtifactId()))
                    .histogramUrl(content(a.getHistogramArtifactId()))
                    .tableUrl(content(a.getTableCsvArtifactId()));
        }
        return row;
    }

    private static String content(UUID artifact) {
        return "/api/v1/artifacts/" + artifact + "/content";
    }

    private ReportConstruction construction(String c) {
        ReportConstruction out = new ReportConstruction(c, FeaturesNotBugs.datasetName(c));
        String step = "construct-" + c;
        Class<ConstructMergeResult> merge = ConstructMergeResult.class;
        List<ConstructMergeResult> merged = outputs(step, merge);
        if (!merged.isEmpty()) {
            ConstructMergeResult first = merged.get(0);
            out.examples(first.getExamples());
            out.datasetArtifactId(first.getDatasetArtifactId());
            out.samplesUrl(content(first.getSamplesArtifactId()));
            out.successRateOnSourceModel(measure(step, merge, o -> o.getQuality().getSuccessRateOnSourceModel(),
                            ConstructMergeResult::getExamples))
                    .meanPerturbationL2(value(step, merge, o -> o.getQuality().getMeanPerturbationL2()))
                    .maxPerturbationL2(value(step, merge, o -> o.getQuality().getMaxPerturbationL2()))
                    .meanRelativeRepresentationDistance(value(step, merge, o -> o.getQuality().getMeanRelativeRepresentationDistance()));
        }
        return out;
    }

    /** The attack of the adversarial training, as the threat model every robust model of the experiment was trained for. */
    private ThreatModel adversarialThreatModel() {
        return PgdSpecs.threatModel(p.getAdversarialTraining().getAttack());
    }

    private String norm() {
        return p.getRobustness().getNorm().getValue().toUpperCase(Locale.ROOT).replace("LINF", "Linf");
    }

    private String datasetTitle() {
        return switch (p.getDataset()) {
            case CIFAR10 -> "CIFAR-10";
            case FASHION_MNIST -> "Fashion-MNIST";
            case ARTIFACTS -> outputs("import", DatasetImportResult.class).stream().map(DatasetImportResult::getName)
                    .filter(Objects::nonNull).findFirst().map(n -> "the uploaded data set " + n).orElse("a catalogued data set");
        };
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parametersMap() {
        return json.convertValue(experiment.parameters(), Map.class);
    }

    private List<String> notes(Headline headline) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Our numbers: %s, %s, models as in `parameters`. The paper's columns are its CIFAR-10 results"
                + " (ResNet-50)%s; they are the reference for the pattern, not for the values.", datasetTitle(),
                p.getArchitecture().getValue(), p.getDataset() == FeaturesNotBugsParameters.DatasetEnum.CIFAR10 ? "" : "; the paper reports no numbers for this data set"));
        RobustnessParameters r = p.getRobustness();
        int restarts = r.getRestarts() != null ? r.getRestarts() : 1;
        notes.add(String.format(Locale.ROOT, "Robust accuracy: %s PGD, %d steps of 2.5 * eps / %d, %s, on the first %d test images;"
                        + " the tables use eps %s, %s (the paper: L2 eps 0.25 on CIFAR-10, where its standard model keeps 4.5 %%)."
                        + " Standard accuracy uses the first %d test images.",
                norm(), r.getSteps(), r.getSteps(),
                restarts == 1 ? "one start" : restarts + " random restarts (per image the highest-loss point of all of them)",
                r.getTestLimit(), trim(headline.eps()), headline.rule(), p.getTestLimit()));
        notes.add(replicates == 1 ? "One replicate: intervals are Wilson 95 % intervals over the test images; they omit the variation"
                + " between seeds, so the verdicts stay inconclusive until the experiment runs with replicates >= 2."
                : String.format(Locale.ROOT, "%d replicates (seeds %d, %d, ...): every cell is mean +- sd over them. An accuracy's"
                        + " interval is the 95 %% t interval of the mean, its variance the spread between seeds plus the shared test"
                        + " set's binomial noise, on Welch-Satterthwaite degrees of freedom, clipped to [0, 1]; verdicts compare"
                        + " means by Welch's t test at the 5 %% level. Counting the test-set noise in both of two models measured on"
                        + " the same images makes the tests conservative.", replicates, p.getSeed(), p.getSeed() + 1000));
        ConstructionParameters c = p.getConstruction();
        notes.add(String.format(Locale.ROOT, "Constructions from the first %d training images: D_R and D_NR by %d L2 steps of %s%s"
                        + " (the paper: 1000 of 0.1, through its straight-through ReLU); D_rand and D_det by %d targeted L2 steps of %s"
                        + " within eps %s.",
                c.getLimit(), c.getInversionSteps(), trim(c.getInversionStepSize()),
                Boolean.TRUE.equals(c.getStraightThroughRelu()) ? " through a straight-through last ReLU" : " through the real last ReLU",
                c.getTargetedSteps(), trim(c.getTargetedStepSize()), trim(c.getTargetedEps())));
        TransferParameters t = p.getTransfer();
        notes.add(String.format(Locale.ROOT, "Transfer: adversarial examples from a %s trained on D with another seed (the paper: ResNet-50),"
                        + " %s eps %s, %d steps, on the first %d test images; transfer success is the share a target classifies"
                        + " correctly when clean and wrongly when attacked.",
                t.getSourceArchitecture().getValue(), t.getAttack().getNorm().getValue().toUpperCase(Locale.ROOT),
                trim(t.getAttack().getEps()), t.getAttack().getSteps(), t.getTestLimit()));
        AuditParameters a = p.getAudit();
        notes.add(String.format(Locale.ROOT, "Feature audit: each unit of the representation layer, standardised on the first %d test"
                        + " images, for each class (one vs rest): rho = E[y f(x)], gamma = E[min y f(x + delta)] under %s PGD eps %s,"
                        + " %d steps; robust-useful when rho >= %s and gamma >= %s. Probes: softmax on the chosen units, trained on %d"
                        + " training images, measured on the first %d test images clean and under the same attack.",
                a.getLimit(), a.getAttack().getNorm().getValue().toUpperCase(Locale.ROOT), trim(a.getAttack().getEps()),
                a.getAttack().getSteps(), trim(a.getRhoThreshold()), trim(a.getGammaThreshold()), a.getTrainLimit(),
                a.getProbeEvaluationLimit()));
        long cached = steps.stream().filter(StepRecord::cacheHit).count();
        if (cached > 0) {
            notes.add(cached + " of " + steps.size() + " steps reused the result of an identical earlier job (cache).");
        }
        steps.stream().filter(s -> s.state().isDead()).map(s -> "Step " + s.name() + " " + s.state().name().toLowerCase(Locale.ROOT)
                + ": " + s.error()).forEach(notes::add);
        return notes;
    }

    static String trim(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** A float eps as it was written (0.1, not the 0.10000000149 its widening to double prints). */
    static String trim(float v) {
        return new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static ReportPaperTransferPoint point(String arch, double det, double success) {
        return new ReportPaperTransferPoint(arch, det / 100, success / 100);
    }
}
