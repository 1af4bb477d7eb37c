package io.robustlab.service.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** An error a handler reports to the client as problem+json, optionally naming the fields at fault. */
public class ApiException extends RuntimeException {

    public record FieldProblem(String field, String message) {
    }

    private final HttpStatus status;
    private final List<FieldProblem> fields;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> fields) {
        super(detail);
        this.status = status;
        this.fields = List.copyOf(fields);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " does not exist", List.of());
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> fields() {
        return fields;
    }
}
