package io.robustlab.gateway.web;

import io.robustlab.api.web.StreamsApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.robustlab.gateway.model.JobRecords;
import io.robustlab.service.web.ApiException;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The one endpoint not implemented through a generated interface: an SSE stream is not a
 * ResponseEntity. Its path comes from the generated constant, and a test checks it against the spec.
 */
@RestController
public class JobProgressController {

    private final JobRecords jobs;
    private final JobProgressStreams streams;

    public JobProgressController(JobRecords jobs, JobProgressStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    @Operation(operationId = "streamJobProgress", tags = "streams", summary = "Follow a job as Server-Sent Events.")
    @ApiResponse(responseCode = "200", description = "An event stream.")
    @ApiResponse(responseCode = "400", description = "The job id is not a UUID.")
    @ApiResponse(responseCode = "404", description = "No such job.")
    @GetMapping(path = StreamsApi.PATH_STREAM_JOB_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamJobProgress(@PathVariable("jobId") UUID jobId) {
        if (!jobs.existsById(jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return streams.follow(jobId);
    }
}
