package io.robustlab.attack.web;

import io.robustlab.api.model.ModelManifest;
import io.robustlab.attack.models.ModelExports;
import io.robustlab.attack.models.ModelImports;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.InternalApi;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model import and export behind the gateway's {@code POST /api/v1/models} and
 * {@code GET /api/v1/artifacts/{id}/content?format=...}: here because loading a PyTorch model needs
 * libtorch. Internal: the gateway is its only client, and has validated the manifest's schema.
 */
@RestController
public class ModelExchangeController {

    private final ModelImports imports;
    private final ModelExports exports;
    private final JsonMapper json;

    public ModelExchangeController(ModelImports imports, ModelExports exports, JsonMapper json) {
        this.imports = imports;
        this.exports = exports;
        this.json = json;
    }

    @PostMapping(path = InternalApi.MODELS, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public InternalApi.ImportedModel importModel(@RequestHeader(InternalApi.MANIFEST_HEADER) String manifestHeader, @RequestParam("fileName") String fileName,
                                         HttpServletRequest request) throws IOException {
        ModelManifest manifest;
        try {
            manifest = json.readValue(new String(Base64.getUrlDecoder().decode(manifestHeader), StandardCharsets.UTF_8), ModelManifest.class);
        } catch (IllegalArgumentException | JacksonException e) {
            throw ApiException.badField("manifest", "not a ModelManifest: " + e.getMessage());
        }
        // The body streams to a private temporary file (bounded by the body size limit), which libtorch then reads.
        Path file = Files.createTempFile("robustlab-upload", ".bin");
        try {
            try (InputStream in = request.getInputStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(file) == 0) {
                throw ApiException.badField("file", "the file is empty");
            }
            Artifact saved = imports.importModel(manifest, file, fileName);
            return new InternalApi.ImportedModel(saved.id());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @GetMapping(InternalApi.MODELS + "/{artifactId}/export")
    public ResponseEntity<StreamingResponseBody> export(@PathVariable UUID artifactId, @RequestParam("format") String format) throws IOException {
        ModelExports.Export export = exports.export(artifactId, format);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(export.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(export.fileName()).build().toString())
                .body(out -> export.writer().writeTo(out));
    }
}
