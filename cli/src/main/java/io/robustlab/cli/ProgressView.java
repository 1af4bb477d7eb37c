package io.robustlab.cli;

import io.robustlab.client.model.Experiment;
import io.robustlab.client.model.ExperimentStep;
import io.robustlab.client.model.Job;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Progress bars for jobs and experiments. On a terminal the block is redrawn in place; elsewhere
 * (a pipe, a log, a test) a line is printed only when a bar's state or tenth of progress changes,
 * so logs stay short.
 */
final class ProgressView {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean redraw;
    private final Map<String, String> lastPrinted = new HashMap<>();
    private int drawn;

    ProgressView(PrintStream out, boolean terminal) {
        this.out = out;
        this.redraw = terminal;
    }

    void show(Experiment e) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("experiment", fraction(e.getProgress()), e.getState().getValue(),
                e.getTemplate() + " (" + e.getPreset() + ")" + (e.getError() == null ? "" : ": " + e.getError())));
        for (ExperimentStep s : e.getSteps()) {
            String note = Boolean.TRUE.equals(s.getCacheHit()) ? "cached" : s.getError() != null ? s.getError()
                    : s.getProgressMessage() == null ? "" : s.getProgressMessage();
            rows.add(new Row(s.getName(), fraction(s.getProgress()), s.getState().getValue(), note));
        }
        draw(rows);
    }

    void show(Job j) {
        String note = j.getError() != null ? j.getError() : j.getProgressMessage() == null ? "" : j.getProgressMessage();
        draw(List.of(new Row(j.getType(), fraction(j.getProgress()), j.getState().getValue(), note)));
    }

    /** "[##########--------------]  42%". */
    static String bar(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%", Math.round(f * 100));
    }

    private record Row(String name, double fraction, String state, String note) {
        String line() {
            return String.format(Locale.ROOT, "%-22s %s %-9s %s", name, bar(fraction), state, note).stripTrailing();
        }

        /** Changes of the same state within a tenth of progress print nothing in log mode. */
        String coarse() {
            return state + "|" + (int) Math.floor(fraction * 10);
        }
    }

    private void draw(List<Row> rows) {
        if (redraw) {
            StringBuilder b = new StringBuilder();
            if (drawn > 0) {
                b.append("\033[").append(drawn).append('F');
            }
            rows.forEach(r -> b.append("\033[2K").append(r.line()).append('\n'));
            out.print(b);
            drawn = rows.size();
        } else {
            for (Row r : rows) {
                if (!r.coarse().equals(lastPrinted.put(r.name(), r.coarse()))) {
                    out.println(r.line());
                }
            }
        }
        out.flush();
    }

    private static double fraction(Double d) {
        return d == null ? 0 : d;
    }
}
