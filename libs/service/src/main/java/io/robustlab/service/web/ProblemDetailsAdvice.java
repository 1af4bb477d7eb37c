package io.robustlab.service.web;

import io.robustlab.api.jobtypes.InvalidSpecException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error as RFC 9457 problem+json. Client errors carry {@code errors: [{field, message}]} so a
 * user sees which field to fix; unexpected failures are logged and answered without internals.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final JsonMapper FILTER_JSON = JsonMapper.builder().build();

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        return problem(e.status(), e.getMessage(), e.fields());
    }

    @ExceptionHandler(InvalidSpecException.class)
    ResponseEntity<Object> invalidSpec(InvalidSpecException e) {
        List<ApiException.FieldProblem> fields = e.violations().stream()
                .map(v -> new ApiException.FieldProblem(v.field(), v.message())).toList();
        return problem(HttpStatus.BAD_REQUEST, "the spec does not match its job type's schema", fields);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        return problem(HttpStatus.BAD_REQUEST, "parameter '" + e.getName() + "' is not a valid " + expected,
                List.of(new ApiException.FieldProblem(e.getName(), "must be a valid " + expected)));
    }

    /** Constraints on parameters of the generated (@Validated) interfaces, checked by Spring's method validation proxy. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException e) {
        List<ApiException.FieldProblem> fields = e.getConstraintViolations().stream()
                .map(v -> new ApiException.FieldProblem(lastNode(v.getPropertyPath()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(ApiException.FieldProblem::field))
                .toList();
        return problem(HttpStatus.BAD_REQUEST, "request parameters failed validation", fields);
    }

    private static String lastNode(Path path) {
        String name = null;
        for (Path.Node node : path) {
            name = node.getName();
        }
        return name == null ? path.toString() : name;
    }

    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<Object> badMultipart(org.springframework.web.multipart.MultipartException e) {
        ResponseEntity<Object> overLimit = tooLargeIn(e);
        if (overLimit != null) {
            return overLimit;
        }
        String why = "not a readable multipart/form-data body: " + firstLine(e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.BAD_REQUEST, why, List.of(new ApiException.FieldProblem("body", why)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        // A body read by a controller (or a multipart parser) that passed the size limit.
        ResponseEntity<Object> overLimit = tooLargeIn(e);
        if (overLimit != null) {
            return overLimit;
        }
        // SQL state class 22, "data exception": PostgreSQL can't store a value the client sent, such as a NUL
        // character in a string (text and jsonb refuse it) that passed every schema check. The client's to fix.
        java.sql.SQLException sql = causeOf(e, java.sql.SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            String why = "a value in the request cannot be stored: " + firstLine(sql.getMessage()).replaceFirst("^ERROR: ", "");
            return problem(HttpStatus.BAD_REQUEST, why, List.of(new ApiException.FieldProblem("body", why)));
        }
        log.error("unhandled error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "an internal error occurred; it has been logged", List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiException.FieldProblem> fields = new ArrayList<>();
        for (FieldError f : e.getBindingResult().getFieldErrors()) {
            fields.add(new ApiException.FieldProblem(f.getField(), f.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(g -> fields.add(new ApiException.FieldProblem(g.getObjectName(), g.getDefaultMessage())));
        return problem(HttpStatus.BAD_REQUEST, "request body failed validation", fields);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<ApiException.FieldProblem> fields = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new ApiException.FieldProblem(
                        r.getMethodParameter().getParameterName(), message(err))))
                .toList();
        return problem(HttpStatus.BAD_REQUEST, "request parameters failed validation", fields);
    }

    /** A multipart body over its path's limit (BodySizeLimit's, which it names) or over the container's ceiling. */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> overLimit = tooLargeIn(e);
        if (overLimit != null) {
            return overLimit;
        }
        return e.getMaxUploadSize() > 0 ? tooLarge(e.getMaxUploadSize())
                : problem(HttpStatus.CONTENT_TOO_LARGE, "the request body is too large", List.of(new ApiException.FieldProblem("body", "is too large")));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> overLimit = tooLargeIn(e);
        if (overLimit != null) {
            return overLimit;
        }
        Throwable cause = e.getMostSpecificCause();
        // A generated enum's factory throws IllegalArgumentException inside Jackson's exception,
        // which carries the field's path: look for it along the chain.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException j && !j.getPath().isEmpty()) {
                cause = j;
                break;
            }
        }
        if (cause instanceof JacksonException j && !j.getPath().isEmpty()) {
            String field = j.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return problem(HttpStatus.BAD_REQUEST, "field '" + field + "' has a value of the wrong type or form",
                    List.of(new ApiException.FieldProblem(field, firstLine(j.getOriginalMessage()))));
        }
        String why = cause instanceof JacksonException j ? firstLine(j.getOriginalMessage()) : "the body is missing or is not JSON";
        return problem(HttpStatus.BAD_REQUEST, "malformed JSON: " + why, List.of(new ApiException.FieldProblem("body", why)));
    }

    /** The first exception of the given type along the cause chain, or null. */
    static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The 413 for a body over its path's limit ({@link BodySizeLimit}), if that is among e's causes; otherwise null. */
    private static ResponseEntity<Object> tooLargeIn(Throwable e) {
        BodySizeLimit.TooLargeException tooLarge = causeOf(e, BodySizeLimit.TooLargeException.class);
        return tooLarge == null ? null : tooLarge(tooLarge.limit());
    }

    private static ResponseEntity<Object> tooLarge(long limit) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, tooLargeMessage(limit), List.of(new ApiException.FieldProblem("body", tooLargeMessage(limit))));
    }

    private static String tooLargeMessage(long limit) {
        return "the request body is larger than the limit of " + limit + " bytes";
    }

    /** The same 413 problem, written by {@link BodySizeLimit} before any handler runs. */
    static void writeTooLarge(HttpServletResponse response, long limit) throws IOException {
        write(response, HttpStatus.CONTENT_TOO_LARGE, tooLargeMessage(limit), "body");
    }

    /** A problem with one field at fault, written by a servlet filter (no handler, hence no advice, is involved yet). */
    public static void write(HttpServletResponse response, HttpStatus status, String detail, String field) throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("errors", List.of(Map.of("field", field, "message", detail)));
        response.setStatus(status.value());
        response.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(FILTER_JSON.writeValueAsString(body));
    }

    private static String message(MessageSourceResolvable err) {
        return err.getDefaultMessage() == null ? "is invalid" : err.getDefaultMessage();
    }

    /** Jackson's first line, without the parser-location suffix that only says the source was redacted. */
    private static String firstLine(String s) {
        String line = s == null ? "unreadable" : s.lines().findFirst().orElse(s);
        return line.replaceFirst("\\s*\\((start marker )?at \\[Source: .*$", "");
    }

    private static ResponseEntity<Object> problem(HttpStatusCode status, String detail, List<ApiException.FieldProblem> fields) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (!fields.isEmpty()) {
            body.setProperty("errors", fields.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
        }
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        // Spring's own 4xx (wrong method, unsupported media type, missing parameter): keep its detail, as problem+json.
        ResponseEntity<Object> base = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (base != null && base.getBody() instanceof ProblemDetail pd) {
            return ResponseEntity.status(statusCode).headers(base.getHeaders())
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(pd);
        }
        return base;
    }
}
