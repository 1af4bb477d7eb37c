package io.robustlab.mlservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.robustlab.api.jobtypes.ArchitectureInputs;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API's smallest image side of each architecture (which the experiment checks an uploaded data
 * set against) is the real network's: a forward pass in training mode (BatchNorm on batch statistics)
 * works on images of that side and fails on one less.
 */
class ArchitectureInputsTest {

    @ParameterizedTest
    @EnumSource(ArchitectureName.class)
    void theSmallestSideIsTheSmallestTheNetworkTakes(ArchitectureName name) {
        int side = ArchitectureInputs.smallestSide(name);
        assertThat(forwardShape(name, 3, side)).isEqualTo(new Shape(2, 10));
        assertThat(ArchitectureInputs.fits(name, List.of(3, side, side))).isTrue();
        if (side > 1) {
            assertThatThrownBy(() -> forwardShape(name, 3, side - 1)).as("%s on %d x %d", name, side - 1, side - 1)
                    .isInstanceOf(RuntimeException.class);
            assertThat(ArchitectureInputs.fits(name, List.of(3, side - 1, side + 10))).isFalse();
        }
    }

    /** The logits' shape of a new model on two random images of {@code channels} x side x side, in training mode. */
    private static Shape forwardShape(ArchitectureName name, int channels, int side) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        Classifier.ModelSpec spec = new Classifier.ModelSpec(Architecture.of(name.getValue()), channels, side, side, 10, mean, std);
        try (Classifier model = Classifier.create(spec, Device.cpu(), 1); NDManager scope = model.manager().newSubManager()) {
            NDArray x = scope.randomUniform(0, 1, new Shape(2, channels, side, side));
            return model.logits(x, true).getShape();
        }
    }
}
