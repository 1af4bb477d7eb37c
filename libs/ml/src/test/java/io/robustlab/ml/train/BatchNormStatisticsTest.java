package io.robustlab.ml.train;

import static org.assertj.core.api.Assertions.assertThat;


import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm's running mean and variance are state, not weights: only train-mode forward passes
 * move them. Loading weights and attacking must not make them track gradients, and SGD (weight
 * decay, momentum) must not touch them, as PyTorch keeps them out of the optimiser as buffers.
 */
class BatchNormStatisticsTest {

    static final Classifier.ModelSpec SPEC = new Classifier.ModelSpec(Architecture.RESNET18, 1, 28, 28, 10,
            new float[] {0.2860f}, new float[] {0.3530f});

    @Test
    void onlyTrainModeForwardPassesMoveTheRunningStatistics() throws IOException {
        byte[] weights;
        try (Classifier fresh = Classifier.create(SPEC, Device.cpu(), 3)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fresh.save(out);
            weights = out.toByteArray();
        }
        // Soft: every violated property is reported, with the size of the change.
        SoftAssertions soft = new SoftAssertions();
        // Loading is where the weights' gradients are switched on (and after every attack).
        try (Classifier model = Classifier.load(SPEC, Device.cpu(), new ByteArrayInputStream(weights));
             NDManager scope = model.manager().newSubManager()) {
            Batches.Batch batch = new Batches(FashionMnist.train().subset(0, 8), 8).get(scope, null, 0, null, null);
            soft.assertThat(trackingGradients(statistics(model))).as("running statistics tracking gradients after loading").isZero();

            List<float[]> loaded = values(model);
            Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), new PgdSettings(Norm.L2, 1.5f, 0.3f, 3, false, 1, true))
                    .attach(scope);
            soft.assertThat(maxDifference(values(model), loaded)).as("change of the statistics by an eval-mode attack").isZero();
            soft.assertThat(trackingGradients(statistics(model))).as("running statistics tracking gradients after an attack").isZero();
            List<Parameter> trainable = model.parameterList().values().stream().filter(Parameter::requiresGradient).toList();
            soft.assertThat(trackingGradients(trainable)).as("trainable weights tracking gradients after an attack")
                    .isEqualTo(trainable.size()).isPositive();

            // The paper's optimiser; two steps so that momentum acts too.
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            float[] firstConv = model.parameterList().valueAt(0).getArray().toFloatArray();
            for (int step = 1; step <= 2; step++) {
                List<float[]> afterForward;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.logits(batch.images(), true);
                    afterForward = values(model);
                    gc.backward(AttackLoss.crossEntropy(logits, batch.labels()).mean());
                }
                soft.assertThat(maxDifference(afterForward, loaded)).as("a train-mode pass moves the statistics").isPositive();
                sgd.step(model.parameterList(), 0.1f);
                soft.assertThat(maxDifference(values(model), afterForward)).as("change of the statistics by SGD step " + step).isZero();
            }
            soft.assertThat(model.parameterList().valueAt(0).getArray().toFloatArray()).as("SGD moved the weights").isNotEqualTo(firstConv);

            List<float[]> trained = values(model);
            model.logits(batch.images(), false);
            soft.assertThat(maxDifference(values(model), trained)).as("change of the statistics by an eval-mode pass").isZero();
        }
        soft.assertAll();
    }

    private static List<Parameter> statistics(Classifier c) {
        return c.parameterList().values().stream()
                .filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR).toList();
    }

    private static long trackingGradients(List<Parameter> parameters) {
        return parameters.stream().filter(p -> p.getArray().hasGradient()).count();
    }

    private static List<float[]> values(Classifier c) {
        return statistics(c).stream().map(p -> p.getArray().toFloatArray()).toList();
    }

    /** The largest absolute difference between corresponding statistics. */
    private static double maxDifference(List<float[]> a, List<float[]> b) {
        assertThat(a).hasSameSizeAs(b).isNotEmpty();
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return max;
    }
}
