package io.robustlab.gateway.web;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.web.ReportsApi;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentRecord;
import io.robustlab.experiments.ReportFigures;
import io.robustlab.experiments.ReportRenderer;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.service.web.ApiException;
import io.swagger.v3.oas.annotations.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reports and their figures. Written by hand rather than through the generated ReportsApi: one
 * operation answers in three media types (JSON, Markdown, HTML), chosen by {@code format} or the
 * Accept header, which a single generated return type cannot express. The paths are the generated
 * constants; the served docs take the rest from openapi.yaml (AuthoredOperations), and
 * OpenApiContractTest checks operation ids, parameters and responses against it.
 */
@RestController
public class ReportsController {

    private static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");
    private static final Pattern ARTIFACT_URL = Pattern.compile("/api/v1/artifacts/([0-9a-f-]{36})/content");
    private static final Pattern FIGURE_URL = Pattern.compile("/api/v1/experiments/[0-9a-f-]{36}/figures/(.+)");

    private final ExperimentEngine engine;
    private final ReportRenderer renderer;
    private final Artifacts artifacts;

    public ReportsController(ExperimentEngine engine, ReportRenderer renderer, Artifacts artifacts) {
        this.engine = engine;
        this.renderer = renderer;
        this.artifacts = artifacts;
    }

    @GetMapping(path = ReportsApi.PATH_GET_EXPERIMENT_REPORT,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/markdown", MediaType.TEXT_HTML_VALUE})
    public ResponseEntity<?> getExperimentReport(@PathVariable("experimentId") UUID experimentId,
                                                 @RequestParam(value = "format", required = false) String format,
                                                 @RequestParam(value = "embed", required = false, defaultValue = "false") boolean embed,
                                                 @Parameter(hidden = true) @RequestHeader(value = "Accept", required = false) String accept) {
        ExperimentReport report = report(experimentId);
        return switch (format != null ? format : fromAccept(accept)) {
            case "json" -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
            case "md" -> ResponseEntity.ok().contentType(MARKDOWN).body(renderer.markdown(report));
            case "html" -> ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                    .body(renderer.html(report, embed ? url -> dataUri(url, report) : url -> url));
            default -> throw ApiException.badField("format", "must be json, md or html, was '" + format + "'");
        };
    }

    @GetMapping(path = ReportsApi.PATH_GET_EXPERIMENT_FIGURE, produces = MediaType.IMAGE_PNG_VALUE)
    public ResponseEntity<byte[]> getExperimentFigure(@PathVariable("experimentId") UUID experimentId,
                                                      @PathVariable("figure") String figure) {
        if (!ReportFigures.NAMES.contains(figure)) {
            throw ApiException.badField("figure", "must be one of " + ReportFigures.NAMES);
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(ReportFigures.png(figure, report(experimentId)));
    }

    private ExperimentReport report(UUID id) {
        ExperimentRecord e = engine.find(id).orElseThrow(() -> ApiException.notFound("experiment " + id));
        return engine.template(e.template()).report(e, engine.steps(id));
    }

    private static String fromAccept(String accept) {
        String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        if (a.contains("text/html")) {
            return "html";
        }
        return a.contains("text/markdown") ? "md" : "json";
    }

    /** Inlines a figure or sample grid, so a saved page needs no gateway. */
    private String dataUri(String url, ExperimentReport report) {
        Matcher figure = FIGURE_URL.matcher(url);
        if (figure.matches()) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(ReportFigures.png(figure.group(1), report));
        }
        Matcher artifact = ARTIFACT_URL.matcher(url);
        if (artifact.matches()) {
            io.robustlab.jobs.artifact.Artifact a = artifacts.find(UUID.fromString(artifact.group(1))).orElse(null);
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
