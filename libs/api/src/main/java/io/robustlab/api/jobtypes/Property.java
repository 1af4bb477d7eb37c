package io.robustlab.api.jobtypes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A getter of a generated model, written as a method reference ({@code TrainClassifierResult::getModelArtifactId}).
 * Code outside the generated models names a JSON field through one of these, never as a string: renaming
 * the field in openapi.yaml renames its getter, and every place that names it stops compiling.
 *
 * <p>The JSON name is read from the getter's {@code @JsonProperty}, found through the method
 * reference's serialised form (the one standard way to learn which method a lambda calls).
 */
@FunctionalInterface
public interface Property<T, V> extends Function<T, V>, Serializable {

    /** The JSON name of the field this getter reads. */
    default String jsonName() {
        return Names.of(this).getAnnotation(JsonProperty.class).value();
    }

    /** The generated model this getter belongs to. */
    default Class<?> owner() {
        return Names.of(this).getDeclaringClass();
    }

    /** The dotted JSON path of a chain of getters, each reading from the previous one's value. */
    static String path(Property<?, ?>... chain) {
        return Arrays.stream(chain).map(Property::jsonName).collect(Collectors.joining("."));
    }

    /** Resolves method references to the getters they call, once per lambda class. */
    final class Names {

        private static final Map<Class<?>, Method> GETTERS = new ConcurrentHashMap<>();

        private Names() {
        }

        static Method of(Property<?, ?> property) {
            return GETTERS.computeIfAbsent(property.getClass(), k -> resolve(property));
        }

        private static Method resolve(Property<?, ?> property) {
            try {
                Method writeReplace = property.getClass().getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(property);
                Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, property.getClass().getClassLoader());
                Method getter = owner.getMethod(lambda.getImplMethodName());
                if (getter.getAnnotation(JsonProperty.class) == null) {
                    throw new IllegalArgumentException(owner.getSimpleName() + "::" + getter.getName()
                            + " is not a getter of a generated model (no @JsonProperty)");
                }
                return getter;
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalArgumentException("a Property must be a method reference to a model's getter", e);
            }
        }
    }
}
