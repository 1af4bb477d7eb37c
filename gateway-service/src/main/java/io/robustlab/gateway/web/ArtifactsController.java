package io.robustlab.gateway.web;

import io.robustlab.api.model.Artifact;
import io.robustlab.api.model.ArtifactPage;
import io.robustlab.api.web.ArtifactsApi;
import io.robustlab.gateway.model.ArtifactRecord;
import io.robustlab.gateway.model.ArtifactRecords;
import io.robustlab.gateway.model.Filters;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.service.web.ApiException;
import java.io.IOException;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Artifacts are addressed by id only: no path a user sends ever reaches the file system. */
@RestController
public class ArtifactsController implements ArtifactsApi {

    private final ArtifactRecords records;
    private final Artifacts artifacts;
    private final ApiMapper mapper;
    private final AttackService attackService;

    public ArtifactsController(ArtifactRecords records, Artifacts artifacts, ApiMapper mapper, AttackService attackService) {
        this.records = records;
        this.artifacts = artifacts;
        this.mapper = mapper;
        this.attackService = attackService;
    }

    @Override
    public ResponseEntity<ArtifactPage> listArtifacts(UUID jobId, String kind, Integer page, Integer size) {
        Page<ArtifactRecord> found = records.findAll(
                Filters.<ArtifactRecord>where().eq("jobId", jobId).eq("kind", kind).toSpecification(),
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("name"))));
        return ResponseEntity.ok(new ArtifactPage(found.map(mapper::artifact).getContent(), page, size,
                found.getTotalElements(), found.getTotalPages()));
    }

    @Override
    public ResponseEntity<Artifact> getArtifact(UUID artifactId) {
        return ResponseEntity.ok(mapper.artifact(find(artifactId)));
    }

    @Override
    public ResponseEntity<Resource> downloadArtifact(UUID artifactId, String format) {
        io.robustlab.jobs.artifact.Artifact a = artifacts.find(artifactId)
                .orElseThrow(() -> ApiException.notFound("artifact " + artifactId));
        if (format != null) {
            return export(artifactId, format);
        }
        try {
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(a.mediaType()))
                    .contentLength(a.sizeBytes())
                    .eTag(a.sha256())
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(a.name()).build().toString())
                    .body(new InputStreamResource(artifacts.open(a)));
        } catch (IOException e) {
            throw new IllegalStateException("artifact " + artifactId + " is catalogued but its bytes are unreadable", e);
        }
    }

    /** A model in a PyTorch format, made by attack-service (it reads model files with libtorch) and streamed through. */
    private ResponseEntity<Resource> export(UUID artifactId, String format) {
        AttackService.Download d = attackService.exportModel(artifactId, format);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.parseMediaType(d.contentType()));
        if (d.contentDisposition() != null) {
            ok.header(HttpHeaders.CONTENT_DISPOSITION, d.contentDisposition());
        }
        return ok.body(new InputStreamResource(d.body()));
    }

    private ArtifactRecord find(UUID id) {
        return records.findById(id).orElseThrow(() -> ApiException.notFound("artifact " + id));
    }
}
