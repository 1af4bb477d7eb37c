package io.robustlab.ml.model;

import ai.djl.MalformedModelException;
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
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** A RobustLab architecture built from DJL blocks: normalize, features (ending in the representation), head. */
final class NativeNetwork implements Network {

    private final Classifier.ModelSpec spec;
    private final NDManager manager;
    private final Block normalize;
    private final SequentialBlock features;
    private final Block head;
    private final SequentialBlock root;
    private final ParameterStore parameters;
    /** From {@link #features} down to the representation's last ReLU (empty for the linear model). */
    private final List<Block> toLastRelu;

    NativeNetwork(Classifier.ModelSpec spec, NDManager manager) {
        this.spec = spec;
        this.manager = manager;
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

    Classifier.ModelSpec spec() {
        return spec;
    }

    void initialize(DataType precision) {
        root.initialize(manager, precision, new Shape(1, spec.channels(), spec.height(), spec.width()));
    }

    void loadWeights(InputStream weights) throws IOException {
        try {
            root.loadParameters(manager, new DataInputStream(weights));
            // Loading replaces the weight arrays with ones that track no gradient: training needs them to.
            trackWeightGradients(true);
        } catch (MalformedModelException e) {
            throw new IOException("weights do not fit a " + spec.architecture().apiName() + " model: " + e.getMessage(), e);
        }
    }

    void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        root.saveParameters(data);
        data.flush();
    }

    @Override
    public NDArray logits(NDArray images, boolean training) {
        return root.forward(parameters, new NDList(images), training).singletonOrThrow();
    }

    @Override
    public NDArray representation(NDArray images, boolean training, boolean straightThroughRelu) {
        NDList normalized = normalize.forward(parameters, new NDList(images), training);
        NDList out = straightThroughRelu ? forwardStraightThrough(features, normalized, training)
                : features.forward(parameters, normalized, training);
        return out.singletonOrThrow();
    }

    @Override
    public boolean hasRepresentation() {
        return true;
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

    PairList<String, Parameter> parameterList() {
        return root.getParameters();
    }

    /** The top-level blocks under the names PyTorch's equivalent module gives them. */
    PairList<String, Block> namedParts() {
        PairList<String, Block> parts = new PairList<>();
        parts.add("normalize", normalize);
        parts.add("features", features);
        parts.add("head", head);
        return parts;
    }

    /**
     * BatchNorm's running statistics are left alone: they are state that train-mode passes update,
     * and PyTorch refuses a train-mode pass under autograd when they track gradients.
     */
    @Override
    public void trackWeightGradients(boolean on) {
        for (Parameter p : root.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(on);
            }
        }
    }

    @Override
    public void close() {
        // The arrays live in the classifier's manager, which closes them.
    }
}
