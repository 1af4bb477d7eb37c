package io.robustlab.gateway.web;

import io.robustlab.api.jobtypes.CacheKeys;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.api.model.DatasetImportSpec;
import io.robustlab.api.model.Job;
import io.robustlab.api.model.JobEvent;
import io.robustlab.api.model.JobPage;
import io.robustlab.api.model.JobState;
import io.robustlab.api.model.JobSubmission;
import io.robustlab.api.model.JobType;
import io.robustlab.api.web.JobsApi;
import io.robustlab.gateway.model.Filters;
import io.robustlab.gateway.model.JobRecord;
import io.robustlab.gateway.model.JobRecords;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.jobs.CancelOutcome;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.Submission;
import io.robustlab.jobs.Tx;
import io.robustlab.jobs.UnknownDependencyException;
import io.robustlab.service.data.DataRoots;
import io.robustlab.service.web.ApiException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class JobsController implements JobsApi {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final JobQueue queue;
    private final JobRecords jobs;
    private final SpecValidator specs;
    private final ApiMapper mapper;
    private final AuditLog audit;
    private final DataRoots dataRoots;

    public JobsController(JobQueue queue, JobRecords jobs, SpecValidator specs, ApiMapper mapper, AuditLog audit, DataRoots dataRoots) {
        this.queue = queue;
        this.jobs = jobs;
        this.specs = specs;
        this.mapper = mapper;
        this.audit = audit;
        this.dataRoots = dataRoots;
    }

    @Override
    public ResponseEntity<List<JobType>> listJobTypes() {
        return ResponseEntity.ok(JobTypeCatalog.ALL.stream().map(t -> new JobType(t.name(), t.service(), t.description(),
                t.specClass().getSimpleName(), t.resultClass().getSimpleName(), t.internal())).toList());
    }

    @Override
    public ResponseEntity<Job> submitJob(JobSubmission s) {
        JobTypeDefinition type = JobTypeCatalog.findPublic(s.getType()).orElseThrow(() -> ApiException.badField("type",
                "unknown job type '" + s.getType() + "'; known types: " + JobTypeCatalog.PUBLIC.stream().map(JobTypeDefinition::name).toList()));
        String spec = specs.validate(type, s.getSpec());
        if (s.getDependsOn() != null && s.getDependsOn().contains(null)) {
            throw ApiException.badField("dependsOn[" + s.getDependsOn().indexOf(null) + "]", "must be a job id, not null");
        }
        if (type == JobTypeCatalog.DATASET_IMPORT) {
            checkFolder(specs.parse(DatasetImportSpec.class, s.getSpec(), "spec").getDirectory());
        }
        NewJob job = new NewJob(null, type.name(), spec,
                Objects.requireNonNullElse(s.getPriority(), NewJob.DEFAULT_PRIORITY),
                Objects.requireNonNullElse(s.getMaxAttempts(), NewJob.DEFAULT_MAX_ATTEMPTS),
                s.getDependsOn(), s.getExperimentId(), s.getIdempotencyKey(), null, specs.requiresGpu(spec),
                CacheKeys.of(type, spec));
        Submission submitted;
        try {
            submitted = Tx.run(queue.dataSource(), c -> {
                Submission s1 = queue.submit(c, job);
                if (s1.created()) {
                    audit.record(c, "job.submit", s1.job().id(), type.name());
                }
                return s1;
            });
        } catch (UnknownDependencyException e) {
            throw ApiException.badField("dependsOn", "no such jobs: " + e.missing());
        }
        Job body = load(submitted.job().id());
        if (!submitted.created()) {
            return ResponseEntity.ok(body);
        }
        return ResponseEntity.created(URI.create("/api/v1/jobs/" + body.getId())).body(body);
    }

    /** A dataset import reads only folders under the data roots: refused here, before any job exists. */
    private void checkFolder(String directory) {
        if (directory != null) {
            try {
                dataRoots.resolve(directory);
            } catch (DataRoots.Refused e) {
                throw ApiException.badField("spec.directory", e.getMessage());
            }
        }
    }

    @Override
    public ResponseEntity<JobPage> listJobs(JobState state, String type, UUID experimentId, Integer page, Integer size) {
        Page<JobRecord> found = jobs.findAll(Filters.<JobRecord>where()
                        .eq("state", state == null ? null : io.robustlab.jobs.JobState.valueOf(state.getValue()))
                        .eq("type", type)
                        .eq("experimentId", experimentId)
                        .toSpecification(),
                PageRequest.of(page, size, NEWEST_FIRST));
        return ResponseEntity.ok(new JobPage(found.map(mapper::job).getContent(), page, size, found.getTotalElements(),
                found.getTotalPages()));
    }

    @Override
    public ResponseEntity<Job> getJob(UUID jobId) {
        return ResponseEntity.ok(load(jobId));
    }

    @Override
    public ResponseEntity<Job> cancelJob(UUID jobId) {
        CancelOutcome outcome = Tx.run(queue.dataSource(), c -> {
            Optional<CancelOutcome> o = queue.cancel(c, jobId);
            if (o.isPresent() && o.get() != CancelOutcome.ALREADY_FINISHED) {
                audit.record(c, "job.cancel", jobId, queue.find(c, jobId).orElseThrow().type());
            }
            return o;
        }).orElseThrow(() -> ApiException.notFound("job " + jobId));
        Job job = load(jobId);
        if (outcome == CancelOutcome.ALREADY_FINISHED) {
            throw new ApiException(HttpStatus.CONFLICT, "job " + jobId + " already ended: " + job.getState(), List.of());
        }
        return ResponseEntity.ok(job);
    }

    @Override
    public ResponseEntity<List<JobEvent>> listJobEvents(UUID jobId) {
        if (!jobs.existsById(jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return ResponseEntity.ok(queue.events(jobId).stream().map(mapper::event).toList());
    }

    private Job load(UUID id) {
        return jobs.findById(id).map(mapper::job).orElseThrow(() -> ApiException.notFound("job " + id));
    }
}
