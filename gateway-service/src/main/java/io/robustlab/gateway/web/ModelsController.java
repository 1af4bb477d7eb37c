package io.robustlab.gateway.web;

import io.robustlab.api.model.Artifact;
import io.robustlab.api.model.ModelManifest;
import io.robustlab.api.web.ModelsApi;
import io.robustlab.gateway.model.ArtifactRecords;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.ApiException;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model imports: the manifest is parsed and checked against its schema here, then the file goes to
 * attack-service, which loads it in libtorch, tries it, and catalogues it (or refuses it, storing nothing).
 */
@RestController
public class ModelsController implements ModelsApi {

    private final AttackService attackService;
    private final ArtifactRecords records;
    private final ApiMapper mapper;
    private final AuditLog audit;
    private final JsonParts jsonParts;
    private final JsonMapper json;

    public ModelsController(AttackService attackService, ArtifactRecords records, ApiMapper mapper, AuditLog audit, JsonParts jsonParts,
                            JsonMapper json) {
        this.attackService = attackService;
        this.records = records;
        this.mapper = mapper;
        this.audit = audit;
        this.jsonParts = jsonParts;
        this.json = json;
    }

    @Override
    public ResponseEntity<Artifact> importModel(MultipartFile file, MultipartFile manifestFile) {
        ModelManifest manifest = jsonParts.read(manifestFile, "manifest", ModelManifest.class);
        if (file.isEmpty()) {
            throw ApiException.badField("file", "the file is empty");
        }
        String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "model" : file.getOriginalFilename();
        UUID id = attackService.importModel(MultipartFiles.contents(file), fileName, json.writeValueAsString(manifest));
        audit.record("model.import", id, manifest.getFormat().getValue() + " " + fileName + " (" + file.getSize() + " bytes)");
        Artifact created = mapper.artifact(records.findById(id).orElseThrow(() -> new IllegalStateException("imported artifact " + id + " is not catalogued")));
        return ResponseEntity.created(URI.create("/api/v1/artifacts/" + id)).body(created);
    }
}
