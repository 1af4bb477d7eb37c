package io.robustlab.gateway.web;

import io.robustlab.api.model.DatasetManifest;
import io.robustlab.api.model.UploadedDataset;
import io.robustlab.api.web.DatasetsApi;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.InternalApi.DatasetParts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data set uploads: the manifest is checked against its schema here, then the manifest and the
 * files stream on to dataset-service, which reads and checks both splits and catalogues them (or
 * refuses them, storing nothing).
 */
@RestController
public class DatasetsController implements DatasetsApi {

    private final DatasetService datasetService;
    private final JsonParts jsonParts;
    private final AuditLog audit;
    private final JsonMapper json;

    public DatasetsController(DatasetService datasetService, JsonParts jsonParts, AuditLog audit, JsonMapper json) {
        this.datasetService = datasetService;
        this.jsonParts = jsonParts;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public ResponseEntity<UploadedDataset> uploadDataset(MultipartFile manifestFile, MultipartFile train, MultipartFile test,
                                                         MultipartFile trainLabels, MultipartFile testLabels) {
        DatasetManifest manifest = jsonParts.read(manifestFile, DatasetParts.MANIFEST, DatasetManifest.class);
        Map<String, MultipartFile> files = new LinkedHashMap<>();
        files.put(DatasetParts.TRAIN, train);
        files.put(DatasetParts.TEST, test);
        files.put(DatasetParts.TRAIN_LABELS, trainLabels);
        files.put(DatasetParts.TEST_LABELS, testLabels);
        byte[] manifestJson = json.writeValueAsBytes(manifest);
        List<DatasetService.Part> parts = new ArrayList<>(List.of(new DatasetService.Part(DatasetParts.MANIFEST, () -> new ByteArrayInputStream(manifestJson))));
        long bytes = 0;
        for (Map.Entry<String, MultipartFile> f : files.entrySet()) {
            if (f.getValue() == null) {
                continue;
            }
            if (f.getValue().isEmpty()) {
                throw ApiException.badField(f.getKey(), "the file is empty");
            }
            parts.add(new DatasetService.Part(f.getKey(), MultipartFiles.contents(f.getValue())));
            bytes += f.getValue().getSize();
        }
        UploadedDataset uploaded = datasetService.upload(parts);
        audit.record("dataset.upload", uploaded.getTrain().getArtifactId(), manifest.getName() + " (" + manifest.getFormat().getValue()
                + ", " + bytes + " bytes; test split " + uploaded.getTest().getArtifactId() + ")");
        return ResponseEntity.created(URI.create("/api/v1/artifacts/" + uploaded.getTrain().getArtifactId())).body(uploaded);
    }
}
