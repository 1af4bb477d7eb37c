package io.robustlab.gateway.web;

import io.robustlab.api.ApiTimes;
import io.robustlab.api.model.Artifact;
import io.robustlab.api.model.Job;
import io.robustlab.api.model.JobEvent;
import io.robustlab.api.model.JobState;
import io.robustlab.gateway.model.ArtifactRecord;
import io.robustlab.gateway.model.JobRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns stored rows into the generated API models. */
@Component
public class ApiMapper {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private final JsonMapper json;

    public ApiMapper(JsonMapper json) {
        this.json = json;
    }

    public Job job(JobRecord r) {
        Job j = new Job(r.getId(), r.getType(), object(r.getSpec()), JobState.fromValue(r.getState().name()), r.getPriority(),
                r.getAttempt(), r.getMaxAttempts(), r.getProgress(), r.isCancelRequested(),
                r.getDependsOn() == null ? List.of() : List.copyOf(r.getDependsOn()), ApiTimes.utc(r.getRunAt()), ApiTimes.utc(r.getCreatedAt()),
                ApiTimes.utc(r.getUpdatedAt()));
        j.setProgressMessage(r.getProgressMessage());
        j.setResult(r.getResult() == null ? null : object(r.getResult()));
        j.setError(r.getError());
        j.setExperimentId(r.getExperimentId());
        j.setIdempotencyKey(r.getIdempotencyKey());
        j.setDevice(r.getDevice());
        j.setLeaseOwner(r.getLeaseOwner());
        j.setStartedAt(ApiTimes.utc(r.getStartedAt()));
        j.setFinishedAt(ApiTimes.utc(r.getFinishedAt()));
        return j;
    }

    public JobEvent event(io.robustlab.jobs.JobEvent e) {
        JobEvent out = new JobEvent(JobState.fromValue(e.toState().name()), e.attempt(), ApiTimes.utc(e.at()));
        out.setFromState(e.fromState() == null ? null : JobState.fromValue(e.fromState().name()));
        out.setMessage(e.message());
        return out;
    }

    public Artifact artifact(ArtifactRecord r) {
        Artifact a = new Artifact(r.getId(), r.getKind(), r.getName(), r.getMediaType(), r.getSizeBytes(), r.getSha256(),
                object(r.getMetadata()), ApiTimes.utc(r.getCreatedAt()));
        a.setJobId(r.getJobId());
        return a;
    }

    private Map<String, Object> object(String text) {
        return text == null ? new HashMap<>() : json.readValue(text, OBJECT);
    }
}
