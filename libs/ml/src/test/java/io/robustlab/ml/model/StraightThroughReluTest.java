package io.robustlab.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Batches;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The straight-through last ReLU of the representation (the reference library's fake_relu): the
 * values are the representation's, the gradient passes the last ReLU as if it were the identity.
 * On real Fashion-MNIST images and freshly initialised models, in eval mode (as inversions run).
 */
class StraightThroughReluTest {

    /** The architectures whose representation is the output of a ReLU, with no pooling after it. */
    private static final List<Architecture> UNPOOLED = List.of(Architecture.SMALL_CNN, Architecture.LENET, Architecture.MLP);

    private static Classifier model(Architecture a, DataType precision) {
        Classifier c = Classifier.create(new Classifier.ModelSpec(a, 1, 28, 28, 10, new float[] {0.286f}, new float[] {0.353f}),
                Device.cpu(), 5, precision);
        c.trackWeightGradients(false); // only input gradients are wanted here
        return c;
    }

    private static NDArray images(NDManager scope, DataType precision) {
        NDArray x = new Batches(FashionMnist.test().subset(0, 4), 4).get(scope, null, 0, null, null).images();
        return x.toType(precision, false);
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, mode = EnumSource.Mode.EXCLUDE, names = "TORCHSCRIPT")
    void valuesAreTheRepresentationsAndOnlyUnitsThatAreOffGainGradient(Architecture a) {
        try (Classifier model = model(a, DataType.FLOAT32); NDManager scope = model.manager().newSubManager()) {
            NDArray x = images(scope, DataType.FLOAT32);
            NDArray g = model.representation(x, false);
            assertThat(model.representation(x, false, true).toFloatArray()).as("forward values").containsExactly(g.toFloatArray());

            // Upstream gradients on the units that are off (0: every position of their last ReLU off) and on the rest.
            NDArray off = g.eq(0).toType(g.getDataType(), false);
            NDArray on = g.gt(0).toType(g.getDataType(), false);
            float[] ordinaryOff = inputGradient(model, x, off, false);
            float[] straightOff = inputGradient(model, x, off, true);
            if (a == Architecture.LINEAR) {
                // No ReLU at all: the representation is the pixels, and both gradients are the same.
                assertThat(straightOff).containsExactly(ordinaryOff);
                assertThat(inputGradient(model, x, on, true)).containsExactly(inputGradient(model, x, on, false));
                return;
            }
            assertThat(off.sum().getFloat()).as("units off in the batch").isPositive();
            assertThat(maxAbs(ordinaryOff)).as("ordinary gradient through units that are off").isZero();
            assertThat(maxAbs(straightOff)).as("straight-through gradient through units that are off").isPositive();
            if (UNPOOLED.contains(a)) {
                // Units that are on pass the gradient either way: dropping the off units' part of the
                // straight-through gradient gives the ordinary one.
                NDArray all = g.onesLike();
                assertThat(inputGradient(model, x, on, true)).usingComparatorWithPrecision(1e-6f)
                        .containsExactly(inputGradient(model, x, all, false));
            }
        }
    }

    /**
     * Analytically, on the mlp in float64: the straight-through gradient is that of the network
     * without its last ReLU, W2 relu(W1 x + b1) + b2 written out here from the model's weights.
     */
    @Test
    void onTheMlpTheGradientIsThatOfTheNetworkWithoutItsLastRelu() {
        try (Classifier model = model(Architecture.MLP, DataType.FLOAT64); NDManager scope = model.manager().newSubManager()) {
            NDArray x = images(scope, DataType.FLOAT64);
            NDArray upstream = scope.randomNormal(model.representation(x, false).getShape()).toType(DataType.FLOAT64, false);
            double[] straight = inputGradientOf(x, z -> model.representation(z, false, true).mul(upstream).sum());

            List<Parameter> p = model.parameterList().values();
            NDArray w1 = p.get(0).getArray();
            NDArray b1 = p.get(1).getArray();
            NDArray w2 = p.get(2).getArray();
            NDArray b2 = p.get(3).getArray();
            double[] surrogate = inputGradientOf(x, z -> {
                NDArray flat = z.sub((double) 0.286f).div((double) 0.353f).reshape(4, -1); // the model normalises with float32 constants
                NDArray hidden = Activation.relu(flat.matMul(w1.transpose()).add(b1));
                return hidden.matMul(w2.transpose()).add(b2).mul(upstream).sum();
            });
            assertThat(maxAbs(surrogate)).isPositive();
            for (int i = 0; i < surrogate.length; i++) {
                assertThat(straight[i]).as("pixel " + i).isCloseTo(surrogate[i], offset(1e-12 + 1e-9 * Math.abs(surrogate[i])));
            }
        }
    }

    /** d/dx of sum(upstream * g(x)), through the ordinary or the straight-through representation. */
    private static float[] inputGradient(Classifier model, NDArray x, NDArray upstream, boolean straightThrough) {
        NDArray xv = x.duplicate();
        xv.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(model.representation(xv, false, straightThrough).mul(upstream).sum());
        }
        return xv.getGradient().toFloatArray();
    }

    private static double[] inputGradientOf(NDArray x, java.util.function.UnaryOperator<NDArray> loss) {
        NDArray xv = x.duplicate();
        xv.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(xv));
        }
        return xv.getGradient().toDoubleArray();
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
