package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ExperimentStep;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportAuditRow;
import io.robustlab.api.model.ReportConstruction;
import io.robustlab.api.model.ReportCurve;
import io.robustlab.api.model.ReportCurvePoint;
import io.robustlab.api.model.ReportFigure;
import io.robustlab.api.model.ReportLeakage;
import io.robustlab.api.model.ReportPaperTransferPoint;
import io.robustlab.api.model.ReportTransferPoint;
import io.robustlab.api.model.ThreatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report as Markdown and as an HTML page. Both are drawn from the same table model, so they
 * show the same numbers as the JSON. {@code imageSource} maps an image's gateway URL to what the
 * page uses: the URL itself, or a data: URI when the page must stand alone.
 */
public final class ReportRenderer {

    /** A table: header and rows of already formatted cells. */
    private record Table(String title, List<String> header, List<List<String>> rows) {
    }

    private final JsonMapper json;

    public ReportRenderer(JsonMapper json) {
        this.json = json;
    }

    public String markdown(ExperimentReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title(r)).append("\n\n").append(summary(r)).append("\n\n");
        for (Table t : tables(r)) {
            md.append("## ").append(t.title()).append("\n\n| ").append(String.join(" | ", t.header())).append(" |\n|");
            t.header().forEach(h -> md.append("---|"));
            md.append('\n');
            t.rows().forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
            md.append('\n');
        }
        md.append("## Figures\n\n");
        for (ReportFigure f : r.getFigures()) {
            md.append("![").append(f.getTitle()).append("](").append(f.getUrl()).append(")\n\n");
        }
        for (ReportConstruction c : r.getConstructions()) {
            md.append("![").append(c.getDataset()).append(" samples](").append(c.getSamplesUrl() == null ? "pending" : c.getSamplesUrl())
                    .append(")\n\n");
        }
        md.append("## Notes\n\n");
        r.getNotes().forEach(n -> md.append("- ").append(n).append('\n'));
        md.append("\n## Parameters\n\n```json\n").append(json.writerWithDefaultPrettyPrinter().writeValueAsString(r.getParameters()))
                .append("\n```\n");
        return md.toString();
    }

    public String html(ExperimentReport r, Function<String, String> imageSource) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>").append(esc(title(r))).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}th{background:#eee}img{max-width:100%;border:1px solid #ddd}")
                .append("figure{margin:1em 0}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>\n");
        h.append("<h1>").append(esc(title(r))).append("</h1>\n<p>").append(esc(summary(r))).append("</p>\n");
        for (Table t : tables(r)) {
            h.append("<h2>").append(esc(t.title())).append("</h2>\n<table><thead><tr>");
            t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr></thead><tbody>\n");
            for (List<String> row : t.rows()) {
                h.append("<tr>");
                row.forEach(c -> h.append("<td>").append(links(esc(c))).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("<h2>Figures</h2>\n");
        for (ReportFigure f : r.getFigures()) {
            h.append("<figure><img src=\"").append(esc(imageSource.apply(f.getUrl()))).append("\" alt=\"").append(esc(f.getTitle()))
                    .append("\"><figcaption>").append(esc(f.getTitle())).append("</figcaption></figure>\n");
        }
        h.append("<h2>Samples (originals above, constructed below, with labels)</h2>\n");
        for (ReportConstruction c : r.getConstructions()) {
            if (c.getSamplesUrl() != null) {
                h.append("<figure><img src=\"").append(esc(imageSource.apply(c.getSamplesUrl()))).append("\" alt=\"").append(esc(c.getDataset()))
                        .append(" samples\"><figcaption>").append(esc(c.getDataset())).append("</figcaption></figure>\n");
            } else {
                h.append("<p>").append(esc(c.getDataset())).append(": pending</p>\n");
            }
        }
        h.append("<h2>Notes</h2>\n<ul>");
        r.getNotes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
        h.append("</ul>\n<h2>Parameters</h2>\n<pre>").append(esc(json.writerWithDefaultPrettyPrinter().writeValueAsString(r.getParameters())))
                .append("</pre>\n</body></html>\n");
        return h.toString();
    }

    private static String title(ExperimentReport r) {
        return "Adversarial examples are not bugs, they are features: " + r.getDataset() + " (" + r.getPreset() + " preset)";
    }

    private static String summary(ExperimentReport r) {
        return String.format(Locale.ROOT, "Experiment %s, %s%s, %d replicate%s. Robust accuracy in the tables: %s eps %s (%s).%s%s",
                r.getExperimentId(), r.getState().getValue(), r.getWallSeconds() == null ? "" : " after " + duration(r.getWallSeconds()),
                r.getReplicates(), r.getReplicates() == 1 ? "" : "s", r.getRobustNorm(), FeaturesNotBugsReport.trim(r.getRobustEps()),
                r.getHeadlineRule(), threatModel(r.getAdversarialThreatModel()), r.getComplete() ? "" : " Some results are still pending.");
    }

    /** The adversarially trained models' threat model, beside the robust accuracies it bears on. */
    private static String threatModel(ThreatModel t) {
        if (t == null) {
            return "";
        }
        return String.format(Locale.ROOT, " Threat model of the adversarially trained models: %s eps %s, %s with %d steps of %.4g;"
                        + " every other model was trained without attacks.", t.getNorm() == ThreatModel.NormEnum.LINF ? "Linf" : "L2",
                FeaturesNotBugsReport.trim(t.getEps()), t.getAttack().toUpperCase(Locale.ROOT), t.getSteps(), t.getStepSize());
    }

    /** The headline robust accuracies under the attack suite, PGD's at the same eps beside them, and the masking flags. */
    private static Table suiteTable(ExperimentReport r) {
        String at = r.getRobustSuite().getNorm() + " eps " + FeaturesNotBugsReport.trim(r.getRobustSuite().getEps());
        List<List<String>> rows = Stream.concat(r.getFigure2().stream(), r.getControls().stream()).filter(m -> m.getSuiteRobustAccuracy() != null)
                .map(m -> List.of(m.getLabel(), Measures.pct(m.getSuiteRobustAccuracy()), Measures.pct(m.getPgdAtSuiteEps()),
                        m.getMaskingFlags() == null || m.getMaskingFlags().isEmpty() ? "none" : String.join(", ", m.getMaskingFlags())))
                .toList();
        return new Table("Headline robust accuracy under " + r.getRobustSuite().getAttack() + " (" + at + ")", List.of("Model",
                "Robust acc (" + r.getRobustSuite().getAttack() + ")", "Robust acc (PGD, same eps and images)", "Gradient-masking flags"), rows);
    }

    private static List<Table> tables(ExperimentReport r) {
        List<Table> tables = new ArrayList<>();
        String eps = r.getRobustNorm() + " eps " + FeaturesNotBugsReport.trim(r.getRobustEps());
        tables.add(new Table("Verdicts on the paper's claims", List.of("Claim", "Verdict", "Criterion", "Evidence"),
                r.getVerdicts().stream().map(v -> List.of(v.getClaim(), "**" + v.getVerdict() + "**", v.getCriterion(), v.getEvidence()))
                        .toList()));
        tables.add(new Table("Figure 2: standard and robust accuracy", List.of("Training", "Std acc", "Robust acc (PGD, " + eps + ")",
                "Paper std acc (CIFAR-10)", "Paper robust acc (CIFAR-10, L2 0.25)"),
                r.getFigure2().stream().map(m -> List.of(m.getLabel(), Measures.pct(m.getStandardAccuracy()),
                        Measures.pct(m.getRobustAccuracy()), pct(m.getPaperStandardAccuracy()), pct(m.getPaperRobustAccuracy()))).toList()));
        if (r.getRobustSuite() != null) {
            tables.add(suiteTable(r));
        }
        tables.add(new Table("Table 1: accuracy on the original test set", List.of("Trained on", "Test acc (" + r.getDataset() + ")",
                "Paper (CIFAR-10)"),
                r.getTable1().stream().map(m -> List.of(m.getTrainedOn(), Measures.pct(m.getStandardAccuracy()),
                        pct(m.getPaperStandardAccuracy()))).toList()));
        tables.add(new Table("Controls: the same original images, trained with the constructed set's recipe", List.of("Model",
                "Test acc", "Robust acc (" + eps + ")"), r.getControls().stream().map(m -> List.of(m.getLabel(),
                Measures.pct(m.getStandardAccuracy()), m.getRobustAccuracy() != null ? Measures.pct(m.getRobustAccuracy())
                        : r.getComplete() || m.getStep().startsWith("train-relabel-") ? "not measured" : "pending"))
                .toList()));
        tables.add(new Table("Robust-feature leakage of D_rand and D_det (the adversarially trained model on the changed-label examples)",
                List.of("Dataset", "Changed labels", "Agrees with new label: constructed", "Agrees with new label: originals",
                        "Agrees with original label: constructed", "Agrees with original label: originals", "Leakage ratio"),
                r.getLeakage().stream().map(l -> List.of(l.getDataset(), l.getChangedLabels() == null ? "pending"
                                : String.format(Locale.ROOT, "%,d", l.getChangedLabels()), Measures.pct(l.getConstructedAgreesWithNew()),
                        Measures.pct(l.getOriginalsAgreeWithNew()), Measures.pct(l.getConstructedAgreesWithOriginal()),
                        Measures.pct(l.getOriginalsAgreeWithOriginal()), leakageRatio(l))).toList()));
        tables.add(new Table("The D_det label map: share of test predictions equal to (y + 1) mod C", List.of("Model", "Share"),
                r.getLabelMap().stream().map(l -> List.of(l.getLabel(), Measures.pct(l.getShare()))).toList()));
        List<List<String>> transfer = new ArrayList<>();
        for (ReportTransferPoint p : r.getTransfer().getPoints()) {
            transfer.add(List.of(p.getArchitecture() + " (" + r.getDataset() + ")", Measures.pct(p.getDetAccuracy()),
                    Measures.pct(p.getTransferSuccess())));
        }
        for (ReportPaperTransferPoint p : r.getTransfer().getPaperPoints()) {
            transfer.add(List.of(p.getArchitecture() + " (paper, CIFAR-10)", pct(p.getDetAccuracy()), pct(p.getTransferSuccess())));
        }
        tables.add(new Table("Figure 3: transfer from " + r.getTransfer().getSourceArchitecture(),
                List.of("Architecture", "Acc when trained on D_det", "Transfer success"), transfer));
        tables.add(new Table("Feature audit: the standard and the robust model's representation units", List.of("Model", "Units",
                "Robust-useful pairs", "Useful-non-robust pairs", "Not useful pairs", "Robust share of useful",
                "Robust-useful units", "Useful-non-robust units", "Probe on robust-useful: std / robust acc",
                "Probe on useful-non-robust: std / robust acc", "Plots"),
                r.getAudit().stream().map(ReportRenderer::auditRow).toList()));
        tables.add(accuracyAgainstEps(r));
        tables.add(new Table("Constructed datasets", List.of("Dataset", "Examples", "Success on the source model", "Mean L2 perturbation",
                "Max L2 perturbation", "Remaining representation distance", "Samples"), r.getConstructions().stream()
                .map(c -> List.of(c.getDataset(), c.getExamples() == null ? "pending" : String.format(Locale.ROOT, "%,d", c.getExamples()),
                        dash(c.getSuccessRateOnSourceModel(), Measures::pct), dash(c.getMeanPerturbationL2(), Measures::number),
                        dash(c.getMaxPerturbationL2(), Measures::number), dash(c.getMeanRelativeRepresentationDistance(), Measures::pct),
                        c.getSamplesUrl() == null ? "pending" : link("sample grid", c.getSamplesUrl()))).toList()));
        tables.add(new Table("Steps", List.of("Step", "Job type", "State", "Cache hit", "Seconds"), r.getSteps().stream()
                .map(ReportRenderer::stepRow).toList()));
        return tables;
    }

    /** The ratio with its 95 % interval, which on few agreeing originals is wide. */
    private static String leakageRatio(ReportLeakage l) {
        Measure m = l.getLeakageRatio();
        return m == null || m.getLow() == null ? Measures.number(m)
                : String.format(Locale.ROOT, "%s (%.2f-%.2f)", Measures.number(m), m.getLow(), m.getHigh());
    }

    /** One row per model, one column per eps. */
    private static Table accuracyAgainstEps(ExperimentReport r) {
        List<Float> eps = r.getRobustnessCurves().stream().flatMap(c -> c.getPoints().stream().map(ReportCurvePoint::getEps)).distinct()
                .sorted().toList();
        List<String> header = new ArrayList<>(List.of("Model"));
        eps.forEach(e -> header.add("eps " + FeaturesNotBugsReport.trim(e)));
        List<List<String>> rows = new ArrayList<>();
        for (ReportCurve c : r.getRobustnessCurves()) {
            List<String> row = new ArrayList<>(List.of(c.getLabel()));
            for (Float e : eps) {
                row.add(c.getPoints().stream().filter(pt -> pt.getEps().equals(e)).findFirst().map(pt -> Measures.pct(pt.getAccuracy()))
                        .orElse("pending"));
            }
            rows.add(row);
        }
        return new Table("Accuracy against " + r.getRobustNorm() + " eps (eps 0: clean accuracy of the attacked images)", header, rows);
    }

    private static <T> String dash(T value, Function<T, String> format) {
        return value == null ? "-" : format.apply(value);
    }

    private static String link(String text, String url) {
        return "[" + text + "](" + url + ")";
    }

    private static List<String> auditRow(ReportAuditRow a) {
        if (a.getFeatures() == null) {
            return List.of(a.getLabel(), "pending", "", "", "", "", "", "", "", "", "");
        }
        return List.of(a.getLabel(), Integer.toString(a.getFeatures()), Integer.toString(a.getRobustUsefulPairs()),
                Integer.toString(a.getUsefulNonRobustPairs()), Integer.toString(a.getNotUsefulPairs()),
                Measures.pct(a.getRobustUsefulShareOfUseful()), Integer.toString(a.getRobustUsefulFeatures()),
                Integer.toString(a.getUsefulNonRobustFeatures()),
                pct(a.getRobustProbeStandardAccuracy()) + " / " + pct(a.getRobustProbeRobustAccuracy()),
                pct(a.getNonRobustProbeStandardAccuracy()) + " / " + pct(a.getNonRobustProbeRobustAccuracy()),
                link("rho vs gamma", a.getScatterUrl()) + ", " + link("gamma histogram", a.getHistogramUrl()) + ", "
                        + link("table (CSV)", a.getTableUrl()));
    }

    private static List<String> stepRow(ExperimentStep s) {
        String seconds = s.getStartedAt() == null || s.getFinishedAt() == null ? ""
                : Long.toString(java.time.Duration.between(s.getStartedAt(), s.getFinishedAt()).toSeconds());
        return List.of(s.getName(), s.getJobType(), s.getState().getValue(), s.getCacheHit() ? "yes" : "no", seconds);
    }

    private static String pct(Double v) {
        return v == null ? "pending" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    private static String duration(long seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60) : seconds + " s";
    }

    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]+)\\)");
    private static final java.util.regex.Pattern BOLD = java.util.regex.Pattern.compile("\\*\\*([^*]+)\\*\\*");

    /** A cell's Markdown links and bold text as HTML (the cell is already escaped; both patterns survive escaping). */
    private static String links(String escaped) {
        String linked = LINK.matcher(escaped).replaceAll("<a href=\"$2\">$1</a>");
        return BOLD.matcher(linked).replaceAll("<b>$1</b>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
