package io.robustlab.gateway.web;

import io.robustlab.api.model.Job;
import io.robustlab.gateway.model.JobRecord;
import io.robustlab.gateway.model.JobRecords;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** {@code job} events: the Job, sent whenever its row changes (state, progress, attempt). */
@Component
public class JobProgressStreams extends SnapshotStreams<Job> {

    private final JobRecords jobs;
    private final ApiMapper mapper;

    public JobProgressStreams(JobRecords jobs, ApiMapper mapper) {
        super("job", Duration.ofMillis(250));
        this.jobs = jobs;
        this.mapper = mapper;
    }

    @Override
    protected Map<UUID, Job> load(Collection<UUID> ids) {
        Map<UUID, Job> out = new LinkedHashMap<>();
        for (JobRecord r : jobs.findAllById(ids)) {
            out.put(r.getId(), mapper.job(r));
        }
        return out;
    }

    @Override
    protected Object fingerprint(Job job) {
        return job.getUpdatedAt();
    }

    @Override
    protected boolean isTerminal(Job job) {
        return switch (job.getState()) {
            case SUCCEEDED, FAILED, CANCELLED -> true;
            default -> false;
        };
    }
}
