package io.robustlab.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies as openapi.yaml defines them, for fuzzing every field: the JSON pointer of every
 * property a schema defines (optional ones and nested ones too, through references and array
 * items), a small instance with the required members of a schema, and a body with one field replaced
 * by raw JSON text (which may be something a JSON tree cannot hold, such as 1e309).
 */
final class OpenApiBodies {

    private static final String HOLE = "\u0000hostile\u0000";
    private static final int MAX_DEPTH = 6;

    private final Map<String, Object> schemas;
    private final JsonMapper json;

    @SuppressWarnings("unchecked")
    OpenApiBodies(Map<String, Object> openApi, JsonMapper json) {
        this.schemas = (Map<String, Object>) ((Map<String, Object>) openApi.get("components")).get("schemas");
        this.json = json;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> schema(String name) {
        return (Map<String, Object>) schemas.get(name);
    }

    /** Follows a $ref, or an allOf of one reference (how the spec adds a description to a reference). */
    @SuppressWarnings("unchecked")
    Map<String, Object> resolve(Map<String, Object> schema) {
        if (schema.containsKey("$ref")) {
            String ref = (String) schema.get("$ref");
            return resolve(schema(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        if (schema.containsKey("allOf") && ((List<?>) schema.get("allOf")).size() == 1) {
            return resolve(((List<Map<String, Object>>) schema.get("allOf")).get(0));
        }
        return schema;
    }

    /** The pointer of every property of {@code schema} under {@code at}, parents before children. */
    List<String> fields(Map<String, Object> schema, String at) {
        List<String> out = new ArrayList<>();
        collect(resolve(schema), at, 0, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void collect(Map<String, Object> schema, String at, int depth, List<String> out) {
        if (depth > MAX_DEPTH) {
            return;
        }
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
        if (properties != null) {
            properties.forEach((name, property) -> {
                out.add(at + "/" + name);
                collect(resolve(property), at + "/" + name, depth + 1, out);
            });
        }
        if (schema.get("items") instanceof Map<?, ?> items) {
            out.add(at + "/0");
            collect(resolve((Map<String, Object>) items), at + "/0", depth + 1, out);
        }
    }

    /** A small instance: the required members, each with a plausible value. */
    @SuppressWarnings("unchecked")
    JsonNode example(Map<String, Object> schema) {
        Map<String, Object> s = resolve(schema);
        if (s.get("enum") instanceof List<?> values) {
            return json.valueToTree(values.get(0));
        }
        String type = String.valueOf(s.getOrDefault("type", s.containsKey("properties") ? "object" : "string"));
        return switch (type) {
            case "object" -> {
                ObjectNode o = json.createObjectNode();
                Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) s.getOrDefault("properties", Map.of());
                for (Object name : (List<Object>) s.getOrDefault("required", List.of())) {
                    o.set((String) name, example(properties.get((String) name)));
                }
                yield o;
            }
            case "array" -> {
                ArrayNode a = json.createArrayNode();
                int items = ((Number) s.getOrDefault("minItems", 1)).intValue();
                for (int i = 0; i < Math.max(1, items); i++) {
                    a.add(example((Map<String, Object>) s.get("items")));
                }
                yield a;
            }
            case "integer" -> json.getNodeFactory().numberNode(((Number) s.getOrDefault("minimum", 1)).longValue());
            case "number" -> json.getNodeFactory().numberNode(((Number) s.getOrDefault("minimum", 0.5)).doubleValue() + 0.5);
            case "boolean" -> json.getNodeFactory().booleanNode(false);
            default -> json.getNodeFactory().stringNode("uuid".equals(s.get("format")) ? UUID.randomUUID().toString() : "x");
        };
    }

    /** {@code body} with the member at {@code pointer} (made, with its parents, if absent) replaced by {@code rawJson}. */
    String with(JsonNode body, String pointer, String rawJson) {
        JsonNode copy = body.deepCopy();
        String[] parts = pointer.substring(1).split("/");
        JsonNode node = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = child(node, parts[i]);
            if (next == null || !next.isContainer()) {
                next = parts[i + 1].equals("0") ? json.createArrayNode() : json.createObjectNode();
                put(node, parts[i], next);
            }
            node = next;
        }
        put(node, parts[parts.length - 1], json.getNodeFactory().stringNode(HOLE));
        return json.writeValueAsString(copy).replace(json.writeValueAsString(HOLE), rawJson);
    }

    private static JsonNode child(JsonNode node, String name) {
        return node instanceof ArrayNode a ? (a.isEmpty() ? null : a.get(0)) : node.get(name);
    }

    private static void put(JsonNode parent, String name, JsonNode value) {
        if (parent instanceof ArrayNode a) {
            if (a.isEmpty()) {
                a.add(value);
            } else {
                a.set(0, value);
            }
        } else {
            ((ObjectNode) parent).set(name, value);
        }
    }
}
