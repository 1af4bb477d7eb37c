package io.robustlab.ml.interop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.testing.PyTorchPeer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every architecture, exported as safetensors and loaded by python/robustlab in Debian's PyTorch,
 * gives RobustLab's logits on 64 real test images.
 */
class PyTorchExportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyArchitectureGivesTheSameLogitsInPyTorch(@TempDir Path dir) throws Exception {
        ImageDataset train = FashionMnist.train().subset(0, 128);
        ImageDataset probe = FashionMnist.test().subset(0, 64);
        Map<String, float[]> logits = new LinkedHashMap<>();
        for (Architecture a : Architecture.values()) {
            if (a == Architecture.TORCHSCRIPT) {
                continue;
            }
            Classifier.ModelSpec spec = new Classifier.ModelSpec(a, 1, 28, 28, 10, new float[] {0.2860f}, new float[] {0.3530f});
            try (Classifier model = Classifier.create(spec, Device.cpu(), 11)) {
                moveBatchNormStatistics(model, train);
                try (OutputStream out = Files.newOutputStream(dir.resolve(a.apiName() + ".safetensors"))) {
                    SafetensorsModels.write(model, manifest(spec), out);
                }
                logits.put(a.apiName(), logits(model, probe));
            }
        }
        writeProbe(dir.resolve("probe.safetensors"), probe, logits);

        JsonNode report = JSON.readTree(PyTorchPeer.run("tests/export_check.py", dir.toString()));
        System.out.println("PyTorch against RobustLab: " + report);
        SoftAssertions soft = new SoftAssertions();
        for (String architecture : logits.keySet()) {
            JsonNode r = report.path(architecture);
            soft.assertThat(r.path("maxAbsDiff").isNumber()).as(architecture + " checked in PyTorch: " + r).isTrue();
            soft.assertThat(r.path("maxAbsDiff").asDouble(Double.NaN)).as(architecture + " max |logit difference|").isLessThanOrEqualTo(1e-4);
            soft.assertThat(r.path("eval").asBoolean()).as(architecture + " loaded in eval mode").isTrue();
            // Logits all alike would pass any comparison: they must spread over 100 times the tolerance.
            float[] l = logits.get(architecture);
            soft.assertThat(max(l) - min(l)).as(architecture + " logit range").isGreaterThan(1e-2f);
        }
        soft.assertAll();
    }

    static String manifest(Classifier.ModelSpec spec) {
        return JSON.writeValueAsString(Map.of("architecture", spec.architecture().apiName(),
                "inputShape", new int[] {spec.channels(), spec.height(), spec.width()}, "classes", spec.classes(),
                "mean", spec.mean(), "std", spec.std()));
    }

    /**
     * Train-mode passes over real images move BatchNorm's running statistics away from their
     * initial 0 and 1, so the export of those buffers is checked too. (No SGD steps: on this
     * AVX-512 CPU, libtorch 2.7.1's oneDNN crashes the JVM with SIGFPE in the backward pass of
     * ResNet-50's 1x1 convolutions; the Xavier-initialised weights test the names just as well.)
     */
    private static void moveBatchNormStatistics(Classifier model, ImageDataset train) {
        Batches batches = new Batches(train, 64);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                model.logits(batches.get(scope, null, b, null, null).images(), true);
            }
        }
    }

    static float[] logits(Classifier model, ImageDataset data) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray x = scope.create(data.images()).reshape(data.size(), data.channels(), data.height(), data.width());
            return model.logits(x, false).toFloatArray();
        }
    }

    private static void writeProbe(Path file, ImageDataset probe, Map<String, float[]> logits) throws IOException {
        try (NDManager scope = NDManager.newBaseManager(Device.cpu()); OutputStream out = Files.newOutputStream(file)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("images", scope.create(probe.images()).reshape(probe.size(), 1, 28, 28));
            logits.forEach((name, l) -> tensors.put(name, scope.create(l).reshape(probe.size(), -1)));
            Safetensors.write(tensors, Map.of(), out);
        }
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
