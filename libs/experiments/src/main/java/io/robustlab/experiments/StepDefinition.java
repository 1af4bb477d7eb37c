package io.robustlab.experiments;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of an experiment: a job of {@code jobType} whose spec may read other steps' outputs
 * through {@code "${step.field}"} references. Those references are its dependencies.
 *
 * @param followField when set, the job's result names (in this field) the job whose result is the
 *                    step's output: dataset.construct plans shard jobs and a merge job, and the
 *                    merge job writes the dataset
 */
public record StepDefinition(String name, String title, String jobType, ObjectNode specTemplate, String followField) {

    public List<String> dependsOn() {
        return List.copyOf(References.steps(specTemplate));
    }
}
