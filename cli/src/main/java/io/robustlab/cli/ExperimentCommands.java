package io.robustlab.cli;

import io.robustlab.client.model.Experiment;
import io.robustlab.client.model.ExperimentPage;
import io.robustlab.client.model.ExperimentRequest;
import io.robustlab.client.model.ExperimentState;
import io.robustlab.client.model.ExperimentTemplate;
import io.robustlab.client.model.ShareLink;
import io.robustlab.client.model.ShareLinkRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code robustlab experiment ...}: whole experiments (a template, a preset, parameter overrides). */
@Command(name = "experiment", description = "Submit, list, watch, cancel and retry experiments; fetch their reports.")
final class ExperimentCommands {

    @ParentCommand
    private RobustLabCli root;

    @Command(description = "List the experiment templates and their presets.")
    void templates() {
        for (ExperimentTemplate t : root.gateway().experiments.listExperimentTemplates()) {
            root.out().println(t.getName() + "  presets " + t.getPresets().keySet() + "  " + t.getDescription());
        }
    }

    @Command(description = "Submit an experiment; prints its id, or watches it with --watch.")
    int submit(@Option(names = "--template", defaultValue = "features-not-bugs") String template,
               @Option(names = "--preset", defaultValue = "cpu", description = "smoke, cpu, cpu-replicated or paper (default ${DEFAULT-VALUE}).") String preset,
               @Option(names = "--name") String name,
               @Option(names = "--parameters", description = "Overrides as a JSON merge patch, inline or @file.") String parameters,
               @Option(names = "--set", description = "One override, e.g. --set training.epochs=3 (repeatable).") List<String> settings,
               @Option(names = "--no-cache", description = "Run every step even if an identical job already succeeded.") boolean noCache,
               @Option(names = "--watch", description = "Show progress until the experiment ends.") boolean watch) {
        Gateway g = root.gateway();
        ExperimentRequest request = new ExperimentRequest();
        request.setTemplate(ExperimentRequest.TemplateEnum.fromValue(template));
        request.setPreset(ExperimentRequest.PresetEnum.fromValue(preset));
        request.setName(name);
        request.setUseCache(!noCache);
        var overrides = Json.set(g.json, Json.object(g.json, parameters, "--parameters"), settings == null ? List.of() : settings);
        if (!overrides.isEmpty()) {
            request.setParameters(overrides);
        }
        Experiment e = g.experiments.createExperiment(request);
        root.out().println(e.getId());
        return watch ? watch(e.getId()) : 0;
    }

    @Command(description = "List experiments, newest first.")
    void list(@Option(names = "--state") ExperimentState state,
              @Option(names = "--page", defaultValue = "0") int page,
              @Option(names = "--size", defaultValue = "20") int size) {
        ExperimentPage p = root.gateway().experiments.listExperiments(state, page, size);
        for (Experiment e : p.getItems()) {
            root.out().println(String.format(Locale.ROOT, "%s  %-9s %4.0f%%  %s/%s  %s", e.getId(), e.getState().getValue(),
                    100 * e.getProgress(), e.getTemplate(), e.getPreset(), e.getName() == null ? "" : e.getName()));
        }
        root.out().println(p.getTotalItems() + " experiments");
    }

    @Command(description = "Print an experiment as JSON.")
    void get(@Parameters(paramLabel = "ID") UUID id) {
        root.out().println(root.gateway().json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(root.gateway().experiments.getExperiment(id)));
    }

    @Command(description = "Show an experiment's steps with progress bars until it ends; exit 0 if it succeeded.")
    int watch(@Parameters(paramLabel = "ID") UUID id) {
        Gateway g = root.gateway();
        ProgressView view = root.progressView();
        Experiment last = g.watch(StreamPaths.EXPERIMENT_PROGRESS, id, Experiment.class, g.experiments::getExperiment,
                e -> e.getState() != ExperimentState.RUNNING, view::show);
        root.out().println("experiment " + id + " " + last.getState().getValue());
        return last.getState() == ExperimentState.SUCCEEDED ? 0 : RobustLabCli.RUN_DID_NOT_SUCCEED;
    }

    @Command(description = "Cancel a running experiment and its queued and running jobs.")
    void cancel(@Parameters(paramLabel = "ID") UUID id) {
        root.out().println("experiment " + id + " " + root.gateway().experiments.cancelExperiment(id).getState().getValue());
    }

    @Command(description = "Run the failed, cancelled and never-run steps of an ended experiment again.")
    int retry(@Parameters(paramLabel = "ID") UUID id,
              @Option(names = "--watch") boolean watch) {
        Experiment e = root.gateway().experiments.retryExperiment(id);
        root.out().println("experiment " + id + " " + e.getState().getValue() + " (round " + e.getRound() + ")");
        return watch ? watch(id) : 0;
    }

    @Command(description = "Fetch the report (json, md or html) to standard output or a file.")
    void report(@Parameters(paramLabel = "ID") UUID id,
                @Option(names = "--format", defaultValue = "md") String format,
                @Option(names = "--embed", description = "Inline the figures as data URIs (md, html).") boolean embed,
                @Option(names = {"-o", "--output"}) Path output) throws IOException {
        Gateway g = root.gateway();
        String body = "json".equals(format)
                ? g.json.writerWithDefaultPrettyPrinter().writeValueAsString(g.reports.getExperimentReport(id, format, embed))
                : g.reports.getExperimentReportWithResponseSpec(id, format, embed).body(String.class);
        write(body, output);
    }

    @Command(description = "Make a link to the report that opens in a browser without a token (signed, expiring;"
            + " revoking your token kills it); prints the link.")
    void share(@Parameters(paramLabel = "ID") UUID id,
               @Option(names = "--expires-in", description = "seconds the link works (default a week, at most 30 days)") Integer seconds) {
        ShareLink link = root.gateway().sharing.createReportShareLink(id, new ShareLinkRequest().expiresInSeconds(seconds));
        root.out().println(link.getUrl());
        root.out().println("expires " + link.getExpiresAt());
    }

    @Command(description = "Download a figure of the report (accuracy-vs-eps.png, transfer.png).")
    void figure(@Parameters(paramLabel = "ID") UUID id,
                @Parameters(paramLabel = "NAME") String name,
                @Option(names = {"-o", "--output"}) Path output) throws IOException {
        byte[] png = root.gateway().reports.getExperimentFigureWithResponseSpec(id, name).body(byte[].class);
        Path target = output != null ? output : Path.of(name);
        Files.write(target, png);
        root.out().println(target + " (" + png.length + " bytes)");
    }

    private void write(String body, Path output) throws IOException {
        if (output == null) {
            root.out().print(body);
            root.out().flush();
        } else {
            Files.writeString(output, body, StandardCharsets.UTF_8);
            root.out().println(output);
        }
    }
}
