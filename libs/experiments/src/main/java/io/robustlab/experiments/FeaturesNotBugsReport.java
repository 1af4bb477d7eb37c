package io.robustlab.experiments;

import io.robustlab.api.jobtypes.PgdSpecs;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ExperimentReportRobustSuite;
import io.robustlab.api.model.PgdSpec;
import io.robustlab.api.model.ThreatModel;
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
import io.robustlab.stats.Proportion;
import io.robustlab.stats.RateRatio;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
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
    private final List<StepRecord> steps;
    private final Parameters p;
    private final JsonMapper json;
    private final int replicates;

    FeaturesNotBugsReport(ExperimentRecord experiment, List<StepRecord> steps, JsonMapper json) {
        this.experiment = experiment;
        this.steps = steps;
        this.json = json;
        this.p = new Parameters(experiment.parameters());
        this.replicates = FeaturesNotBugs.replicates(p);
    }

    ExperimentReport build() {
        String base = "/api/v1/experiments/" + experiment.id();
        Headline headline = headline();
        List<ReportModelRow> figure2 = FIGURE2.stream().map(r -> row(r, headline.eps())).toList();
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
                && curves.stream().allMatch(c -> c.getPoints().size() == p.numbers("robustness.eps").size()
                        && c.getPoints().stream().allMatch(pt -> Measures.complete(pt.getAccuracy())))
                && FeaturesNotBugs.CONSTRUCTIONS.stream().allMatch(c -> outputs("construct-" + c).size() == replicates)
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
        report.setRobustEps((float) headline.eps());
        report.setHeadlineRule(headline.rule());
        report.setAdversarialThreatModel(adversarialThreatModel());
        if (FeaturesNotBugs.hasSuite(p)) {
            report.setRobustSuite(new ExperimentReportRobustSuite(p.text("robustness.suite"), norm(), (float) p.number("robustness.suiteEps")));
        }
        report.setVerdicts(new FeaturesNotBugsVerdicts(report, chance(), c -> "train-" + FeaturesNotBugs.sameSizeControl(p, c)).all());
        report.setWallSeconds(experiment.createdAt() == null ? null : Duration.between(experiment.createdAt(), end).toSeconds());
        return report;
    }

    /** The eps of the tables, and how it was chosen. */
    record Headline(double eps, String rule) {
    }

    /**
     * The smallest eps of the list at which the standard model's mean robust accuracy is at most 10 %:
     * where a standard model is broken, as at the paper's eps 0.25 (4.5 %). A request may set it.
     */
    private Headline headline() {
        if (p.has("robustness.headlineEps")) {
            return new Headline(p.number("robustness.headlineEps"), "set by the request (robustness.headlineEps)");
        }
        List<Double> eps = p.numbers("robustness.eps").stream().sorted().toList();
        ReportCurve std = curve("std");
        for (double e : eps) {
            Double acc = std.getPoints().stream().filter(pt -> (float) e == pt.getEps() && e > 0).map(pt -> pt.getAccuracy().getMean())
                    .findFirst().orElse(null);
            if (acc != null && acc <= HEADLINE_MAX_ACCURACY) {
                return new Headline(e, String.format(Locale.ROOT, "the smallest eps of %s at which the standard model's robust accuracy"
                        + " is at most 10 %%: %.1f %% at eps %s", eps.stream().map(FeaturesNotBugsReport::trim).toList(), 100 * acc,
                        trim(e)));
            }
        }
        double largest = eps.get(eps.size() - 1);
        return new Headline(largest, std.getPoints().isEmpty() ? "the largest eps of the list until the standard model is evaluated"
                : "no eps of " + eps.stream().map(FeaturesNotBugsReport::trim).toList() + " brings the standard model to 10 % or below:"
                        + " the tables use the largest");
    }

    private static final double HEADLINE_MAX_ACCURACY = 0.10;

    private io.robustlab.api.model.ExperimentStep step(StepRecord s) {
        return StepViews.toApi(s, new ExperimentEngine.StepProgress(s.state() == StepState.SUCCEEDED ? 1 : 0, null), json);
    }

    /** The outputs of step {@code base} in every replicate that has them. */
    private List<JsonNode> outputs(String base) {
        List<JsonNode> out = new ArrayList<>();
        for (int k = 1; k <= replicates; k++) {
            JsonNode o = FeaturesNotBugs.outputs(steps, FeaturesNotBugs.stepName(base, k));
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** A share in step {@code base}'s output, in each replicate that has it, over {@code n} images (null: not known). */
    private Measure measure(String base, Function<JsonNode, JsonNode> field, Function<JsonNode, Integer> n) {
        List<JsonNode> outs = outputs(base);
        List<Double> values = values(outs, field);
        return Measures.share(values, values.isEmpty() ? null : n.apply(outs.get(0)), replicates);
    }

    /** A number in step {@code base}'s output that is not a share (a norm, a distance), in each replicate that has it. */
    private Measure value(String base, Function<JsonNode, JsonNode> field) {
        return Measures.value(values(outputs(base), field), replicates);
    }

    private static List<Double> values(List<JsonNode> outputs, Function<JsonNode, JsonNode> field) {
        return outputs.stream().map(field).filter(JsonNode::isNumber).map(JsonNode::asDouble).toList();
    }

    private Measure standardAccuracy(String evalStep) {
        return measure(evalStep, o -> o.path("standardAccuracy"), o -> o.path("examples").asInt());
    }

    private Measure robustAccuracy(String evalStep, double eps) {
        return measure(evalStep, o -> robustPoint(o, eps), o -> o.path("robustExamples").asInt());
    }

    private static JsonNode robustPoint(JsonNode eval, double eps) {
        return robustPoint(eval, eps, "accuracy");
    }

    private static JsonNode robustPoint(JsonNode eval, double eps, String field) {
        for (JsonNode point : eval.path("robust")) {
            if ((float) point.path("eps").asDouble() == (float) eps) {
                return point.path(field);
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    /** The suite's robust accuracy, PGD's beside it and the masking flags, from model {@code key}'s suite step. */
    private void withSuite(ReportModelRow row, String key) {
        if (!FeaturesNotBugs.hasSuite(p)) {
            return;
        }
        double eps = p.number("robustness.suiteEps");
        String step = "suite-" + key;
        row.suiteRobustAccuracy(measure(step, o -> robustPoint(o, eps), o -> o.path("robustExamples").asInt()));
        row.pgdAtSuiteEps(measure(step, o -> robustPoint(o, eps, "pgdAccuracy"), o -> o.path("robustExamples").asInt()));
        row.maskingFlags(outputs(step).stream().flatMap(o -> o.path("diagnostics").path("flags").valueStream()).map(JsonNode::asString)
                .distinct().sorted().toList());
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
        int n = p.integer("construction.limit");
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
        Function<JsonNode, Integer> changed = o -> o.path("changedLabels").asInt();
        ReportLeakage row = new ReportLeakage(c, FeaturesNotBugs.datasetName(c))
                .constructedAgreesWithNew(measure(step, o -> o.at("/onConstructed/agreesWithNew/rate"), changed))
                .constructedAgreesWithOriginal(measure(step, o -> o.at("/onConstructed/agreesWithOriginal/rate"), changed))
                .originalsAgreeWithNew(measure(step, o -> o.at("/onOriginals/agreesWithNew/rate"), changed))
                .originalsAgreeWithOriginal(measure(step, o -> o.at("/onOriginals/agreesWithOriginal/rate"), changed))
                .leakageRatio(leakageRatio(step));
        List<JsonNode> first = outputs(step);
        if (!first.isEmpty()) {
            row.changedLabels(first.get(0).path("changedLabels").asInt());
        }
        return row;
    }

    /**
     * Agreement with the new label on the constructed images over that on their originals, from the
     * counts of each replicate; its interval keeps the counts' noise (see {@link Measures#ratio}), so a
     * ratio measured on few agreeing originals shows how little it is pinned down.
     */
    private Measure leakageRatio(String step) {
        return Measures.ratio(outputs(step).stream().map(o -> new RateRatio(proportion(o.at("/onConstructed/agreesWithNew")),
                proportion(o.at("/onOriginals/agreesWithNew")))).toList(), replicates);
    }

    private static Proportion proportion(JsonNode count) {
        return new Proportion(count.path("successes").asLong(), count.path("n").asLong());
    }

    /** The share of a model's test predictions equal to (y + 1) mod C: the label map D_det teaches, read off its confusion matrix. */
    private ReportLabelMap labelMap(String key, String label) {
        return new ReportLabelMap(label).step("eval-" + key).share(measure("eval-" + key, FeaturesNotBugsReport::nextClassShare,
                o -> o.path("examples").asInt()));
    }

    private static JsonNode nextClassShare(JsonNode eval) {
        JsonNode m = eval.path("confusionMatrix");
        int classes = m.size();
        if (classes == 0) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
        long next = 0;
        long total = 0;
        for (int y = 0; y < classes; y++) {
            for (int q = 0; q < classes; q++) {
                total += m.path(y).path(q).asLong();
            }
            next += m.path(y).path((y + 1) % classes).asLong();
        }
        return tools.jackson.databind.node.DoubleNode.valueOf(total == 0 ? 0 : (double) next / total);
    }

    /** 1 / classes, from the standard model's confusion matrix (10 until it is measured). */
    private double chance() {
        List<JsonNode> std = outputs("eval-std");
        int classes = std.isEmpty() ? 0 : std.get(0).path("confusionMatrix").size();
        return 1.0 / (classes == 0 ? 10 : classes);
    }

    private ReportTransfer transfer() {
        String arch = p.text("architecture");
        List<ReportTransferPoint> points = new ArrayList<>();
        List<String> archs = p.texts("transfer.architectures");
        for (int i = 0; i < archs.size(); i++) {
            String a = archs.get(i);
            int target = i;
            points.add(new ReportTransferPoint(a).detAccuracy(standardAccuracy(a.equals(arch) ? "eval-det" : "eval-det-" + a))
                    .transferSuccess(measure("transfer", o -> o.path("targets").path(target).path("transferSuccess"),
                            o -> cleanCorrect(o, target))));
        }
        return new ReportTransfer(p.text("transfer.sourceArchitecture"), points, PAPER_TRANSFER);
    }

    /** Transfer success is a share of the test images the target classifies correctly when clean. */
    private static Integer cleanCorrect(JsonNode transfer, int target) {
        return (int) Math.round(transfer.path("targets").path(target).path("cleanAccuracy").asDouble() * transfer.path("examples").asInt());
    }

    private ReportCurve curve(String key) {
        List<ReportCurvePoint> points = new ArrayList<>();
        for (double eps : p.numbers("robustness.eps")) {
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
        List<JsonNode> all = outputs("audit-" + key);
        if (!all.isEmpty()) {
            JsonNode a = all.get(0);
            row.features(a.path("features").asInt())
                    .robustUsefulPairs(a.at("/pairs/robustUseful").asInt())
                    .usefulNonRobustPairs(a.at("/pairs/usefulNonRobust").asInt())
                    .notUsefulPairs(a.at("/pairs/notUseful").asInt())
                    // A share of the useful (unit, class) pairs, counted as if independent.
                    .robustUsefulShareOfUseful(measure("audit-" + key, o -> o.path("robustUsefulShareOfUseful"),
                            o -> o.at("/pairs/robustUseful").asInt() + o.at("/pairs/usefulNonRobust").asInt()))
                    .robustUsefulFeatures(a.at("/featuresByBestCategory/robustUseful").asInt())
                    .usefulNonRobustFeatures(a.at("/featuresByBestCategory/usefulNonRobust").asInt())
                    .robustProbeStandardAccuracy(number(a.at("/probes/robustUseful/standardAccuracy")))
                    .robustProbeRobustAccuracy(number(a.at("/probes/robustUseful/robustAccuracy")))
                    .nonRobustProbeStandardAccuracy(number(a.at("/probes/usefulNonRobust/standardAccuracy")))
                    .nonRobustProbeRobustAccuracy(number(a.at("/probes/usefulNonRobust/robustAccuracy")))
                    .scatterUrl(content(a, "scatterArtifactId"))
                    .histogramUrl(content(a, "histogramArtifactId"))
                    .tableUrl(content(a, "tableCsvArtifactId"));
        }
        return row;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static String content(JsonNode outputs, String field) {
        return "/api/v1/artifacts/" + outputs.path(field).asString() + "/content";
    }

    private ReportConstruction construction(String c) {
        ReportConstruction out = new ReportConstruction(c, FeaturesNotBugs.datasetName(c));
        String step = "construct-" + c;
        List<JsonNode> merged = outputs(step);
        if (!merged.isEmpty()) {
            JsonNode first = merged.get(0);
            out.examples(first.path("examples").asInt());
            out.datasetArtifactId(java.util.UUID.fromString(first.path("datasetArtifactId").asString()));
            out.samplesUrl("/api/v1/artifacts/" + first.path("samplesArtifactId").asString() + "/content");
            Function<JsonNode, Integer> examples = o -> o.path("examples").asInt();
            out.successRateOnSourceModel(measure(step, o -> o.at("/quality/successRateOnSourceModel"), examples))
                    .meanPerturbationL2(value(step, o -> o.at("/quality/meanPerturbationL2")))
                    .maxPerturbationL2(value(step, o -> o.at("/quality/maxPerturbationL2")))
                    .meanRelativeRepresentationDistance(value(step, o -> o.at("/quality/meanRelativeRepresentationDistance")));
        }
        return out;
    }

    /** The attack of the adversarial training, as the threat model every robust model of the experiment was trained for. */
    private ThreatModel adversarialThreatModel() {
        return PgdSpecs.threatModel(json.treeToValue(p.node("adversarialTraining.attack"), PgdSpec.class));
    }

    private String norm() {
        return p.text("robustness.norm").toUpperCase(Locale.ROOT).replace("LINF", "Linf");
    }

    private String datasetTitle() {
        return p.text("dataset").equals("cifar10") ? "CIFAR-10" : "Fashion-MNIST";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parametersMap() {
        return json.convertValue(experiment.parameters(), Map.class);
    }

    private List<String> notes(Headline headline) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Our numbers: %s, %s, models as in `parameters`. The paper's columns are its CIFAR-10 results"
                + " (ResNet-50)%s; they are the reference for the pattern, not for the values.", datasetTitle(),
                p.text("architecture"), datasetTitle().equals("CIFAR-10") ? "" : "; the paper reports no Fashion-MNIST numbers"));
        int restarts = p.has("robustness.restarts") ? p.integer("robustness.restarts") : 1;
        notes.add(String.format(Locale.ROOT, "Robust accuracy: %s PGD, %d steps of 2.5 * eps / %d, %s, on the first %d test images;"
                        + " the tables use eps %s, %s (the paper: L2 eps 0.25 on CIFAR-10, where its standard model keeps 4.5 %%)."
                        + " Standard accuracy uses the first %d test images.",
                norm(), p.integer("robustness.steps"), p.integer("robustness.steps"),
                restarts == 1 ? "one start" : restarts + " random restarts (per image the highest-loss point of all of them)",
                p.integer("robustness.testLimit"), trim(headline.eps()), headline.rule(), p.integer("testLimit")));
        notes.add(replicates == 1 ? "One replicate: intervals are Wilson 95 % intervals over the test images; they omit the variation"
                + " between seeds, so the verdicts stay inconclusive until the experiment runs with replicates >= 2."
                : String.format(Locale.ROOT, "%d replicates (seeds %d, %d, ...): every cell is mean +- sd over them. An accuracy's"
                        + " interval is the 95 %% t interval of the mean, its variance the spread between seeds plus the shared test"
                        + " set's binomial noise, on Welch-Satterthwaite degrees of freedom, clipped to [0, 1]; verdicts compare"
                        + " means by Welch's t test at the 5 %% level. Counting the test-set noise in both of two models measured on"
                        + " the same images makes the tests conservative.", replicates, p.longValue("seed"), p.longValue("seed") + 1000));
        notes.add(String.format(Locale.ROOT, "Constructions from the first %d training images: D_R and D_NR by %d L2 steps of %s%s"
                        + " (the paper: 1000 of 0.1, through its straight-through ReLU); D_rand and D_det by %d targeted L2 steps of %s"
                        + " within eps %s.",
                p.integer("construction.limit"), p.integer("construction.inversionSteps"), trim(p.number("construction.inversionStepSize")),
                p.has("construction.straightThroughRelu") && p.node("construction.straightThroughRelu").asBoolean()
                        ? " through a straight-through last ReLU" : " through the real last ReLU",
                p.integer("construction.targetedSteps"), trim(p.number("construction.targetedStepSize")),
                trim(p.number("construction.targetedEps"))));
        notes.add(String.format(Locale.ROOT, "Transfer: adversarial examples from a %s trained on D with another seed (the paper: ResNet-50),"
                        + " %s eps %s, %d steps, on the first %d test images; transfer success is the share a target classifies"
                        + " correctly when clean and wrongly when attacked.",
                p.text("transfer.sourceArchitecture"), p.text("transfer.attack.norm").toUpperCase(Locale.ROOT),
                trim(p.number("transfer.attack.eps")), p.integer("transfer.attack.steps"), p.integer("transfer.testLimit")));
        notes.add(String.format(Locale.ROOT, "Feature audit: each unit of the representation layer, standardised on the first %d test"
                        + " images, for each class (one vs rest): rho = E[y f(x)], gamma = E[min y f(x + delta)] under %s PGD eps %s,"
                        + " %d steps; robust-useful when rho >= %s and gamma >= %s. Probes: softmax on the chosen units, trained on %d"
                        + " training images, measured on the first %d test images clean and under the same attack.",
                p.integer("audit.limit"), p.text("audit.attack.norm").toUpperCase(Locale.ROOT), trim(p.number("audit.attack.eps")),
                p.integer("audit.attack.steps"), trim(p.number("audit.rhoThreshold")), trim(p.number("audit.gammaThreshold")),
                p.integer("audit.trainLimit"), p.integer("audit.probeEvaluationLimit")));
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
