package io.robustlab.gateway.web;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentRecord;
import io.robustlab.experiments.ReportFigures;
import io.robustlab.experiments.ReportRenderer;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.service.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** An experiment's report, built from its steps, and its HTML page: linking its images, or with them inlined. */
@Component
public class ReportPages {

    static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private static final Pattern ARTIFACT_URL = Pattern.compile("/api/v1/artifacts/([0-9a-f-]{36})/content");
    private static final Pattern FIGURE_URL = Pattern.compile("/api/v1/experiments/[0-9a-f-]{36}/figures/(.+)");

    private final ExperimentEngine engine;
    private final ReportRenderer renderer;
    private final Artifacts artifacts;

    public ReportPages(ExperimentEngine engine, ReportRenderer renderer, Artifacts artifacts) {
        this.engine = engine;
        this.renderer = renderer;
        this.artifacts = artifacts;
    }

    /** The experiment, or a 404 when there is none. */
    ExperimentRecord experiment(UUID id) {
        return engine.find(id).orElseThrow(() -> ApiException.notFound("experiment " + id));
    }

    /** The report, or a 404 when there is no such experiment. */
    ExperimentReport report(UUID id) {
        ExperimentRecord e = experiment(id);
        return engine.template(e.template()).report(e, engine.steps(id));
    }

    /** @param embed whether images are inlined, so that the page needs no gateway (and no token) to show them */
    String html(ExperimentReport report, boolean embed) {
        return renderer.html(report, embed ? url -> dataUri(url, report) : url -> url);
    }

    /** Inlines a figure or sample grid. */
    private String dataUri(String url, ExperimentReport report) {
        Matcher figure = FIGURE_URL.matcher(url);
        if (figure.matches()) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(ReportFigures.png(figure.group(1), report));
        }
        Matcher artifact = ARTIFACT_URL.matcher(url);
        if (artifact.matches()) {
            Artifact a = artifacts.find(UUID.fromString(artifact.group(1))).orElse(null);
            if (a == null) {
                return url;
            }
            try (InputStream in = artifacts.open(a)) {
                return "data:image/png;base64," + Base64.getEncoder().encodeToString(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return url;
    }
}
