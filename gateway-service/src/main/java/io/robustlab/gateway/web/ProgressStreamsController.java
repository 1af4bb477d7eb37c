package io.robustlab.gateway.web;

import io.robustlab.api.web.StreamsApi;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.gateway.model.JobRecords;
import io.robustlab.service.web.ApiException;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The endpoints not implemented through a generated interface: an SSE stream is not a
 * ResponseEntity. Their paths come from the generated constants, their documentation from openapi.yaml
 * (AuthoredOperations), and OpenApiContractTest checks them against it.
 */
@RestController
public class ProgressStreamsController {

    private final JobRecords jobs;
    private final JobProgressStreams jobStreams;
    private final ExperimentEngine experiments;
    private final ExperimentProgressStreams experimentStreams;

    public ProgressStreamsController(JobRecords jobs, JobProgressStreams jobStreams, ExperimentEngine experiments,
                                     ExperimentProgressStreams experimentStreams) {
        this.jobs = jobs;
        this.jobStreams = jobStreams;
        this.experiments = experiments;
        this.experimentStreams = experimentStreams;
    }

    @GetMapping(path = StreamsApi.PATH_STREAM_JOB_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamJobProgress(@PathVariable("jobId") UUID jobId) {
        if (!jobs.existsById(jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return jobStreams.follow(jobId);
    }

    @GetMapping(path = StreamsApi.PATH_STREAM_EXPERIMENT_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamExperimentProgress(@PathVariable("experimentId") UUID experimentId) {
        if (experiments.find(experimentId).isEmpty()) {
            throw ApiException.notFound("experiment " + experimentId);
        }
        return experimentStreams.follow(experimentId);
    }
}
