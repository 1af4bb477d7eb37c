package io.robustlab.dataset.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.model.DatasetConstructSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The shard jobs' settings come from the build spec: the straight-through ReLU is off unless asked for. */
class ConstructionParamsFromSpecTest {

    static DatasetConstructSpec spec(String fields) {
        return JsonMapper.builder().build().readValue("{\"construction\": \"robust\","
                + " \"modelArtifactId\": \"00000000-0000-0000-0000-000000000001\","
                + " \"trainArtifactId\": \"00000000-0000-0000-0000-000000000002\"" + fields + "}", DatasetConstructSpec.class);
    }

    @Test
    void straightThroughReluReachesTheShardsAndDefaultsToOff() {
        assertThat(ConstructionJobs.params(spec("")).straightThroughRelu()).isFalse();
        assertThat(ConstructionJobs.params(spec(", \"straightThroughRelu\": true")).straightThroughRelu()).isTrue();
        assertThat(ConstructionJobs.params(spec(", \"straightThroughRelu\": false")).straightThroughRelu()).isFalse();
    }
}
