package io.robustlab.mlservice;

import io.robustlab.jobs.artifact.Artifacts;
import tools.jackson.databind.json.JsonMapper;

/** What every model-running handler is given: one bean, so adding a tool does not touch every handler's constructor. */
public record MlJobTools(ModelArtifacts models, DatasetArtifacts datasets, Artifacts artifacts, WorkMetrics work, JsonMapper json) {
}
