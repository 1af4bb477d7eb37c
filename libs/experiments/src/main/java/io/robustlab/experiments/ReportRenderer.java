package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ExperimentStep;
import io.robustlab.api.model.ReportAuditRow;
import io.robustlab.api.model.ReportConstruction;
import io.robustlab.api.model.ReportFigure;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportTransferPoint;
import java.util.ArrayList;
import java.util.List;
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
                row.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
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
        return String.format(Locale.ROOT, "Experiment %s, %s%s. Robust accuracy in the tables: %s eps %s.%s", r.getExperimentId(),
                r.getState().getValue(), r.getWallSeconds() == null ? "" : " after " + duration(r.getWallSeconds()),
                r.getRobustNorm(), FeaturesNotBugsReport.trim(r.getRobustEps()), r.getComplete() ? "" : " Some results are still pending.");
    }

    private static List<Table> tables(ExperimentReport r) {
        List<Table> tables = new ArrayList<>();
        String eps = r.getRobustNorm() + " eps " + FeaturesNotBugsReport.trim(r.getRobustEps());
        tables.add(new Table("Figure 2: standard and robust accuracy", List.of("Training", "Std acc", "Robust acc (" + eps + ")",
                "Paper std acc (CIFAR-10)", "Paper robust acc (CIFAR-10, L2 0.25)"),
                r.getFigure2().stream().map(m -> List.of(m.getLabel(), pct(m.getStandardAccuracy()), pct(m.getRobustAccuracy()),
                        pct(m.getPaperStandardAccuracy()), pct(m.getPaperRobustAccuracy()))).toList()));
        tables.add(new Table("Table 1: accuracy on the original test set", List.of("Trained on", "Test acc (" + r.getDataset() + ")",
                "Paper (CIFAR-10)"),
                r.getTable1().stream().map(m -> List.of(m.getTrainedOn(), pct(m.getStandardAccuracy()), pct(m.getPaperStandardAccuracy())))
                        .toList()));
        List<List<String>> transfer = new ArrayList<>();
        for (ReportTransferPoint p : r.getTransfer().getPoints()) {
            transfer.add(List.of(p.getArchitecture() + " (" + r.getDataset() + ")", pct(p.getDetAccuracy()), pct(p.getTransferSuccess())));
        }
        for (ReportTransferPoint p : r.getTransfer().getPaperPoints()) {
            transfer.add(List.of(p.getArchitecture() + " (paper, CIFAR-10)", pct(p.getDetAccuracy()), pct(p.getTransferSuccess())));
        }
        tables.add(new Table("Figure 3: transfer from " + r.getTransfer().getSourceArchitecture(),
                List.of("Architecture", "Acc when trained on D_det", "Transfer success"), transfer));
        tables.add(new Table("Feature audit: the standard and the robust model's representation units", List.of("Model", "Units",
                "Robust-useful pairs", "Useful-non-robust pairs", "Not useful pairs", "Robust share of useful",
                "Robust-useful units", "Useful-non-robust units", "Probe on robust-useful: std / robust acc",
                "Probe on useful-non-robust: std / robust acc", "Plots"),
                r.getAudit().stream().map(ReportRenderer::auditRow).toList()));
        List<List<String>> curves = new ArrayList<>();
        r.getRobustnessCurves().forEach(c -> c.getPoints().forEach(p -> curves.add(List.of(c.getLabel(),
                FeaturesNotBugsReport.trim(p.getEps()), pct(p.getAccuracy())))));
        tables.add(new Table("Accuracy against " + r.getRobustNorm() + " eps", List.of("Model", "eps", "Accuracy"), curves));
        tables.add(new Table("Constructed datasets", List.of("Dataset", "Examples", "Quality"), r.getConstructions().stream()
                .map(c -> List.of(c.getDataset(), c.getExamples() == null ? "pending" : Integer.toString(c.getExamples()),
                        c.getQuality() == null ? "pending" : c.getQuality().toString())).toList()));
        tables.add(new Table("Steps", List.of("Step", "Job type", "State", "Cache hit", "Seconds"), r.getSteps().stream()
                .map(ReportRenderer::stepRow).toList()));
        return tables;
    }

    private static List<String> auditRow(ReportAuditRow a) {
        if (a.getFeatures() == null) {
            return List.of(a.getLabel(), "pending", "", "", "", "", "", "", "", "", "");
        }
        return List.of(a.getLabel(), Integer.toString(a.getFeatures()), Integer.toString(a.getRobustUsefulPairs()),
                Integer.toString(a.getUsefulNonRobustPairs()), Integer.toString(a.getNotUsefulPairs()), pct(a.getRobustUsefulShareOfUseful()),
                Integer.toString(a.getRobustUsefulFeatures()), Integer.toString(a.getUsefulNonRobustFeatures()),
                pct(a.getRobustProbeStandardAccuracy()) + " / " + pct(a.getRobustProbeRobustAccuracy()),
                pct(a.getNonRobustProbeStandardAccuracy()) + " / " + pct(a.getNonRobustProbeRobustAccuracy()),
                "rho vs gamma: " + a.getScatterUrl() + ", gamma histogram: " + a.getHistogramUrl() + ", table: " + a.getTableUrl());
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

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
