package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The served API and the authored openapi.yaml must not drift: every operation, with its id,
 * parameters and response codes, appears in both. Most of it is generated from the file; this
 * catches the rest (the SSE controller, configuration that changes what springdoc serves).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE})
class OpenApiContractTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;

    @Test
    void theServedApiDocsDescribeExactlyTheAuthoredOperations() {
        Http http = new Http(port);
        Http.Reply authored = http.get("/openapi.yaml");
        Http.Reply served = http.get("/v3/api-docs");
        assertThat(authored.status()).isEqualTo(200);
        assertThat(served.status()).isEqualTo(200);

        Map<String, String> fromFile = operations(new Yaml().load(authored.body()));
        Map<String, String> fromServer = operations(JsonMapper.builder().build().readValue(served.body(), Map.class));
        assertThat(fromServer).isEqualTo(fromFile);
    }

    @Test
    void swaggerUiIsServedAndPointsAtTheAuthoredFile() {
        Http http = new Http(port);
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(http.get("/v3/api-docs/swagger-config").body()).contains("/openapi.yaml");
    }

    /** "GET /api/v1/jobs" mapped to "listJobs params=[page:query, ...] responses=[200, 400]". */
    @SuppressWarnings("unchecked")
    private static Map<String, String> operations(Map<String, Object> doc) {
        Map<String, Object> components = (Map<String, Object>) doc.getOrDefault("components", Map.of());
        Map<String, Object> sharedParams = (Map<String, Object>) components.getOrDefault("parameters", Map.of());
        Map<String, String> out = new TreeMap<>();
        ((Map<String, Object>) doc.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
            Map<String, Object> operation = (Map<String, Object>) op;
            Set<String> params = new TreeSet<>();
            for (Object p : (Iterable<Object>) operation.getOrDefault("parameters", java.util.List.of())) {
                Map<String, Object> param = (Map<String, Object>) p;
                if (param.containsKey("$ref")) {
                    String ref = (String) param.get("$ref");
                    param = (Map<String, Object>) sharedParams.get(ref.substring(ref.lastIndexOf('/') + 1));
                }
                params.add(param.get("name") + ":" + param.get("in") + (Boolean.TRUE.equals(param.get("required")) ? "!" : ""));
            }
            Set<String> responses = new TreeSet<>(((Map<String, Object>) operation.get("responses")).keySet());
            out.put(method.toUpperCase() + " " + path, operation.get("operationId") + " params=" + params + " responses=" + responses);
        }));
        return out;
    }
}
