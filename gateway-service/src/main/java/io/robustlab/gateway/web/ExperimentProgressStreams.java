package io.robustlab.gateway.web;

import io.robustlab.api.model.Experiment;
import io.robustlab.api.model.ExperimentStep;
import io.robustlab.experiments.ExperimentEngine;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code experiment} events: the Experiment with its steps, sent when its state or any step's
 * state, progress or message changed. Once a second: experiments run for minutes to days.
 */
@Component
public class ExperimentProgressStreams extends SnapshotStreams<Experiment> {

    private final ExperimentEngine engine;
    private final ExperimentViews views;

    public ExperimentProgressStreams(ExperimentEngine engine, ExperimentViews views) {
        super("experiment", Duration.ofSeconds(1));
        this.engine = engine;
        this.views = views;
    }

    @Override
    protected Map<UUID, Experiment> load(Collection<UUID> ids) {
        Map<UUID, Experiment> out = new LinkedHashMap<>();
        for (UUID id : ids) {
            engine.find(id).ifPresent(e -> out.put(id, views.view(e)));
        }
        return out;
    }

    @Override
    protected Object fingerprint(Experiment e) {
        List<Object> parts = new java.util.ArrayList<>(List.of(e.getState(), e.getRound()));
        for (ExperimentStep s : e.getSteps()) {
            parts.add(List.of(s.getState(), String.valueOf(s.getProgress()), String.valueOf(s.getProgressMessage())));
        }
        return parts;
    }

    @Override
    protected boolean isTerminal(Experiment e) {
        return switch (e.getState()) {
            case SUCCEEDED, FAILED, CANCELLED -> true;
            default -> false;
        };
    }
}
