package io.robustlab.gateway.web;

import io.robustlab.api.model.UploadedDataset;
import io.robustlab.service.web.InternalApi;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** dataset-service's internal upload: the parts of a data set upload streamed on as a new multipart request. */
@Component
public class DatasetService {

    /** One part: its name and its content, opened when the request is sent. */
    public record Part(String name, Supplier<InputStream> content) {
    }

    private final InternalService service;
    private final JsonMapper json;

    public DatasetService(JsonMapper json, @Value("${robustlab.services.dataset-url:http://127.0.0.1:8083}") String datasetUrl,
                          @Value("${robustlab.security.service-token:}") String serviceToken) {
        this.service = new InternalService("dataset-service", datasetUrl, serviceToken, json);
        this.json = json;
    }

    public UploadedDataset upload(List<Part> parts) {
        String boundary = "robustlab-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> body = new ArrayList<>();
        for (Part p : parts) {
            // The part's name is one of the API's (checked by the caller): nothing of a user's file name is sent on.
            body.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name()
                    + "\"; filename=\"" + p.name() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            body.add(HttpRequest.BodyPublishers.ofInputStream(p.content()));
            body.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        body.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        HttpRequest request = service.request(InternalApi.DATASETS)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(body.toArray(HttpRequest.BodyPublisher[]::new)))
                .build();
        return json.readValue(service.sendForText(request), UploadedDataset.class);
    }
}
