package io.robustlab.gateway.web;

import io.robustlab.api.model.ImageAttackRequest;
import io.robustlab.api.model.ImageAttackResponse;
import io.robustlab.api.web.AttacksApi;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.ApiException;
import io.robustlab.service.web.ServiceCredential;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forwards the synchronous image attack to attack-service, which holds the model on its device.
 * The request is validated here first; attack-service's client errors come back as they were.
 */
@RestController
public class AttacksController implements AttacksApi {

    private final RestClient attackService;
    private final JsonMapper json;
    private final AuditLog audit;

    public AttacksController(RestClient.Builder builder, JsonMapper json, AuditLog audit,
                             @Value("${robustlab.services.attack-url:http://127.0.0.1:8082}") String attackUrl,
                             @Value("${robustlab.security.service-token:}") String serviceToken) {
        this.attackService = builder.baseUrl(attackUrl).defaultHeader(ServiceCredential.HEADER, serviceToken).build();
        this.json = json;
        this.audit = audit;
    }

    @Override
    public ResponseEntity<ImageAttackResponse> attackImages(ImageAttackRequest request) {
        audit.record("attack.images", null, request.getImages().size() + " images");
        try {
            return ResponseEntity.ok(attackService.post().uri("/internal/v1/attacks").contentType(MediaType.APPLICATION_JSON)
                    .body(request).retrieve().body(ImageAttackResponse.class));
        } catch (ResourceAccessException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "attack-service is unavailable: " + e.getMostSpecificCause().getMessage(),
                    List.of());
        } catch (RestClientResponseException e) {
            if (!e.getStatusCode().is4xxClientError()) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "attack-service failed (" + e.getStatusCode().value() + ")", List.of());
            }
            JsonNode problem = json.readTree(e.getResponseBodyAsString());
            List<ApiException.FieldProblem> fields = new ArrayList<>();
            problem.path("errors").forEach(f -> fields.add(new ApiException.FieldProblem(f.path("field").asString(), f.path("message").asString())));
            throw new ApiException(HttpStatus.valueOf(e.getStatusCode().value()), problem.path("detail").asString("attack-service refused the request"),
                    fields);
        }
    }
}
