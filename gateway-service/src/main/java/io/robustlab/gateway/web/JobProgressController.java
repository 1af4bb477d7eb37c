package io.robustlab.gateway.web;

import io.robustlab.api.web.StreamsApi;
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

    @GetMapping(path = StreamsApi.PATH_STREAM_JOB_PROGRESS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter streamJobProgress(@PathVariable("jobId") UUID jobId) {
        if (!jobs.existsById(jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return streams.follow(jobId);
    }
}
