package io.robustlab.gateway.web;

import io.robustlab.service.web.InternalApi;
import io.robustlab.service.web.ServiceCredential;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/** attack-service's internal endpoints, which hold models on a device: the image attack, model import and model export. */
@Component
public class AttackService {

    /** A streamed download: the caller closes the body. */
    public record Download(InputStream body, String contentType, String contentDisposition) {
    }

    private final RestClient client;
    private final InternalService service;
    private final JsonMapper json;

    public AttackService(RestClient.Builder builder, JsonMapper json,
                         @Value("${robustlab.services.attack-url:http://127.0.0.1:8082}") String attackUrl,
                         @Value("${robustlab.security.service-token:}") String serviceToken) {
        this.client = builder.baseUrl(attackUrl).defaultHeader(ServiceCredential.HEADER, serviceToken).build();
        this.service = new InternalService("attack-service", attackUrl, serviceToken, json);
        this.json = json;
    }

    public <T> T postJson(String path, Object body, Class<T> type) {
        try {
            return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(type);
        } catch (ResourceAccessException e) {
            throw service.unavailable(e.getMostSpecificCause().getMessage());
        } catch (RestClientResponseException e) {
            throw service.failed(e.getStatusCode().value(), e.getResponseBodyAsString());
        }
    }

    /** Streams an uploaded model to attack-service's import; the artifact id it made. */
    public UUID importModel(Supplier<InputStream> file, String fileName, String manifestJson) {
        HttpRequest request = service.request(InternalApi.MODELS + "?fileName=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8))
                .header("Content-Type", MediaType.APPLICATION_OCTET_STREAM_VALUE)
                .header(InternalApi.MANIFEST_HEADER, Base64.getUrlEncoder().encodeToString(manifestJson.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(file))
                .build();
        return json.readValue(service.sendForText(request), InternalApi.ImportedModel.class).artifactId();
    }

    /** A model artifact exported in {@code format}, streamed from attack-service. */
    public Download exportModel(UUID artifactId, String format) {
        HttpRequest request = service.request(InternalApi.export(artifactId) + "?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8))
                .GET().build();
        HttpResponse<InputStream> response = service.sendForStream(request);
        return new Download(response.body(), response.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE),
                response.headers().firstValue("Content-Disposition").orElse(null));
    }
}
