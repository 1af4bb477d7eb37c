package io.robustlab.cli;

/** Paths of the operations the CLI streams; {@code StreamPathsTest} checks each against the OpenAPI file. */
final class StreamPaths {

    static final String JOB_PROGRESS = "/api/v1/jobs/{jobId}/progress";
    static final String EXPERIMENT_PROGRESS = "/api/v1/experiments/{experimentId}/progress";
    static final String ARTIFACT_CONTENT = "/api/v1/artifacts/{artifactId}/content";

    private StreamPaths() {
    }
}
