package io.robustlab.experiments;

import io.robustlab.api.model.ExperimentReport;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** A kind of experiment: its parameters, presets, the steps they expand into, and its report. */
public interface ExperimentTemplate {

    String name();

    String description();

    /** The generated model the parameters must parse into (unknown fields are errors). */
    Class<?> parametersClass();

    /** How many attempts each step's job gets, as the resolved parameters set it. */
    int maxAttempts(ObjectNode parameters, int otherwise);

    /** Every preset's complete parameters, by preset name. */
    Map<String, ObjectNode> presets();

    /**
     * The steps for resolved parameters, in a valid run order. Throws {@link
     * io.robustlab.api.jobtypes.InvalidSpecException} for parameters the schema admits but the
     * template cannot use (a required one removed, an eps not in the list).
     */
    List<StepDefinition> steps(ObjectNode parameters);

    /** The report from the experiment's state, complete or not. */
    ExperimentReport report(ExperimentRecord experiment, List<StepRecord> steps);
}
