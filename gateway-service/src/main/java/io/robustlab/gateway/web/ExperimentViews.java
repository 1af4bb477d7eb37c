package io.robustlab.gateway.web;

import io.robustlab.api.ApiTimes;
import io.robustlab.api.model.Experiment;
import io.robustlab.api.model.ExperimentState;
import io.robustlab.api.model.ExperimentStep;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentRecord;
import io.robustlab.experiments.StepRecord;
import io.robustlab.experiments.StepViews;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** An experiment as the API shows it: its record, every step with its job's progress, and the mean progress. */
@Component
public class ExperimentViews {

    private final ExperimentEngine engine;
    private final JsonMapper json;

    public ExperimentViews(ExperimentEngine engine, JsonMapper json) {
        this.engine = engine;
        this.json = json;
    }

    @SuppressWarnings("unchecked")
    public Experiment view(ExperimentRecord e) {
        List<StepRecord> steps = engine.steps(e.id());
        List<ExperimentStep> views = steps.stream().map(s -> StepViews.toApi(s, engine.progress(s), json)).toList();
        double progress = views.stream().mapToDouble(v -> v.getProgress() == null ? 0 : v.getProgress()).average().orElse(0);
        Experiment out = new Experiment(e.id(), e.template(), e.preset(), ExperimentState.fromValue(e.state().name()),
                json.convertValue(e.parameters(), Map.class), e.useCache(), e.round(), progress, views, ApiTimes.utc(e.createdAt()),
                ApiTimes.utc(e.updatedAt()));
        out.setName(e.name());
        out.setError(e.error());
        out.setFinishedAt(ApiTimes.utc(e.finishedAt()));
        return out;
    }
}
