package io.robustlab.api.jobtypes;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a job spec against its type's generated model: unknown or mistyped fields fail in Jackson,
 * missing or out-of-range values fail Bean Validation. Returns the spec as canonical JSON.
 */
public final class SpecValidator {

    private final JsonMapper strict;
    private final Validator validator;

    public SpecValidator(JsonMapper json, Validator validator) {
        // Unknown fields are errors; absent values are left out, so equal specs have equal canonical JSON.
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        this.validator = validator;
    }

    public String validate(JobTypeDefinition type, Map<String, Object> spec) {
        Object parsed;
        try {
            parsed = strict.convertValue(spec == null ? Map.of() : spec, type.specClass());
        } catch (DatabindException e) {
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation(field(e), reason(e))));
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof DatabindException d ? d : e;
            String f = cause instanceof DatabindException d ? field(d) : "spec";
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation(f, cause.getMessage())));
        }
        List<InvalidSpecException.Violation> violations = validator.validate(parsed).stream()
                .sorted(Comparator.comparing((ConstraintViolation<Object> v) -> v.getPropertyPath().toString()))
                .map(v -> new InvalidSpecException.Violation("spec." + v.getPropertyPath(), v.getMessage()))
                .collect(Collectors.toList());
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return strict.writeValueAsString(parsed);
    }

    private static String field(DatabindException e) {
        String path = e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "spec" : "spec." + path;
    }

    private static String reason(JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
