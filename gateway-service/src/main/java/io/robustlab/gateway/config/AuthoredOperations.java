package io.robustlab.gateway.config;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;

/**
 * The few endpoints written by hand rather than through a generated interface (a report in three
 * media types, Server-Sent Events) are documented in openapi.yaml like every other: the served
 * API docs take their operation id, tags, summary and responses from the authored operation of the
 * handler method's name, so no annotation repeats the file. Their parameters still come from the
 * code, and OpenApiContractTest compares them with the file.
 */
@Configuration
public class AuthoredOperations {

    private static final String AUTHORED = "static/openapi.yaml";

    @Bean
    OperationCustomizer authoredOperationsOfHandWrittenEndpoints() {
        Map<String, Operation> authored = operationsById();
        return (operation, handler) -> {
            if (implementsGeneratedApi(handler)) {
                return operation;
            }
            Operation a = authored.get(handler.getMethod().getName());
            if (a == null) {
                throw new IllegalStateException(handler + " is not an operation of " + AUTHORED + " (its method name is the operation id)");
            }
            return operation.operationId(a.getOperationId()).tags(a.getTags()).summary(a.getSummary()).description(a.getDescription())
                    .responses(a.getResponses());
        };
    }

    private static boolean implementsGeneratedApi(HandlerMethod handler) {
        for (Class<?> i : handler.getBeanType().getInterfaces()) {
            if (i.getPackageName().equals("io.robustlab.api.web")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Operation> operationsById() {
        try (InputStream in = AuthoredOperations.class.getClassLoader().getResourceAsStream(AUTHORED)) {
            OpenAPI spec = Yaml.mapper().readValue(in, OpenAPI.class);
            Map<String, Operation> byId = new HashMap<>();
            spec.getPaths().values().forEach(item -> item.readOperations().forEach(o -> byId.put(o.getOperationId(), o)));
            return byId;
        } catch (IOException e) {
            throw new UncheckedIOException(AUTHORED, e);
        }
    }
}
