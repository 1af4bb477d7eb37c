package io.robustlab.gateway.web;

import io.robustlab.api.LenientJson;
import io.robustlab.api.model.Problem;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.ServiceCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another service's internal endpoints, called with the service credential. Its client errors come
 * back to the API's caller as they were (status, detail, fields; a 413 included); anything else,
 * an unreachable service included, is a 503 that names the service.
 */
final class InternalService {

    private final String name;
    private final String baseUrl;
    private final String serviceToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Reads problems leniently: one with members this API does not know still carries its detail and fields. */
    private final JsonMapper lenient;

    InternalService(String name, String baseUrl, String serviceToken, JsonMapper json) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.serviceToken = serviceToken;
        this.lenient = LenientJson.of(json);
    }

    /** A request to {@code pathAndQuery} carrying the service credential. */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).header(ServiceCredential.HEADER, serviceToken);
    }

    /** The response's body when it succeeded; its problem, mapped, when it did not. */
    String sendForText(HttpRequest request) {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw failed(response.statusCode(), response.body());
        }
        return response.body();
    }

    /** A streamed response that succeeded (the caller closes its body); its problem, mapped, when it did not. */
    HttpResponse<InputStream> sendForStream(HttpRequest request) {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream body = response.body()) {
                throw failed(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unavailable(e.getMessage());
            }
        }
        return response;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unavailable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    ApiException unavailable(String why) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, name + " is unavailable: " + why, List.of());
    }

    /** The service's client errors as they were; its server errors as 503. */
    ApiException failed(int status, String body) {
        if (status < 400 || status >= 500) {
            return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, name + " failed (" + status + ")", List.of());
        }
        Problem problem;
        try {
            problem = lenient.readValue(body, Problem.class);
        } catch (RuntimeException e) {
            problem = new Problem();
        }
        List<ApiException.FieldProblem> fields = new ArrayList<>();
        if (problem.getErrors() != null) {
            problem.getErrors().forEach(f -> fields.add(new ApiException.FieldProblem(f.getField(), f.getMessage())));
        }
        return new ApiException(HttpStatus.valueOf(status), problem.getDetail() != null ? problem.getDetail()
                : name + " refused the request", fields);
    }
}
