package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportCurve;
import io.robustlab.api.model.ReportPaperTransferPoint;
import io.robustlab.api.model.ReportTransferPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's plots, drawn with XChart as PNG from the report's own numbers, with error bars. */
public final class ReportFigures {

    public static final List<String> NAMES = List.of("accuracy-vs-eps.png", "transfer.png");

    private ReportFigures() {
    }

    public static byte[] png(String name, ExperimentReport report) {
        XYChart chart = switch (name) {
            case "accuracy-vs-eps.png" -> accuracyVsEps(report);
            case "transfer.png" -> transfer(report);
            default -> throw new IllegalArgumentException("no figure " + name);
        };
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart accuracyVsEps(ExperimentReport report) {
        XYChart chart = base("Robust accuracy on " + report.getDataset(), report.getRobustNorm() + " eps (pixels in [0,1])",
                "Test accuracy");
        for (ReportCurve curve : report.getRobustnessCurves()) {
            if (curve.getPoints().isEmpty()) {
                continue;
            }
            double[] x = curve.getPoints().stream().mapToDouble(p -> p.getEps()).toArray();
            double[] y = curve.getPoints().stream().mapToDouble(p -> p.getAccuracy().getMean()).toArray();
            double[] error = curve.getPoints().stream().mapToDouble(p -> errorBar(p.getAccuracy())).toArray();
            chart.addSeries(curve.getLabel(), x, y, error).setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    /** Figure 3: one point per architecture (ours), and the paper's CIFAR-10 points for reference. */
    private static XYChart transfer(ExperimentReport report) {
        XYChart chart = base("Transfer from " + report.getTransfer().getSourceArchitecture() + " vs learning from D_det",
                "Test accuracy when trained on D_det", "Transfer success rate");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(12);
        for (ReportTransferPoint p : report.getTransfer().getPoints()) {
            if (p.getDetAccuracy() != null && p.getTransferSuccess() != null) {
                chart.addSeries(p.getArchitecture() + " (" + report.getDataset() + ")", new double[] {p.getDetAccuracy().getMean()},
                        new double[] {p.getTransferSuccess().getMean()}, new double[] {errorBar(p.getTransferSuccess())});
            }
        }
        List<ReportPaperTransferPoint> paper = report.getTransfer().getPaperPoints();
        chart.addSeries("paper, CIFAR-10 (" + String.join(", ", paper.stream().map(ReportPaperTransferPoint::getArchitecture).toList()) + ")",
                        paper.stream().mapToDouble(ReportPaperTransferPoint::getDetAccuracy).toArray(),
                        paper.stream().mapToDouble(ReportPaperTransferPoint::getTransferSuccess).toArray(), new double[paper.size()])
                .setMarker(SeriesMarkers.DIAMOND);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    /**
     * The bar's half-length: half the 95 % interval (Wilson's for one replicate, the t interval over
     * replicates otherwise), so every bar means the same thing. The charts draw symmetric bars; where
     * an interval is clipped at 0 or 1 the bar is centred on the mean.
     */
    private static double errorBar(Measure m) {
        return m.getLow() == null ? 0 : (m.getHigh() - m.getLow()) / 2;
    }

    private static XYChart base(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(760).height(480).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(java.awt.Color.WHITE)
                .setDecimalPattern("0.00");
        return chart;
    }
}
