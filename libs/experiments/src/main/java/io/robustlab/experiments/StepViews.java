package io.robustlab.experiments;

import io.robustlab.api.ApiTimes;
import io.robustlab.api.model.ExperimentStep;
import io.robustlab.api.model.ExperimentStepState;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A step as the API shows it. */
public final class StepViews {

    private StepViews() {
    }

    public static ExperimentStep toApi(StepRecord s, ExperimentEngine.StepProgress progress, JsonMapper json) {
        ExperimentStep out = new ExperimentStep(s.name(), s.title(), s.jobType(), ExperimentStepState.fromValue(s.state().name()),
                s.dependsOn(), s.cacheHit());
        out.setJobId(s.jobId());
        out.setProgress(progress.fraction());
        out.setProgressMessage(progress.message());
        out.setSpec(map(s.spec(), json));
        out.setOutputs(map(s.outputs(), json));
        out.setError(s.error());
        out.setStartedAt(ApiTimes.utc(s.startedAt()));
        out.setFinishedAt(ApiTimes.utc(s.finishedAt()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node, JsonMapper json) {
        return node == null ? null : json.convertValue(node, Map.class);
    }
}
