package io.robustlab.gateway.web;

import io.robustlab.api.model.Artifact;
import io.robustlab.api.model.ModelManifest;
import io.robustlab.api.web.ModelsApi;
import io.robustlab.gateway.model.ArtifactRecords;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model imports: the manifest is parsed and checked against its schema here, then the file goes to
 * attack-service, which loads it in libtorch, tries it, and catalogues it (or refuses it, storing nothing).
 */
@RestController
public class ModelsController implements ModelsApi {

    /** Class names and all: far more than any real manifest needs. */
    private static final long MAX_MANIFEST_BYTES = 1 << 20;

    private final AttackService attackService;
    private final ArtifactRecords records;
    private final ApiMapper mapper;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Validator validator;

    public ModelsController(AttackService attackService, ArtifactRecords records, ApiMapper mapper, AuditLog audit, JsonMapper json,
                            Validator validator) {
        this.attackService = attackService;
        this.records = records;
        this.mapper = mapper;
        this.audit = audit;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public ResponseEntity<Artifact> importModel(MultipartFile file, MultipartFile manifestFile) {
        ModelManifest manifest = manifest(text(manifestFile));
        if (file.isEmpty()) {
            throw ApiException.badField("file", "the file is empty");
        }
        String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "model" : file.getOriginalFilename();
        UUID id = attackService.importModel(() -> {
            try {
                return file.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, fileName, json.writeValueAsString(manifest));
        audit.record("model.import", id, manifest.getFormat().getValue() + " " + fileName + " (" + file.getSize() + " bytes)");
        Artifact created = mapper.artifact(records.findById(id).orElseThrow(() -> new IllegalStateException("imported artifact " + id + " is not catalogued")));
        return ResponseEntity.created(URI.create("/api/v1/artifacts/" + id)).body(created);
    }

    private static String text(MultipartFile part) {
        if (part.getSize() > MAX_MANIFEST_BYTES) {
            throw ApiException.badField("manifest", "a manifest is at most " + MAX_MANIFEST_BYTES + " bytes");
        }
        try {
            return new String(part.getBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest part as a ModelManifest, or a 400 naming the manifest field at fault. */
    private ModelManifest manifest(String manifestJson) {
        ModelManifest manifest;
        try {
            manifest = json.readValue(manifestJson, ModelManifest.class);
        } catch (JacksonException e) {
            String path = e.getPath().isEmpty() ? "" : "." + e.getPath().get(e.getPath().size() - 1).getPropertyName();
            throw ApiException.badField("manifest" + (path.equals(".null") ? "" : path), "not a valid ModelManifest: " + e.getOriginalMessage());
        }
        if (manifest == null) {
            throw ApiException.badField("manifest", "a ModelManifest object is required");
        }
        Set<ConstraintViolation<ModelManifest>> violations = validator.validate(manifest);
        if (!violations.isEmpty()) {
            List<ApiException.FieldProblem> fields = violations.stream()
                    .map(v -> new ApiException.FieldProblem("manifest." + v.getPropertyPath(), v.getMessage()))
                    .sorted(Comparator.comparing(ApiException.FieldProblem::field)).toList();
            throw new ApiException(HttpStatus.BAD_REQUEST, "the manifest fails validation: "
                    + fields.stream().map(f -> f.field() + " " + f.message()).reduce((a, b) -> a + "; " + b).orElse(""), fields);
        }
        return manifest;
    }
}
