package io.robustlab.gateway.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An artifact as the API lists it; written only by {@code Artifacts}. */
@Entity
@Immutable
@Table(name = "artifact")
public class ArtifactRecord {
    @Id
    private UUID id;
    private String kind;
    private String name;
    private String mediaType;
    private long sizeBytes;
    private String sha256;
    private UUID jobId;
    @JdbcTypeCode(SqlTypes.JSON)
    private String metadata;
    private Instant createdAt;

    protected ArtifactRecord() {
    }

    public UUID getId() { return id; }
    public String getKind() { return kind; }
    public String getName() { return name; }
    public String getMediaType() { return mediaType; }
    public long getSizeBytes() { return sizeBytes; }
    public String getSha256() { return sha256; }
    public UUID getJobId() { return jobId; }
    public String getMetadata() { return metadata; }
    public Instant getCreatedAt() { return createdAt; }
}
