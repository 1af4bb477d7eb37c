package io.robustlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The generated client offers exactly the operations of the OpenAPI file, one method per
 * operationId, in the API class of the operation's tag. (The gateway's OpenApiContractTest checks
 * the served /v3/api-docs against the same file.)
 */
class GeneratedClientTest {

    private static final Path SPEC = Path.of("../api/src/main/resources/static/openapi.yaml");

    @Test
    void aJobsResultReadsAsTheModelItsTypeNames() throws Exception {
        tools.jackson.databind.json.JsonMapper json = ApiClient.createDefaultMapper(null);
        Map<String, Object> stored;
        try (InputStream in = Files.newInputStream(Path.of("../api/src/test/resources/results/train.classifier.json"))) {
            stored = json.readValue(in, Map.class);
        }
        io.robustlab.client.model.JobType type = new io.robustlab.client.model.JobType().name("train.classifier")
                .resultSchema("TrainClassifierResult");
        io.robustlab.client.model.Job job = new io.robustlab.client.model.Job().result(stored);
        Object result = JobResults.as(job, JobResults.modelOf(type), json);
        assertThat(result).isInstanceOf(io.robustlab.client.model.TrainClassifierResult.class);
        io.robustlab.client.model.TrainClassifierResult r = (io.robustlab.client.model.TrainClassifierResult) result;
        assertThat(r.getBestEpoch()).isEqualTo(2);
        assertThat(r.getHistory()).hasSize(2);

        stored.put("notInTheSchema", 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobResults.as(job, io.robustlab.client.model.TrainClassifierResult.class, json))
                .hasMessageContaining("notInTheSchema");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationOfTheSpecIsAMethodOfItsTagsApiAndNothingElseIs() throws Exception {
        Map<String, Object> doc;
        try (InputStream in = Files.newInputStream(SPEC)) {
            doc = new Yaml().load(in);
        }
        Set<String> fromSpec = new TreeSet<>();
        Set<String> tags = new TreeSet<>();
        ((Map<String, Map<String, Map<String, Object>>>) doc.get("paths")).values().forEach(item -> item.values().forEach(op -> {
            String tag = ((java.util.List<String>) op.get("tags")).get(0);
            tags.add(tag);
            fromSpec.add(apiClass(tag) + "." + op.get("operationId"));
        }));

        Set<String> fromClient = new TreeSet<>();
        for (String tag : tags) {
            Class<?> api = Class.forName("io.robustlab.client.api." + apiClass(tag));
            Arrays.stream(api.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && !isPlumbing(m))
                    .forEach(m -> fromClient.add(apiClass(tag) + "." + m.getName()));
        }
        assertThat(fromClient).isEqualTo(fromSpec);
        assertThat(fromSpec).contains("StreamsApi.streamExperimentProgress", "JobsApi.submitJob");
    }

    private static boolean isPlumbing(Method m) {
        String n = m.getName();
        return n.endsWith("WithHttpInfo") || n.endsWith("WithResponseSpec") || n.equals("getApiClient") || n.equals("setApiClient");
    }

    private static String apiClass(String tag) {
        return Character.toUpperCase(tag.charAt(0)) + tag.substring(1) + "Api";
    }
}
