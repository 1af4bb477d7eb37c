package io.robustlab.experiments;

import io.robustlab.api.jobtypes.Property;

/**
 * A value of a step's output, named through the getters of the result model it comes from. In a
 * spec template it is the reference {@code ${step.a.b}}, replaced by the value when the step starts.
 *
 * @param resultClass the model the path starts from; when a template is built the engine checks that
 *                    it is what the named step outputs
 * @param <V>         the value's type, so that a spec field takes only an output of its own type
 */
public record Output<V>(String step, String path, Class<?> resultClass) {

    public static <R, V> Output<V> of(String step, Property<R, V> field) {
        return new Output<>(step, field.jsonName(), field.owner());
    }

    public static <R, A, V> Output<V> of(String step, Property<R, A> first, Property<A, V> field) {
        return new Output<>(step, Property.path(first, field), first.owner());
    }

    /** As a spec template holds it. */
    public String reference() {
        return References.to(step, path);
    }
}
