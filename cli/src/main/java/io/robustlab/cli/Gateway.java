package io.robustlab.cli;

import io.robustlab.client.ApiClient;
import io.robustlab.client.api.ArtifactsApi;
import io.robustlab.client.api.DatasetsApi;
import io.robustlab.client.api.ExperimentsApi;
import io.robustlab.client.api.JobsApi;
import io.robustlab.client.api.ModelsApi;
import io.robustlab.client.api.ReportsApi;
import io.robustlab.client.api.SharingApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway through the generated client. Three calls stream their body and so go through the
 * client's RestClient instead of a generated method (which would read the whole body first): the two
 * progress streams and artifact downloads. Their paths are in {@link StreamPaths}, checked against
 * the OpenAPI file by a test. Every call carries the user's API token.
 */
final class Gateway {

    private final ApiClient client;
    final JsonMapper json = ApiClient.createDefaultMapper(null);
    final JobsApi jobs;
    final ExperimentsApi experiments;
    final ReportsApi reports;
    final ArtifactsApi artifacts;
    final ModelsApi models;
    final DatasetsApi datasets;
    final SharingApi sharing;
    private final String token;

    /** @param token the API token, or null to send none (the gateway then refuses every call with a 401) */
    Gateway(String baseUrl, String token) {
        this.client = new ApiClient(json, ApiClient.createDefaultDateFormat()).setBasePath(baseUrl.replaceAll("/+$", ""));
        this.token = token;
        if (token != null) {
            client.setBearerToken(token);
        }
        this.jobs = new JobsApi(client);
        this.experiments = new ExperimentsApi(client);
        this.reports = new ReportsApi(client);
        this.artifacts = new ArtifactsApi(client);
        this.models = new ModelsApi(client);
        this.datasets = new DatasetsApi(client);
        this.sharing = new SharingApi(client);
    }

    /** A GET the generated client does not make (it would read the whole body first), with the token it would send. */
    private RestClient.RequestHeadersSpec<?> get(String path, UUID id) {
        RestClient.RequestHeadersSpec<?> request = client.getRestClient().get().uri(client.getBasePath() + path, id);
        return token == null ? request : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    /** Reads the Server-Sent Events at {@code path} until the server closes the stream. */
    private void follow(String path, UUID id, Consumer<ServerSentEvents.Event> onEvent) {
        get(path, id).accept(MediaType.TEXT_EVENT_STREAM).exchange((request, response) -> {
                    if (response.getStatusCode().isError()) {
                        throw new RestClientResponseException("GET " + path, response.getStatusCode(), response.getStatusText(),
                                response.getHeaders(), response.getBody().readAllBytes(), null);
                    }
                    ServerSentEvents.read(response.getBody(), onEvent);
                    return null;
                });
    }

    /**
     * Follows the resource's progress stream, showing each snapshot, until it has ended. A stream
     * also ends when a gateway restarts: then the resource is read once and followed again.
     */
    <T> T watch(String path, UUID id, Class<T> type, Function<UUID, T> read, Predicate<T> ended, Consumer<T> show) {
        AtomicReference<T> last = new AtomicReference<>();
        while (true) {
            follow(path, id, event -> {
                last.set(json.readValue(event.data(), type));
                show.accept(last.get());
            });
            if (last.get() != null && ended.test(last.get())) {
                return last.get();
            }
            pause();
            last.set(read.apply(id));
            show.accept(last.get());
            if (ended.test(last.get())) {
                return last.get();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Streams the body at {@code path} into {@code target}; returns its size. */
    long download(String path, UUID id, Path target) {
        return get(path, id).exchange((request, response) -> {
            if (response.getStatusCode().isError()) {
                throw new RestClientResponseException("GET " + path, response.getStatusCode(), response.getStatusText(),
                        response.getHeaders(), response.getBody().readAllBytes(), null);
            }
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, target.getFileName().toString(), ".part");
            try (InputStream in = response.getBody()) {
                long n = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                // A download cut short never leaves a complete-looking file behind.
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return n;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
        });
    }
}
