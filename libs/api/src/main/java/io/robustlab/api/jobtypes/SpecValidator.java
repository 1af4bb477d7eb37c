package io.robustlab.api.jobtypes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.Nulls;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a job spec (or an experiment's parameters) against its generated model: unknown or mistyped
 * fields fail in Jackson, missing or out-of-range values fail Bean Validation. Returns canonical JSON.
 */
public final class SpecValidator {

    private final JsonMapper strict;
    private final Validator validator;

    public SpecValidator(JsonMapper json, Validator validator) {
        // Unknown fields are errors, and so is a null inside a list (no list of the API holds one); absent values are
        // left out, so equal specs have equal canonical JSON.
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultNullHandling(n -> n.withContentNulls(Nulls.FAIL))
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        this.validator = validator;
    }

    public String validate(JobTypeDefinition type, Map<String, Object> spec) {
        return strict.writeValueAsString(parse(type.specClass(), spec, "spec"));
    }

    /** Parses and validates {@code value} as {@code model}; violations name fields below {@code root}. */
    public <T> T parse(Class<T> model, Map<String, Object> value, String root) {
        T parsed;
        try {
            parsed = strict.convertValue(value == null ? Map.of() : value, model);
        } catch (JacksonException e) {
            // Mistyped values, and numbers out of range of their field (a stream-level error, with its path all the same).
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation(field(root, e), reason(e))));
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof JacksonException j ? j : e;
            String f = cause instanceof JacksonException j ? field(root, j) : root;
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation(f, cause.getMessage())));
        }
        List<InvalidSpecException.Violation> violations = validator.validate(parsed).stream()
                .sorted(Comparator.comparing((ConstraintViolation<T> v) -> v.getPropertyPath().toString()))
                .map(v -> new InvalidSpecException.Violation(root + "." + v.getPropertyPath(), v.getMessage()))
                .collect(Collectors.toList());
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return parsed;
    }

    /** Canonical JSON of a parsed model: absent values left out. */
    public String canonical(Object parsed) {
        return strict.writeValueAsString(parsed);
    }

    /** A spec with {"device": "gpu"} may only run on a GPU worker slot. */
    public boolean requiresGpu(String canonicalSpec) {
        return "gpu".equals(strict.readTree(canonicalSpec).path("device").asString(""));
    }

    private static String field(String root, JacksonException e) {
        String path = e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? root : root + "." + path;
    }

    private static String reason(JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
