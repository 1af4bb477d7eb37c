package io.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RobustLab's weights under the names of PyTorch's state_dict for the same network in
 * python/robustlab/models.py. That module mirrors the DJL block tree: a child's place in a
 * sequential (or parallel) block is its index, the three top-level parts are named normalize,
 * features and head, and DJL's parameter names become PyTorch's (BatchNorm's gamma is its weight).
 * Normalisation is stored too, as the buffers normalize.mean and normalize.std, and every BatchNorm
 * gets PyTorch's num_batches_tracked (0: RobustLab does not count batches; PyTorch uses it only with momentum=None).
 */
final class TorchStateDict {

    private static final Map<String, String> PARAMETER_NAMES = Map.of(
            "weight", "weight", "bias", "bias", "gamma", "weight", "beta", "bias",
            "runningMean", "running_mean", "runningVar", "running_var");
    private static final String BATCHES_TRACKED = "num_batches_tracked";

    private TorchStateDict() {
    }

    static Map<String, NDArray> of(NativeNetwork network, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("normalize.mean", scope.create(channels(network, network.spec().mean())));
        out.put("normalize.std", scope.create(channels(network, network.spec().std())));
        walk(network, (name, p) -> {
            NDArray copy = p.getArray().duplicate();
            copy.attach(scope);
            out.put(name, copy);
        }, name -> out.put(name, scope.create(0L)));
        return out;
    }

    /**
     * Copies {@code state} into the network's weights: every weight's name must be there in its
     * shape, and no unknown name. The buffers are optional: normalize.mean and normalize.std, if
     * present, must equal the spec's; num_batches_tracked is ignored.
     */
    static void load(NativeNetwork network, Map<String, NDArray> state) {
        Map<String, Parameter> expected = new LinkedHashMap<>();
        List<String> buffers = new ArrayList<>(List.of("normalize.mean", "normalize.std"));
        walk(network, expected::put, buffers::add);
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(expected.keySet());
        unexpected.removeAll(buffers);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("the weights do not fit a " + network.spec().architecture().apiName() + " model"
                    + (missing.isEmpty() ? "" : "; missing " + first(missing))
                    + (unexpected.isEmpty() ? "" : "; unexpected " + first(unexpected)));
        }
        requireSame(state.get("normalize.mean"), channels(network, network.spec().mean()), "normalize.mean", "mean");
        requireSame(state.get("normalize.std"), channels(network, network.spec().std()), "normalize.std", "std");
        network.trackWeightGradients(false);
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            NDArray target = e.getValue().getArray();
            NDArray source = state.get(e.getKey());
            if (!source.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + source.getShape() + ", the model needs " + target.getShape());
            }
            target.set(source.toType(target.getDataType(), false).toByteBuffer());
        }
        network.trackWeightGradients(true);
    }

    private interface ParameterVisitor {
        void visit(String name, Parameter parameter);
    }

    private interface BufferVisitor {
        void visit(String name);
    }

    private static void walk(NativeNetwork network, ParameterVisitor parameters, BufferVisitor batchCounts) {
        for (Pair<String, Block> part : network.namedParts()) {
            walk(part.getValue(), part.getKey() + ".", parameters, batchCounts);
        }
    }

    private static void walk(Block block, String prefix, ParameterVisitor parameters, BufferVisitor batchCounts) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = PARAMETER_NAMES.get(p.getKey());
            if (name == null) {
                throw new IllegalStateException("no PyTorch name for DJL parameter " + p.getKey() + " of " + block.getClass().getSimpleName());
            }
            parameters.visit(prefix + name, p.getValue());
        }
        if (block instanceof BatchNorm) {
            batchCounts.visit(prefix + BATCHES_TRACKED);
        }
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            walk(child.getValue(), prefix + index++ + ".", parameters, batchCounts);
        }
    }

    private static float[] channels(NativeNetwork network, float[] values) {
        return Networks.perChannel(values, network.spec().channels());
    }

    private static void requireSame(NDArray given, float[] expected, String name, String manifestField) {
        if (given == null) {
            return;
        }
        float[] g = given.toType(DataType.FLOAT32, false).toFloatArray();
        if (g.length != expected.length) {
            throw new IllegalArgumentException(name + " has " + g.length + " values, the model has " + expected.length + " channels");
        }
        for (int i = 0; i < g.length; i++) {
            if (Math.abs(g[i] - expected[i]) > 1e-6f * Math.max(1f, Math.abs(expected[i]))) {
                throw new IllegalArgumentException(name + " in the weights disagrees with the manifest's " + manifestField);
            }
        }
    }

    private static String first(TreeSet<String> names) {
        return String.join(", ", names.stream().limit(5).toList()) + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
