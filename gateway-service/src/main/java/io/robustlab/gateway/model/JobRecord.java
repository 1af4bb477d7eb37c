package io.robustlab.gateway.model;

import io.robustlab.jobs.JobState;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A job as the API reads it. Read-only: every write goes through {@code JobQueue}, whose guarded
 * statements keep the queue's invariants; JPA serves filtering and paging.
 */
@Entity
@Immutable
@Table(name = "job")
public class JobRecord {
    @Id
    private UUID id;
    private String type;
    @JdbcTypeCode(SqlTypes.JSON)
    private String spec;
    @Enumerated(EnumType.STRING)
    private JobState state;
    private int priority;
    private Instant runAt;
    private int attempt;
    private int maxAttempts;
    private String leaseOwner;
    private boolean cancelRequested;
    private double progress;
    private String progressMessage;
    @JdbcTypeCode(SqlTypes.JSON)
    private String result;
    private String error;
    private UUID experimentId;
    private String idempotencyKey;
    private String device;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant startedAt;
    private Instant finishedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @BatchSize(size = 500)
    @CollectionTable(name = "job_dependency", joinColumns = @JoinColumn(name = "job_id"))
    @Column(name = "depends_on")
    private Set<UUID> dependsOn;

    protected JobRecord() {
    }

    public UUID getId() { return id; }
    public String getType() { return type; }
    public String getSpec() { return spec; }
    public JobState getState() { return state; }
    public int getPriority() { return priority; }
    public Instant getRunAt() { return runAt; }
    public int getAttempt() { return attempt; }
    public int getMaxAttempts() { return maxAttempts; }
    public String getLeaseOwner() { return leaseOwner; }
    public boolean isCancelRequested() { return cancelRequested; }
    public double getProgress() { return progress; }
    public String getProgressMessage() { return progressMessage; }
    public String getResult() { return result; }
    public String getError() { return error; }
    public UUID getExperimentId() { return experimentId; }
    public String getIdempotencyKey() { return idempotencyKey; }
    public String getDevice() { return device; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getFinishedAt() { return finishedAt; }
    public Set<UUID> getDependsOn() { return dependsOn; }
}
