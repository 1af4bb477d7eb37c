package io.robustlab.experiments;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code "${step.a.b}"} in a spec template stands for field {@code a.b} of that step's output. A
 * reference is a whole string value and is replaced by the output's value, whatever its JSON type.
 */
public final class References {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-z0-9-]+)\\.([A-Za-z0-9_.]+)}");

    private References() {
    }

    /** The reference to {@code path} of {@code step}'s output; templates build it from an {@link Output}. */
    static String to(String step, String path) {
        return "${" + step + "." + path + "}";
    }

    /** A copy of the template with every reference replaced by the named output. */
    public static JsonNode resolve(JsonNode template, Map<String, JsonNode> outputs) {
        if (template.isString()) {
            Matcher m = REFERENCE.matcher(template.asString());
            if (!m.matches()) {
                return template;
            }
            JsonNode output = outputs.get(m.group(1));
            JsonNode value = output == null ? null : output.at("/" + m.group(2).replace('.', '/'));
            if (value == null || value.isMissingNode() || value.isNull()) {
                throw new IllegalStateException("step " + m.group(1) + " has no output " + m.group(2));
            }
            return value;
        }
        if (template instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue(), outputs)));
            return copy;
        }
        if (template instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(e -> copy.add(resolve(e, outputs)));
            return copy;
        }
        return template;
    }
}
