package io.robustlab.training.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.jobs.worker.PermanentJobFailure;
import io.robustlab.ml.train.Selection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** From a train.classifier spec to the trainer's settings: which validation accuracy selects the epoch. */
class TrainClassifierSettingsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ATTACK = "\"adversarial\": {\"norm\": \"l2\", \"eps\": 1.5, \"steps\": 7, \"stepSize\": 0.3}";

    static TrainClassifierSpec spec(String fields) {
        return JSON.readValue("{\"trainArtifactId\": \"00000000-0000-0000-0000-000000000001\"" + fields + "}", TrainClassifierSpec.class);
    }

    @Test
    void selectionDefaultsToRobustForAdversarialTrainingAndCleanOtherwise() {
        assertThat(TrainClassifierHandler.settings(spec(", " + ATTACK)).selectOn()).isEqualTo(Selection.ROBUST);
        assertThat(TrainClassifierHandler.settings(spec("")).selectOn()).isEqualTo(Selection.CLEAN);
        assertThat(TrainClassifierHandler.settings(spec(", \"selectOn\": \"clean\", " + ATTACK)).selectOn()).isEqualTo(Selection.CLEAN);
        assertThat(TrainClassifierHandler.settings(spec(", \"selectOn\": \"robust\", " + ATTACK)).selectOn()).isEqualTo(Selection.ROBUST);
    }

    @Test
    void robustSelectionWithoutAnAttackIsAPermanentFailure() {
        assertThatThrownBy(() -> TrainClassifierHandler.settings(spec(", \"selectOn\": \"robust\"")))
                .isInstanceOf(PermanentJobFailure.class).hasMessageContaining("spec.adversarial");
    }
}
