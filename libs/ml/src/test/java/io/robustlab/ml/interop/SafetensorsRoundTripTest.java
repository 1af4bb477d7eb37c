package io.robustlab.ml.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.Sgd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Export then import: the same model, to the bit, on the whole Fashion-MNIST test set; damaged files are refused. */
class SafetensorsRoundTripTest {

    static final Classifier.ModelSpec SPEC = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10,
            new float[] {0.2860f}, new float[] {0.3530f});

    @Test
    void anExportImportsToTheSamePredictionsOnTheFullTestSet() throws IOException {
        ImageDataset test = FashionMnist.test();
        byte[] exported;
        float[] before;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 5)) {
            train(model, FashionMnist.train().subset(0, 2048));
            exported = export(model);
            before = PyTorchExportTest.logits(model, test);
        }
        Safetensors.Contents contents = Safetensors.read(new ByteArrayInputStream(exported), exported.length);
        assertThat(contents.metadata()).containsKey(SafetensorsModels.MANIFEST_KEY);
        try (Classifier imported = SafetensorsModels.read(SPEC, Device.cpu(), contents)) {
            float[] after = PyTorchExportTest.logits(imported, test);
            assertThat(Arrays.equals(before, after)).as("logits of the 10,000 test images identical after the round trip").isTrue();
            int[] p = argMax(before, 10);
            long correct = java.util.stream.IntStream.range(0, p.length).filter(i -> p[i] == test.labels()[i]).count();
            assertThat(correct).as("a trained model, not a constant one").isGreaterThan(6_000);
        }
    }

    @Test
    void damagedOrForeignFilesAreRefusedWithTheReason() throws IOException {
        byte[] exported;
        try (Classifier model = Classifier.create(SPEC, Device.cpu(), 5)) {
            exported = export(model);
        }
        assertThatThrownBy(() -> Safetensors.read(new ByteArrayInputStream(Arrays.copyOf(exported, exported.length - 10)), exported.length))
                .isInstanceOf(Safetensors.FormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Safetensors.read(new ByteArrayInputStream("PK\3\4 a zip, not weights".getBytes()), 1 << 20))
                .isInstanceOf(Safetensors.FormatException.class).hasMessageContaining("header length");
        assertThatThrownBy(() -> Safetensors.read(new ByteArrayInputStream(exported), exported.length - 1))
                .isInstanceOf(Safetensors.FormatException.class).hasMessageContaining("size limit");
        // Weights of one architecture do not load into another: every name is checked.
        Safetensors.Contents contents = Safetensors.read(new ByteArrayInputStream(exported), exported.length);
        Classifier.ModelSpec lenet = new Classifier.ModelSpec(Architecture.LENET, 1, 28, 28, 10, SPEC.mean(), SPEC.std());
        assertThatThrownBy(() -> SafetensorsModels.read(lenet, Device.cpu(), contents))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit a lenet model");
        Classifier.ModelSpec otherMean = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10, new float[] {0.5f}, SPEC.std());
        assertThatThrownBy(() -> SafetensorsModels.read(otherMean, Device.cpu(), contents))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("normalize.mean");
    }

    private static byte[] export(Classifier model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsModels.write(model, PyTorchExportTest.manifest(model.spec()), out);
        return out.toByteArray();
    }

    private static void train(Classifier model, ImageDataset train) {
        DjlRuntime.noGradOnThisThread();
        Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
        Batches batches = new Batches(train, 64);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                ClassifierTrainer.trainBatch(model, sgd, batches.get(scope, null, b, null, null), null, 0.05f);
            }
        }
    }

    private static int[] argMax(float[] logits, int classes) {
        int[] out = new int[logits.length / classes];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
