package io.robustlab.gateway.web;

import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.web.ReportsApi;
import io.robustlab.experiments.ReportFigures;
import io.robustlab.experiments.ReportRenderer;
import io.robustlab.service.web.ApiException;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.Locale;
import java.util.UUID;
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

    private final ReportPages pages;
    private final ReportRenderer renderer;

    public ReportsController(ReportPages pages, ReportRenderer renderer) {
        this.pages = pages;
        this.renderer = renderer;
    }

    @GetMapping(path = ReportsApi.PATH_GET_EXPERIMENT_REPORT,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/markdown", MediaType.TEXT_HTML_VALUE})
    public ResponseEntity<?> getExperimentReport(@PathVariable("experimentId") UUID experimentId,
                                                 @RequestParam(value = "format", required = false) String format,
                                                 @RequestParam(value = "embed", required = false, defaultValue = "false") boolean embed,
                                                 @Parameter(hidden = true) @RequestHeader(value = "Accept", required = false) String accept) {
        ExperimentReport report = pages.report(experimentId);
        return switch (format != null ? format : fromAccept(accept)) {
            case "json" -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
            case "md" -> ResponseEntity.ok().contentType(MARKDOWN).body(renderer.markdown(report));
            case "html" -> ResponseEntity.ok().contentType(ReportPages.HTML).body(pages.html(report, embed));
            default -> throw ApiException.badField("format", "must be json, md or html, was '" + format + "'");
        };
    }

    @GetMapping(path = ReportsApi.PATH_GET_EXPERIMENT_FIGURE, produces = MediaType.IMAGE_PNG_VALUE)
    public ResponseEntity<byte[]> getExperimentFigure(@PathVariable("experimentId") UUID experimentId,
                                                      @PathVariable("figure") String figure) {
        if (!ReportFigures.NAMES.contains(figure)) {
            throw ApiException.badField("figure", "must be one of " + ReportFigures.NAMES);
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(ReportFigures.png(figure, pages.report(experimentId)));
    }

    private static String fromAccept(String accept) {
        String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        if (a.contains("text/html")) {
            return "html";
        }
        return a.contains("text/markdown") ? "md" : "json";
    }
}
