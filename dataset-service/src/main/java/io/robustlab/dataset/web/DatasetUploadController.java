package io.robustlab.dataset.web;

import io.robustlab.api.model.DatasetManifest;
import io.robustlab.api.model.UploadedDataset;
import io.robustlab.dataset.uploads.DatasetUploads;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.InternalApi;
import io.robustlab.service.web.InternalApi.DatasetParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upload the gateway forwards (it has checked the manifest against its schema): the parts go to
 * a private temporary folder, named after the parts, for {@link DatasetUploads}; the folder is
 * deleted whatever happens.
 */
@RestController
public class DatasetUploadController {

    private static final Logger log = LoggerFactory.getLogger(DatasetUploadController.class);

    private static final List<String> FILE_PARTS = List.of(DatasetParts.TRAIN, DatasetParts.TEST, DatasetParts.TRAIN_LABELS,
            DatasetParts.TEST_LABELS);

    private final DatasetUploads uploads;
    private final JsonMapper json;

    public DatasetUploadController(DatasetUploads uploads, JsonMapper json) {
        this.uploads = uploads;
        this.json = json;
    }

    @PostMapping(path = InternalApi.DATASETS, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<UploadedDataset> upload(MultipartHttpServletRequest request) throws IOException {
        Map<String, MultipartFile> parts = request.getFileMap();
        MultipartFile manifestPart = parts.get(DatasetParts.MANIFEST);
        if (manifestPart == null) {
            throw ApiException.badField(DatasetParts.MANIFEST, "is required");
        }
        DatasetManifest manifest;
        try (InputStream in = manifestPart.getInputStream()) {
            manifest = json.readValue(in, DatasetManifest.class);
        }
        Path folder = Files.createTempDirectory("robustlab-upload-");
        try {
            for (String name : FILE_PARTS) {
                MultipartFile part = parts.get(name);
                if (part != null) {
                    part.transferTo(folder.resolve(name));
                }
            }
            return ResponseEntity.status(HttpStatus.CREATED).body(uploads.upload(manifest, folder));
        } catch (DatasetUploads.Refused e) {
            throw ApiException.badField(e.part(), e.getMessage());
        } finally {
            delete(folder);
        }
    }

    /** Deletes the upload's folder; a failure is logged, never thrown over the upload's own outcome. */
    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not delete the upload folder {}", folder, e);
        }
    }
}
