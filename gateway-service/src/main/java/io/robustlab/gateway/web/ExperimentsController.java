package io.robustlab.gateway.web;

import io.robustlab.api.model.Experiment;
import io.robustlab.api.model.ExperimentPage;
import io.robustlab.api.model.ExperimentRequest;
import io.robustlab.api.model.ExperimentState;
import io.robustlab.api.model.ExperimentTemplate;
import io.robustlab.api.web.ExperimentsApi;
import io.robustlab.experiments.ExperimentEngine;
import io.robustlab.experiments.ExperimentRecord;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.ApiException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
public class ExperimentsController implements ExperimentsApi {

    private final ExperimentEngine engine;
    private final ExperimentViews views;
    private final JsonMapper json;
    private final AuditLog audit;

    public ExperimentsController(ExperimentEngine engine, ExperimentViews views, JsonMapper json, AuditLog audit) {
        this.engine = engine;
        this.views = views;
        this.json = json;
        this.audit = audit;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ResponseEntity<List<ExperimentTemplate>> listExperimentTemplates() {
        return ResponseEntity.ok(engine.templates().stream().map(t -> {
            Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
            t.presets().forEach((name, p) -> presets.put(name, json.convertValue(p, Map.class)));
            return new ExperimentTemplate(t.name(), t.description(), t.parametersClass().getSimpleName(), presets);
        }).toList());
    }

    @Override
    public ResponseEntity<Experiment> createExperiment(ExperimentRequest r) {
        // An explicit JSON null means "absent": the spec's default preset.
        String preset = r.getPreset() == null ? ExperimentRequest.PresetEnum.CPU.getValue() : r.getPreset().getValue();
        UUID id = engine.create(r.getTemplate().getValue(), preset, r.getParameters(),
                Objects.requireNonNullElse(r.getUseCache(), true), r.getName(),
                (c, created) -> audit.record(c, "experiment.create", created, r.getTemplate().getValue() + " preset " + preset));
        return ResponseEntity.created(URI.create("/api/v1/experiments/" + id)).body(view(load(id)));
    }

    @Override
    public ResponseEntity<ExperimentPage> listExperiments(ExperimentState state, Integer page, Integer size) {
        io.robustlab.experiments.ExperimentState s = state == null ? null : io.robustlab.experiments.ExperimentState.valueOf(state.getValue());
        long total = engine.count(s);
        List<Experiment> items = engine.list(s, page, size).stream().map(this::view).toList();
        return ResponseEntity.ok(new ExperimentPage(items, page, size, total, (int) ((total + size - 1) / size)));
    }

    @Override
    public ResponseEntity<Experiment> getExperiment(UUID experimentId) {
        return ResponseEntity.ok(view(load(experimentId)));
    }

    @Override
    public ResponseEntity<Experiment> cancelExperiment(UUID experimentId) {
        return answer(experimentId, engine.cancel(experimentId, audited("experiment.cancel")), "already ended");
    }

    @Override
    public ResponseEntity<Experiment> retryExperiment(UUID experimentId) {
        return answer(experimentId, engine.retry(experimentId, audited("experiment.retry")),
                "is running or succeeded: only FAILED or CANCELLED experiments are retried");
    }

    /** The audit row of an experiment's change, written in the change's transaction. */
    private ExperimentEngine.CallerWork audited(String action) {
        return (c, id) -> audit.record(c, action, id, null);
    }

    private ResponseEntity<Experiment> answer(UUID id, ExperimentEngine.Outcome outcome, String conflict) {
        return switch (outcome) {
            case NOT_FOUND -> throw ApiException.notFound("experiment " + id);
            case CONFLICT -> throw new ApiException(HttpStatus.CONFLICT, "experiment " + id + " " + conflict + " ("
                    + load(id).state() + ")", List.of());
            case DONE -> ResponseEntity.ok(view(load(id)));
        };
    }

    private ExperimentRecord load(UUID id) {
        return engine.find(id).orElseThrow(() -> ApiException.notFound("experiment " + id));
    }

    private Experiment view(ExperimentRecord e) {
        return views.view(e);
    }
}
