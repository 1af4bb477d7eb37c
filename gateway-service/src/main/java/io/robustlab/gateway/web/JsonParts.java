package io.robustlab.gateway.web;

import io.robustlab.service.web.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** A multipart upload's JSON part (a manifest), read as its schema's model and validated, or a 400 naming the member at fault. */
@Component
public class JsonParts {

    /** Class names and all: far more than any real manifest needs. */
    static final long MAX_BYTES = 1 << 20;

    private final JsonMapper json;
    private final Validator validator;

    public JsonParts(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T read(MultipartFile part, String field, Class<T> type) {
        T value;
        try {
            value = json.readValue(text(part, field), type);
        } catch (JacksonException e) {
            String path = e.getPath().isEmpty() ? "" : "." + e.getPath().get(e.getPath().size() - 1).getPropertyName();
            throw ApiException.badField(field + (path.equals(".null") ? "" : path), "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
        if (value == null) {
            throw ApiException.badField(field, "a " + type.getSimpleName() + " object is required");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            List<ApiException.FieldProblem> fields = violations.stream()
                    .map(v -> new ApiException.FieldProblem(field + "." + v.getPropertyPath(), v.getMessage()))
                    .sorted(Comparator.comparing(ApiException.FieldProblem::field)).toList();
            throw new ApiException(HttpStatus.BAD_REQUEST, "the " + field + " fails validation: "
                    + fields.stream().map(f -> f.field() + " " + f.message()).reduce((a, b) -> a + "; " + b).orElse(""), fields);
        }
        return value;
    }

    private static String text(MultipartFile part, String field) {
        if (part.getSize() > MAX_BYTES) {
            throw ApiException.badField(field, "a " + field + " is at most " + MAX_BYTES + " bytes");
        }
        try {
            return new String(part.getBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
