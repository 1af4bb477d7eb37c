package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Model uploads over the limit are a 413 problem+json whether the client states the length or
 * streams the body (chunked), and nothing reaches attack-service (there is none here); under it, a
 * streamed upload passes though another path's limit (data sets', 4 MB here) is smaller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE,
                "robustlab.web.max-body-by-path[/api/v1/models]=8MB", "robustlab.web.max-body-by-path[/api/v1/datasets]=4MB"})
class ModelUploadLimitTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;

    @Test
    void anUploadOverTheLimitIsA413ProblemWithOrWithoutALength() throws Exception {
        byte[] body = multipart(new byte[9 * 1024 * 1024]);
        for (boolean streamed : new boolean[] {false, true}) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models"))
                    .header("Authorization", "Bearer " + GatewayTestDatabase.ADMIN_TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=b0undary")
                    .POST(streamed ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                            : HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as((streamed ? "chunked: " : "with a length: ") + r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(streamed ? "chunked" : "with a length")
                    .startsWith("application/problem+json");
            assertThat(r.body()).contains("larger than the limit of 8388608 bytes");
        }
    }

    /** Each path has its own limit, a streamed body's too: a model upload above the data set limit is no 413. */
    @Test
    void aStreamedModelUploadMeetsTheModelLimitNotAnotherPaths() throws Exception {
        byte[] body = multipart(new byte[6 * 1024 * 1024]);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models"))
                .header("Authorization", "Bearer " + GatewayTestDatabase.ADMIN_TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=b0undary")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(), HttpResponse.BodyHandlers.ofString());
        // Past the size checks the import goes to attack-service, which this test has none of.
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.body()).contains("attack-service");
    }

    private static byte[] multipart(byte[] file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--b0undary\r\nContent-Disposition: form-data; name=\"manifest\"; filename=\"m.json\"\r\nContent-Type: application/json\r\n\r\n"
                + "{\"format\": \"torchscript\", \"inputShape\": [1, 28, 28], \"classes\": 10}\r\n--b0undary\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"model.pt\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write("\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
