package io.robustlab.gateway.web;

import io.robustlab.api.model.Problem;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.InternalApi;
import io.robustlab.service.web.ServiceCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * attack-service's internal endpoints, which hold models on a device: the image attack, model
 * import and model export. Its client errors come back to the API's caller as they were (status,
 * detail, fields); anything else is a 503 that names attack-service.
 */
@Component
public class AttackService {

    /** A streamed download: the caller closes the body. */
    public record Download(InputStream body, String contentType, String contentDisposition) {
    }

    private final RestClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String serviceToken;
    private final JsonMapper json;
    private final JsonMapper lenient;

    public AttackService(RestClient.Builder builder, JsonMapper json,
                         @Value("${robustlab.services.attack-url:http://127.0.0.1:8082}") String attackUrl,
                         @Value("${robustlab.security.service-token:}") String serviceToken) {
        this.client = builder.baseUrl(attackUrl).defaultHeader(ServiceCredential.HEADER, serviceToken).build();
        this.baseUrl = attackUrl;
        this.serviceToken = serviceToken;
        this.json = json;
        this.lenient = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public <T> T postJson(String path, Object body, Class<T> type) {
        try {
            return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(type);
        } catch (ResourceAccessException e) {
            throw unavailable(e.getMostSpecificCause().getMessage());
        } catch (RestClientResponseException e) {
            throw mapped(e.getStatusCode().value(), e.getResponseBodyAsString());
        }
    }

    /** Streams an uploaded model to attack-service's import; the artifact id it made. */
    public UUID importModel(Supplier<InputStream> file, String fileName, String manifestJson) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + InternalApi.MODELS + "?fileName="
                        + URLEncoder.encode(fileName, StandardCharsets.UTF_8)))
                .header(ServiceCredential.HEADER, serviceToken)
                .header("Content-Type", MediaType.APPLICATION_OCTET_STREAM_VALUE)
                .header(InternalApi.MANIFEST_HEADER, Base64.getUrlEncoder().encodeToString(manifestJson.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(file))
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw mapped(response.statusCode(), response.body());
        }
        return json.readValue(response.body(), InternalApi.ImportedModel.class).artifactId();
    }

    /** A model artifact exported in {@code format}, streamed from attack-service. */
    public Download exportModel(UUID artifactId, String format) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + InternalApi.export(artifactId) + "?format="
                        + URLEncoder.encode(format, StandardCharsets.UTF_8)))
                .header(ServiceCredential.HEADER, serviceToken).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream body = response.body()) {
                throw mapped(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unavailable(e.getMessage());
            }
        }
        return new Download(response.body(), response.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE),
                response.headers().firstValue("Content-Disposition").orElse(null));
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

    private static ApiException unavailable(String why) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "attack-service is unavailable: " + why, List.of());
    }

    /** attack-service's client errors as they were (413 included); its server errors as 503. */
    private ApiException mapped(int status, String body) {
        if (status < 400 || status >= 500) {
            return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "attack-service failed (" + status + ")", List.of());
        }
        Problem problem;
        try {
            // Leniently: a problem with members this API does not know still carries its detail and fields.
            problem = lenient.readValue(body, Problem.class);
        } catch (RuntimeException e) {
            problem = new Problem();
        }
        List<ApiException.FieldProblem> fields = new ArrayList<>();
        if (problem.getErrors() != null) {
            problem.getErrors().forEach(f -> fields.add(new ApiException.FieldProblem(f.getField(), f.getMessage())));
        }
        return new ApiException(HttpStatus.valueOf(status), problem.getDetail() != null ? problem.getDetail()
                : "attack-service refused the request", fields);
    }
}
