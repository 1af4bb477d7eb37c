package io.robustlab.experiments;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of an experiment: a job of {@code jobType} whose spec reads other steps' outputs through
 * {@code "${step.field}"} references. Those references are its dependencies. Built by {@link StepSpec}.
 *
 * @param followField when set, the job's result names (in this field) the job whose result is the
 *                    step's output
 * @param outputClass the generated result model of the step's output
 * @param reads       the outputs its spec template refers to
 */
public record StepDefinition(String name, String title, String jobType, ObjectNode specTemplate, String followField,
                             Class<?> outputClass, List<Output<?>> reads) {

    public List<String> dependsOn() {
        return reads.stream().map(Output::step).distinct().toList();
    }
}
