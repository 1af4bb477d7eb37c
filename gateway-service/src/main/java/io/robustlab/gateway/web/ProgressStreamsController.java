package io.robustlab.gateway.web;

import io.robustlab.api.web.StreamsApi;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.gateway.model.JobRecords;
import io.robustlab.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The endpoints not implemented through a generated interface: an SSE stream is not a
 * ResponseEntity. Their paths come from the generated constants, and OpenApiContractTest checks
 * them against the spec.
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

    @Operation(operationId = "streamJobProgress", tags = "streams", summary = "Follow a job as Server-Sent Events.")
    @ApiResponse(responseCode = "200", description = "An event stream.")
    @ApiResponse(responseCode = "400", description = "The job id is not a UUID.")
    @ApiResponse(responseCode = "404", description = "No such job.")
    @ApiResponse(responseCode = "401", description = "No API token, or an unknown or revoked one.")
    @ApiResponse(responseCode = "403", description = "The token\'s role does not allow this call.")
    @GetMapping(path = StreamsApi.PATH_STREAM_JOB_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamJobProgress(@PathVariable("jobId") UUID jobId) {
        if (!jobs.existsById(jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return jobStreams.follow(jobId);
    }

    @Operation(operationId = "streamExperimentProgress", tags = "streams", summary = "Follow an experiment as Server-Sent Events.")
    @ApiResponse(responseCode = "200", description = "An event stream.")
    @ApiResponse(responseCode = "400", description = "The experiment id is not a UUID.")
    @ApiResponse(responseCode = "404", description = "No such experiment.")
    @ApiResponse(responseCode = "401", description = "No API token, or an unknown or revoked one.")
    @ApiResponse(responseCode = "403", description = "The token\'s role does not allow this call.")
    @GetMapping(path = StreamsApi.PATH_STREAM_EXPERIMENT_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamExperimentProgress(@PathVariable("experimentId") UUID experimentId) {
        if (experiments.find(experimentId).isEmpty()) {
            throw ApiException.notFound("experiment " + experimentId);
        }
        return experimentStreams.follow(experimentId);
    }
}
