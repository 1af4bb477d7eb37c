package io.robustlab.experiments;

import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.jobtypes.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a step from its job type's generated spec model, some of whose fields take earlier steps'
 * outputs. Fields are named only through getters, so a template cannot name a field that is not in
 * the spec, nor feed a field a value of another type.
 *
 * @param <S> the job type's spec model
 */
public final class StepSpec<S> {

    private final Class<?> specClass;
    private final ObjectNode template;
    private final List<Output<?>> reads = new ArrayList<>();

    private StepSpec(Class<?> specClass, ObjectNode template) {
        this.specClass = specClass;
        this.template = template;
    }

    /** {@code json} must leave nulls out: an unset optional field is absent from the template. */
    public static <S> StepSpec<S> of(S spec, JsonMapper json) {
        return new StepSpec<>(spec.getClass(), json.valueToTree(spec));
    }

    /** Field {@code field} takes an earlier step's output. */
    public <V> StepSpec<S> take(Property<S, V> field, Output<V> output) {
        template.put(field.jsonName(), output.reference());
        reads.add(output);
        return this;
    }

    /** List field {@code field} takes earlier steps' outputs, in order. */
    public <V> StepSpec<S> takeAll(Property<S, List<V>> field, List<Output<V>> outputs) {
        ArrayNode list = template.putArray(field.jsonName());
        outputs.forEach(o -> list.add(o.reference()));
        reads.addAll(outputs);
        return this;
    }

    /** A step whose output is its job's result. */
    public StepDefinition step(String name, String title, JobTypeDefinition type) {
        checkType(type);
        return new StepDefinition(name, title, type.name(), template, null, type.resultClass(), List.copyOf(reads));
    }

    /**
     * A step whose output is the result of another job, named by {@code follow} in its own job's
     * result (dataset.construct plans shard jobs and a merge job, and the merge job writes the dataset).
     */
    public <R> StepDefinition followed(String name, String title, JobTypeDefinition type, Property<R, UUID> follow,
                                       JobTypeDefinition followed) {
        checkType(type);
        if (follow.owner() != type.resultClass()) {
            throw new IllegalArgumentException(type.name() + " results are " + type.resultClass().getSimpleName() + ", not "
                    + follow.owner().getSimpleName());
        }
        return new StepDefinition(name, title, type.name(), template, follow.jsonName(), followed.resultClass(), List.copyOf(reads));
    }

    private void checkType(JobTypeDefinition type) {
        if (type.specClass() != specClass) {
            throw new IllegalArgumentException(type.name() + " specs are " + type.specClass().getSimpleName() + ", not "
                    + specClass.getSimpleName());
        }
    }
}
