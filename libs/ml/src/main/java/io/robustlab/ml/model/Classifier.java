package io.robustlab.ml.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.robustlab.ml.runtime.DjlRuntime;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An image classifier that takes [0,1] images and normalises inside (so every attack works in
 * pixel units), with its representation (penultimate) layer exposed for the paper's constructions.
 * Owns its NDManager: close it to free the parameters.
 */
public final class Classifier implements AutoCloseable {

    private final ModelSpec spec;
    private final NDManager manager;
    private final Block normalize;
    private final SequentialBlock features;
    private final Block head;
    private final SequentialBlock root;
    private final ParameterStore parameters;
    /** From {@link #features} down to the representation's last ReLU (empty for the linear model). */
    private final List<Block> toLastRelu;

    /** What defines a model's shape; stored beside its weights so they can be loaded again. */
    public record ModelSpec(Architecture architecture, int channels, int height, int width, int classes, float[] mean, float[] std) {
    }

    private Classifier(ModelSpec spec, Device device) {
        DjlRuntime.engine();
        this.spec = spec;
        this.manager = NDManager.newBaseManager(device);
        this.normalize = Networks.normalize(spec.mean(), spec.std());
        this.features = spec.architecture().features();
        this.head = Linear.builder().setUnits(spec.classes()).build();
        this.root = new SequentialBlock().add(normalize).add(features).add(head);
        this.toLastRelu = Networks.pathToRepresentationRelu(features);
        // PyTorch's default for convolutions and linear layers: uniform in +-sqrt(1/fan_in).
        root.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1),
                Parameter.Type.WEIGHT);
        this.parameters = new ParameterStore(manager, false);
    }

    /** A new float32 model with weights drawn from the engine's generator seeded with {@code seed}. */
    public static Classifier create(ModelSpec spec, Device device, long seed) {
        return create(spec, device, seed, DataType.FLOAT32);
    }

    /** The same in another precision: float64 checks gradients against finite differences. */
    public static Classifier create(ModelSpec spec, Device device, long seed, DataType precision) {
        Classifier c = new Classifier(spec, device);
        Engine.getInstance().setRandomSeed((int) seed);
        c.root.initialize(c.manager, precision, new Shape(1, spec.channels(), spec.height(), spec.width()));
        return c;
    }

    /** A model with the weights written by {@link #save}. */
    public static Classifier load(ModelSpec spec, Device device, InputStream weights) throws IOException {
        Classifier c = new Classifier(spec, device);
        c.root.initialize(c.manager, DataType.FLOAT32, new Shape(1, spec.channels(), spec.height(), spec.width()));
        c.loadWeights(weights);
        return c;
    }

    /** Replaces the weights with ones written by {@link #save} for a model of the same spec. */
    public void loadWeights(InputStream weights) throws IOException {
        try {
            root.loadParameters(manager, new DataInputStream(weights));
            // Loading replaces the weight arrays with ones that track no gradient: training needs them to.
            trackWeightGradients(true);
        } catch (MalformedModelException e) {
            throw new IOException("weights do not fit a " + spec.architecture().apiName() + " model: " + e.getMessage(), e);
        }
    }

    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        root.saveParameters(data);
        data.flush();
    }

    /** Class scores for a batch of [0,1] images. {@code training} selects BatchNorm's batch statistics. */
    public NDArray logits(NDArray images, boolean training) {
        return root.forward(parameters, new NDList(images), training).singletonOrThrow();
    }

    /** The penultimate layer: the representation g(x) the paper's D_R / D_NR constructions invert. */
    public NDArray representation(NDArray images, boolean training) {
        return representation(images, training, false);
    }

    /**
     * The representation, with {@code straightThroughRelu} computed through a straight-through last
     * ReLU (the reference library's fake_relu): the same values, but the ReLU's backward pass is the
     * identity, so units that are off still get gradient and an inversion can switch them on. The
     * linear model has no such ReLU: there both are the same.
     */
    public NDArray representation(NDArray images, boolean training, boolean straightThroughRelu) {
        NDList normalized = normalize.forward(parameters, new NDList(images), training);
        NDList out = straightThroughRelu ? forwardStraightThrough(features, normalized, training)
                : features.forward(parameters, normalized, training);
        return out.singletonOrThrow();
    }

    /** Runs {@code block} child by child along {@link #toLastRelu}, replacing that ReLU; blocks off the path as usual. */
    private NDList forwardStraightThrough(Block block, NDList x, boolean training) {
        if (!toLastRelu.contains(block)) {
            return block.forward(parameters, x, training);
        }
        if (block == toLastRelu.get(toLastRelu.size() - 1)) {
            NDArray pre = x.singletonOrThrow();
            // pre + (relu(pre) - pre) is relu(pre) exactly in floating point; the gradient sees only pre.
            return new NDList(pre.add(Activation.relu(pre).sub(pre).stopGradient()));
        }
        NDList out = x;
        for (Block child : block.getChildren().values()) {
            out = forwardStraightThrough(child, out, training);
        }
        return out;
    }

    public PairList<String, Parameter> parameterList() {
        return root.getParameters();
    }

    /**
     * Switches gradient tracking of the trainable weights; attacks turn it off so they never touch
     * the weights' gradients. BatchNorm's running statistics are left alone: they are state that
     * train-mode passes update, and PyTorch refuses a train-mode pass under autograd when they track gradients.
     */
    public void trackWeightGradients(boolean on) {
        for (Parameter p : root.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(on);
            }
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    @Override
    public void close() {
        manager.close();
    }
}
