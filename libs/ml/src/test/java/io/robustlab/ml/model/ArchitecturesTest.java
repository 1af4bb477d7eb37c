package io.robustlab.ml.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every architecture builds for 1- and 3-channel images, exposes its representation, and saves and loads. */
class ArchitecturesTest {

    @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
    @CsvSource({
            "SMALL_CNN, 1, 28, 128",
            "SMALL_CNN, 3, 28, 128",
            "LENET, 1, 28, 84",
            "LENET, 3, 32, 84",
            "MLP, 1, 28, 128",
            "MLP, 3, 32, 128",
            "LINEAR, 1, 28, 784",
            "LINEAR, 3, 32, 3072",
            "RESNET18, 1, 28, 512",
            "RESNET18, 3, 32, 512",
            "RESNET50, 3, 32, 2048",
            "VGG16, 1, 28, 512",
            "VGG16, 3, 32, 512",
            "DENSENET, 1, 28, 384",
            "DENSENET, 3, 32, 384",
    })
    void buildsForwardsAndRoundTrips(Architecture architecture, int channels, int size, int representation) throws Exception {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        java.util.Arrays.fill(mean, 0.5f);
        java.util.Arrays.fill(std, 0.25f);
        Classifier.ModelSpec spec = new Classifier.ModelSpec(architecture, channels, size, size, 10, mean, std);
        try (Classifier model = Classifier.create(spec, Device.cpu(), 1); NDManager scope = model.manager().newSubManager()) {
            NDArray x = scope.randomUniform(0, 1, new Shape(2, channels, size, size));
            assertThat(model.logits(x, false).getShape()).isEqualTo(new Shape(2, 10));
            assertThat(model.logits(x, true).getShape()).isEqualTo(new Shape(2, 10));
            assertThat(model.representation(x, false).getShape()).isEqualTo(new Shape(2, representation));

            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            ModelFile.write(model, saved);
            try (Classifier loaded = ModelFile.read(new ByteArrayInputStream(saved.toByteArray()), Device.cpu())) {
                assertThat(loaded.spec().architecture()).isEqualTo(architecture);
                float[] a = model.logits(x, false).toFloatArray();
                float[] b = loaded.logits(x.toDevice(Device.cpu(), true), false).toFloatArray();
                assertThat(b).containsExactly(a);
            }
        }
    }
}
