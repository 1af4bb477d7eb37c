package io.robustlab.service.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

class NonFiniteNumbersTest {

    record Quality(long count, double sum, float max, Double optional) {
    }

    private final JsonMapper json = JsonMapper.builder().addModule(NonFiniteNumbers.asNull()).build();

    @Test
    void nonFiniteNumbersAreWrittenAsNullAndFiniteOnesUnchanged() {
        assertThat(json.writeValueAsString(new Quality(3, Double.NaN, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
                .isEqualTo("{\"count\":3,\"sum\":null,\"max\":null,\"optional\":null}");
        assertThat(json.writeValueAsString(new Quality(3, 0.1 + 0.2, 0.1f, 1e-300)))
                .isEqualTo("{\"count\":3,\"sum\":0.30000000000000004,\"max\":0.1,\"optional\":1.0E-300}");
        assertThat(json.writeValueAsString(Map.of("rate", Double.NaN))).isEqualTo("{\"rate\":null}");
        assertThat(json.writeValueAsString(List.of(1.5, Double.NaN))).isEqualTo("[1.5,null]");
    }

    @Test
    void aStoredResultReadsBackWithItsNaNs() {
        Quality q = json.readValue(json.writeValueAsString(new Quality(2, Double.NaN, Float.NaN, null)), Quality.class);
        assertThat(q.sum()).isNaN();
        assertThat(q.max()).isNaN();
        assertThat(q.optional()).isNull();
        assertThat(json.readValue("{\"count\":2,\"sum\":4,\"max\":0.5}", Quality.class)).isEqualTo(new Quality(2, 4, 0.5f, null));
        // A missing number stays 0, as Jackson reads it; text where a number belongs is still an error.
        assertThat(json.readValue("{\"count\":2}", Quality.class).sum()).isZero();
        assertThatThrownBy(() -> json.readValue("{\"count\":2,\"sum\":\"many\"}", Quality.class)).isInstanceOf(DatabindException.class);
    }
}
