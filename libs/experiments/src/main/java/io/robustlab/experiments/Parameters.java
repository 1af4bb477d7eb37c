package io.robustlab.experiments;

import io.robustlab.api.jobtypes.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads resolved (already schema-checked) parameters by dotted path. Presets set every parameter,
 * but an override of null removes one: reading it then is the user's error, named by its path.
 */
final class Parameters {

    private final JsonNode root;

    Parameters(JsonNode root) {
        this.root = root;
    }

    JsonNode node(String path) {
        JsonNode n = root.at("/" + path.replace('.', '/'));
        if (n.isMissingNode() || n.isNull()) {
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation("parameters." + path, "is required")));
        }
        return n;
    }

    boolean has(String path) {
        JsonNode n = root.at("/" + path.replace('.', '/'));
        return !n.isMissingNode() && !n.isNull();
    }

    String text(String path) {
        return node(path).asString();
    }

    int integer(String path) {
        return node(path).asInt();
    }

    long longValue(String path) {
        return node(path).asLong();
    }

    double number(String path) {
        return node(path).asDouble();
    }

    List<String> texts(String path) {
        List<String> out = new ArrayList<>();
        node(path).forEach(n -> out.add(n.asString()));
        return out;
    }

    List<Double> numbers(String path) {
        List<Double> out = new ArrayList<>();
        node(path).forEach(n -> out.add(n.asDouble()));
        return out;
    }

    static InvalidSpecException invalid(String path, String message) {
        return new InvalidSpecException(List.of(new InvalidSpecException.Violation("parameters." + path, message)));
    }
}
