package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ReportAuditRow;
import io.robustlab.api.model.ReportConstruction;
import io.robustlab.api.model.ReportCurve;
import io.robustlab.api.model.ReportCurvePoint;
import io.robustlab.api.model.ReportFigure;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportTransfer;
import io.robustlab.api.model.ReportTransferPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private static final List<ReportTransferPoint> PAPER_TRANSFER = List.of(
            point("vgg16", 28, 65), point("inception-v3", 39, 83), point("resnet18", 41, 92), point("densenet", 42, 93),
            point("resnet50", 45, 100));

    private final ExperimentRecord experiment;
    private final List<StepRecord> steps;
    private final Parameters p;
    private final JsonMapper json;

    FeaturesNotBugsReport(ExperimentRecord experiment, List<StepRecord> steps, JsonMapper json) {
        this.experiment = experiment;
        this.steps = steps;
        this.json = json;
        this.p = new Parameters(experiment.parameters());
    }

    ExperimentReport build() {
        String base = "/api/v1/experiments/" + experiment.id();
        double headline = p.number("robustness.headlineEps");
        List<ReportModelRow> figure2 = FIGURE2.stream().map(r -> row(r, headline)).toList();
        List<ReportModelRow> table1 = TABLE1.stream().map(r -> row(r, headline).robustAccuracy(null).paperRobustAccuracy(null)).toList();
        ReportTransfer transfer = transfer();
        List<ReportCurve> curves = Stream.of("std", "adv", "robust", "nonrobust").map(this::curve).toList();
        List<ReportConstruction> constructions = FeaturesNotBugs.CONSTRUCTIONS.stream().map(this::construction).toList();
        List<ReportAuditRow> audit = List.of(audit("std", "Standard training on D"), audit("adv", "Adversarial training on D"));
        List<ReportFigure> figures = List.of(
                new ReportFigure("accuracy-vs-eps.png", "Robust accuracy against " + norm() + " PGD over eps", base + "/figures/accuracy-vs-eps.png"),
                new ReportFigure("transfer.png", "Transfer success against D_det accuracy, per architecture (Figure 3)",
                        base + "/figures/transfer.png"));

        boolean complete = figure2.stream().allMatch(r -> r.getStandardAccuracy() != null && r.getRobustAccuracy() != null)
                && table1.stream().allMatch(r -> r.getStandardAccuracy() != null)
                && transfer.getPoints().stream().allMatch(t -> t.getDetAccuracy() != null && t.getTransferSuccess() != null)
                && curves.stream().allMatch(c -> !c.getPoints().isEmpty())
                && constructions.stream().allMatch(c -> c.getSamplesUrl() != null)
                && audit.stream().allMatch(a -> a.getFeatures() != null);

        Instant end = experiment.finishedAt() != null ? experiment.finishedAt() : Instant.now();
        ExperimentReport report = new ExperimentReport(experiment.id(), experiment.template(), experiment.preset(),
                io.robustlab.api.model.ExperimentState.fromValue(experiment.state().name()), complete, datasetTitle(), figure2, table1,
                transfer, curves, constructions, figures, steps.stream().map(this::step).toList(), parametersMap(), notes(headline));
        report.setAudit(audit);
        report.setRobustNorm(norm());
        report.setRobustEps((float) headline);
        report.setWallSeconds(experiment.createdAt() == null ? null : Duration.between(experiment.createdAt(), end).toSeconds());
        return report;
    }

    private io.robustlab.api.model.ExperimentStep step(StepRecord s) {
        return StepViews.toApi(s, new ExperimentEngine.StepProgress(s.state() == StepState.SUCCEEDED ? 1 : 0, null), json);
    }

    private ReportModelRow row(PaperRow r, double headline) {
        JsonNode eval = FeaturesNotBugs.outputs(steps, "eval-" + r.key());
        ReportModelRow row = new ReportModelRow(r.label(), r.trainedOn()).step("train-" + r.key())
                .paperStandardAccuracy(r.standard() / 100).paperRobustAccuracy(r.robust() == null ? null : r.robust() / 100);
        if (eval != null) {
            row.standardAccuracy(eval.path("standardAccuracy").asDouble());
            for (JsonNode point : eval.path("robust")) {
                if ((float) point.path("eps").asDouble() == (float) headline) {
                    row.robustAccuracy(point.path("accuracy").asDouble());
                }
            }
        }
        return row;
    }

    private ReportTransfer transfer() {
        String arch = p.text("architecture");
        JsonNode result = FeaturesNotBugs.outputs(steps, "transfer");
        List<ReportTransferPoint> points = new ArrayList<>();
        List<String> archs = p.texts("transfer.architectures");
        for (int i = 0; i < archs.size(); i++) {
            String a = archs.get(i);
            JsonNode det = FeaturesNotBugs.outputs(steps, a.equals(arch) ? "eval-det" : "eval-det-" + a);
            ReportTransferPoint point = new ReportTransferPoint(a);
            if (det != null) {
                point.detAccuracy(det.path("standardAccuracy").asDouble());
            }
            if (result != null) {
                point.transferSuccess(result.path("targets").path(i).path("transferSuccess").asDouble());
            }
            points.add(point);
        }
        return new ReportTransfer(p.text("transfer.sourceArchitecture"), points, PAPER_TRANSFER);
    }

    private ReportCurve curve(String key) {
        JsonNode eval = FeaturesNotBugs.outputs(steps, "eval-" + key);
        List<ReportCurvePoint> points = new ArrayList<>();
        if (eval != null) {
            for (JsonNode point : eval.path("robust")) {
                points.add(new ReportCurvePoint((float) point.path("eps").asDouble(), point.path("accuracy").asDouble()));
            }
        }
        String label = FIGURE2.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow().label();
        return new ReportCurve(label, points);
    }

    private ReportAuditRow audit(String key, String label) {
        ReportAuditRow row = new ReportAuditRow(label, "audit-" + key);
        JsonNode a = FeaturesNotBugs.outputs(steps, "audit-" + key);
        if (a != null) {
            row.features(a.path("features").asInt())
                    .robustUsefulPairs(a.at("/pairs/robustUseful").asInt())
                    .usefulNonRobustPairs(a.at("/pairs/usefulNonRobust").asInt())
                    .notUsefulPairs(a.at("/pairs/notUseful").asInt())
                    .robustUsefulShareOfUseful(a.path("robustUsefulShareOfUseful").asDouble())
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

    @SuppressWarnings("unchecked")
    private ReportConstruction construction(String c) {
        ReportConstruction out = new ReportConstruction(c, FeaturesNotBugs.datasetName(c));
        JsonNode merged = FeaturesNotBugs.outputs(steps, "construct-" + c);
        if (merged != null) {
            out.examples(merged.path("examples").asInt());
            out.datasetArtifactId(java.util.UUID.fromString(merged.path("datasetArtifactId").asString()));
            out.samplesUrl("/api/v1/artifacts/" + merged.path("samplesArtifactId").asString() + "/content");
            out.quality(json.convertValue(merged.path("quality"), Map.class));
        }
        return out;
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

    private List<String> notes(double headline) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Our numbers: %s, %s, models as in `parameters`. The paper's columns are its CIFAR-10 results"
                + " (ResNet-50)%s; they are the reference for the pattern, not for the values.", datasetTitle(),
                p.text("architecture"), datasetTitle().equals("CIFAR-10") ? "" : "; the paper reports no Fashion-MNIST numbers"));
        notes.add(String.format(Locale.ROOT, "Robust accuracy: %s PGD, %d steps of 2.5 * eps / %d, on the first %d test images;"
                        + " the tables use eps %s (the paper: L2 eps 0.25 on CIFAR-10). Standard accuracy uses the first %d test images.",
                norm(), p.integer("robustness.steps"), p.integer("robustness.steps"), p.integer("robustness.testLimit"),
                trim(headline), p.integer("testLimit")));
        notes.add(String.format(Locale.ROOT, "Constructions from the first %d training images: D_R and D_NR by %d L2 steps of %s"
                        + " (the paper: 1000 of 0.1); D_rand and D_det by %d targeted L2 steps of %s within eps %s.",
                p.integer("construction.limit"), p.integer("construction.inversionSteps"), trim(p.number("construction.inversionStepSize")),
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

    private static ReportTransferPoint point(String arch, double det, double success) {
        return new ReportTransferPoint(arch).detAccuracy(det / 100).transferSuccess(success / 100);
    }
}
