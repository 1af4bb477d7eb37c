package io.robustlab.ml.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.robustlab.ml.runtime.DjlRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * An image classifier that takes [0,1] images and normalises inside (so every attack works in
 * pixel units), with its representation (penultimate) layer exposed for the paper's constructions.
 * It is one of RobustLab's architectures, built from DJL blocks, or a TorchScript module imported
 * from PyTorch (architecture {@link Architecture#TORCHSCRIPT}), which is attacked and evaluated like
 * any other but not trained or saved as RobustLab weights. Owns its NDManager: close it to free the parameters.
 */
public final class Classifier implements AutoCloseable {

    private final ModelSpec spec;
    private final NDManager manager;
    private final Network network;

    /**
     * What defines a model's shape; stored beside its weights so they can be loaded again. An
     * imported TorchScript model normalises inside its own module: its mean and std are empty.
     */
    public record ModelSpec(Architecture architecture, int channels, int height, int width, int classes, float[] mean, float[] std) {
    }

    private Classifier(ModelSpec spec, NDManager manager, Network network) {
        this.spec = spec;
        this.manager = manager;
        this.network = network;
    }

    private static Classifier newNative(ModelSpec spec, Device device) {
        DjlRuntime.engine();
        NDManager manager = NDManager.newBaseManager(device);
        return new Classifier(spec, manager, new NativeNetwork(spec, manager));
    }

    /** A new float32 model with weights drawn from the engine's generator seeded with {@code seed}. */
    public static Classifier create(ModelSpec spec, Device device, long seed) {
        return create(spec, device, seed, DataType.FLOAT32);
    }

    /** The same in another precision: float64 checks gradients against finite differences. */
    public static Classifier create(ModelSpec spec, Device device, long seed, DataType precision) {
        Classifier c = newNative(spec, device);
        Engine.getInstance().setRandomSeed((int) seed);
        c.nativeNetwork().initialize(precision);
        return c;
    }

    /** A model with the weights written by {@link #save}. */
    public static Classifier load(ModelSpec spec, Device device, InputStream weights) throws IOException {
        Classifier c = newNative(spec, device);
        try {
            c.nativeNetwork().initialize(DataType.FLOAT32);
            c.loadWeights(weights);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A model of {@code spec} with the weights of PyTorch's equivalent module's state_dict (see {@link TorchStateDict}). */
    public static Classifier fromStateDict(ModelSpec spec, Device device, Map<String, NDArray> stateDict) {
        Classifier c = newNative(spec, device);
        try {
            c.nativeNetwork().initialize(DataType.FLOAT32);
            TorchStateDict.load(c.nativeNetwork(), stateDict);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A TorchScript module saved by PyTorch ({@code torch.jit.save}) in {@code file}; {@code spec}
     * gives its input shape and class count (architecture {@link Architecture#TORCHSCRIPT}),
     * {@code representationMethod} (may be null) the module's method that returns the representation.
     */
    public static Classifier loadTorchScript(ModelSpec spec, Device device, Path file, String representationMethod) {
        if (spec.architecture() != Architecture.TORCHSCRIPT) {
            throw new IllegalArgumentException("a TorchScript model's spec names architecture " + spec.architecture());
        }
        DjlRuntime.engine();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new Classifier(spec, manager, new TorchScriptNetwork(manager, file, representationMethod));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Replaces the weights with ones written by {@link #save} for a model of the same spec. */
    public void loadWeights(InputStream weights) throws IOException {
        nativeNetwork().loadWeights(weights);
    }

    public void save(OutputStream out) throws IOException {
        nativeNetwork().save(out);
    }

    /**
     * The weights under the names of PyTorch's equivalent module's state_dict (python/robustlab),
     * as copies attached to {@code scope}.
     */
    public Map<String, NDArray> stateDict(NDManager scope) {
        return TorchStateDict.of(nativeNetwork(), scope);
    }

    /** Class scores for a batch of [0,1] images. {@code training} selects BatchNorm's batch statistics. */
    public NDArray logits(NDArray images, boolean training) {
        return network.logits(images, training);
    }

    /** The penultimate layer: the representation g(x) the paper's D_R / D_NR constructions invert. */
    public NDArray representation(NDArray images, boolean training) {
        return representation(images, training, false);
    }

    /**
     * The representation, with {@code straightThroughRelu} computed through a straight-through last
     * ReLU (the reference library's fake_relu): the same values, but the ReLU's backward pass is the
     * identity, so units that are off still get gradient and an inversion can switch them on. The
     * linear model has no such ReLU: there both are the same. Imported TorchScript models give
     * neither unless their manifest names a representation method, and never the straight-through one.
     */
    public NDArray representation(NDArray images, boolean training, boolean straightThroughRelu) {
        return network.representation(images, training, straightThroughRelu);
    }

    /** Per image, the L2 distance of its representation from {@code target} (one row per image), BatchNorm in eval mode. */
    public NDArray representationDistance(NDArray images, NDArray target, boolean straightThroughRelu) {
        return representation(images, false, straightThroughRelu).sub(target).square().sum(new int[] {1}).sqrt();
    }

    /** False for an imported model whose manifest names no representation method. */
    public boolean hasRepresentation() {
        return network.hasRepresentation();
    }

    /** Whether this is an imported TorchScript module rather than one of RobustLab's architectures. */
    public boolean isTorchScript() {
        return network instanceof TorchScriptNetwork;
    }

    public PairList<String, Parameter> parameterList() {
        return nativeNetwork().parameterList();
    }

    /**
     * Switches gradient tracking of the trainable weights; attacks turn it off so they never touch
     * the weights' gradients.
     */
    public void trackWeightGradients(boolean on) {
        network.trackWeightGradients(on);
    }

    private NativeNetwork nativeNetwork() {
        if (network instanceof NativeNetwork n) {
            return n;
        }
        throw new UnsupportedOperationException("an imported TorchScript model is evaluated and attacked here, not trained or re-saved");
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
        network.close();
        manager.close();
    }
}
