package io.robustlab.eval.audit;

import io.robustlab.ml.audit.FeatureScores.Category;
import io.robustlab.ml.audit.FeatureScores.Score;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The audit's two pictures: rho against gamma for every (feature, class) pair, and gamma's histogram per category. */
public final class AuditPlots {

    private static final Map<Category, Color> COLORS = Map.of(Category.ROBUST_USEFUL, new Color(0x1b9e77),
            Category.USEFUL_NON_ROBUST, new Color(0xd95f02), Category.NOT_USEFUL, new Color(0x9e9e9e));
    private static final int BINS = 24;

    private AuditPlots() {
    }

    public static byte[] scatter(List<Score> scores, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(520).title(title)
                .xAxisTitle("usefulness rho = E[y f(x)]").yAxisTitle("robust usefulness gamma = E[min y f(x + delta)]").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        for (Category c : Category.values()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            scores.stream().filter(s -> s.category() == c).forEach(s -> {
                x.add(s.rho());
                y.add(s.gamma());
            });
            if (!x.isEmpty()) {
                chart.addSeries(c.apiName() + " (" + x.size() + ")", x, y).setMarkerColor(COLORS.get(c));
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    public static byte[] gammaHistogram(List<Score> scores, String title) throws IOException {
        double lo = scores.stream().mapToDouble(Score::gamma).min().orElse(0);
        double hi = scores.stream().mapToDouble(Score::gamma).max().orElse(1);
        double width = Math.max(1e-9, (hi - lo) / BINS);
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            labels.add(String.format(java.util.Locale.ROOT, "%.2f", lo + (b + 0.5) * width));
        }
        CategoryChart chart = new CategoryChartBuilder().width(760).height(480).title(title)
                .xAxisTitle("gamma (bin centre)").yAxisTitle("(feature, class) pairs").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(90);
        for (Category c : Category.values()) {
            int[] counts = new int[BINS];
            scores.stream().filter(s -> s.category() == c)
                    .forEach(s -> counts[Math.min(BINS - 1, (int) ((s.gamma() - lo) / width))]++);
            List<Integer> values = new ArrayList<>();
            for (int n : counts) {
                values.add(n);
            }
            chart.addSeries(c.apiName(), labels, values).setFillColor(COLORS.get(c));
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
