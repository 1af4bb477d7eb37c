package io.robustlab.api.jobtypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each job type's result schema reads a result as its workers store it (test/resources/results,
 * one per catalogued type, with the nulls and absent optional members real results have) without
 * losing or inventing a member, and writes it back unchanged. Unknown members are errors, so a
 * result field missing from openapi.yaml fails here.
 */
class ResultSchemasRoundTripTest {

    private static final JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    static Iterable<String> types() {
        return JobTypeCatalog.ALL.stream().map(JobTypeDefinition::name).toList();
    }

    @ParameterizedTest
    @MethodSource("types")
    void aStoredResultRoundTripsThroughItsGeneratedModel(String name) throws IOException {
        JobTypeDefinition type = JobTypeCatalog.find(name).orElseThrow();
        JsonNode stored = fixture(name);
        Object parsed = strict.treeToValue(stored, type.resultClass());
        JsonNode written = strict.valueToTree(parsed);
        assertThat(withoutNulls(written)).as(name + " written back").isEqualTo(withoutNulls(stored));
    }

    @Test
    void aMemberTheSchemaDoesNotKnowIsAnError() throws IOException {
        ObjectNode stored = (ObjectNode) fixture(JobTypeCatalog.TRAIN_CLASSIFIER.name());
        stored.put("bestEpochs", 2);
        assertThatThrownBy(() -> strict.treeToValue(stored, JobTypeCatalog.TRAIN_CLASSIFIER.resultClass()))
                .isInstanceOf(JacksonException.class).hasMessageContaining("bestEpochs");
    }

    private static JsonNode fixture(String type) throws IOException {
        try (InputStream in = ResultSchemasRoundTripTest.class.getResourceAsStream("/results/" + type + ".json")) {
            assertThat(in).as("a stored " + type + " result in test/resources/results").isNotNull();
            return strict.readTree(in);
        }
    }

    /**
     * The tree with null members left out and every number to float precision: a worker writes an
     * absent optional member as null, a count in a map of mixed figures reads back as a decimal, and
     * a float field (an eps, a channel mean) prints its own digits, not those of its widening.
     */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) {
                    out.set(e.getKey(), withoutNulls(e.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(withoutNulls(e)));
            return out;
        }
        return node.isNumber() ? JsonNodeFactory.instance.numberNode((float) node.asDouble()) : node;
    }
}
