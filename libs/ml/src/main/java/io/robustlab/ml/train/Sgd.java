package io.robustlab.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum and weight decay, PyTorch's rule: {@code d = g + wd * w; v = mu * v + d;
 * w -= lr * v}. Written here rather than taken from DJL so that the momentum buffers are ours to
 * checkpoint: a job resumed after a crash continues exactly where it stopped.
 */
public final class Sgd {

    private final float momentum;
    private final float weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> velocity = new LinkedHashMap<>();

    public Sgd(NDManager manager, float momentum, float weightDecay) {
        this.manager = manager;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /**
     * Applies one update from the weights' gradients, then zeroes them (DJL's collector does not).
     * Only trainable parameters: weight decay and momentum would otherwise shrink BatchNorm's running statistics.
     */
    public void step(PairList<String, Parameter> parameters, float learningRate) {
        for (Pair<String, Parameter> entry : parameters) {
            NDArray w = entry.getValue().getArray();
            if (!entry.getValue().requiresGradient() || !w.hasGradient()) {
                continue;
            }
            try (NDManager scope = manager.newSubManager()) {
                // Results land in their first operand's manager (the weights' long-lived one): move each into the scope.
                NDArray g = w.getGradient();
                g.attach(scope);
                NDArray decay = w.mul(weightDecay);
                decay.attach(scope);
                NDArray d = g.add(decay);
                NDArray v = velocity.computeIfAbsent(entry.getKey(), k -> {
                    NDArray zeros = w.zerosLike();
                    zeros.attach(manager);
                    return zeros;
                });
                v.muli(momentum).addi(d);
                NDArray delta = v.mul(learningRate);
                delta.attach(scope);
                w.subi(delta);
                g.subi(g);
            }
        }
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(velocity.size());
        for (Map.Entry<String, NDArray> e : velocity.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = e.getValue().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    public void load(DataInputStream in) throws IOException {
        velocity.values().forEach(NDArray::close);
        velocity.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            NDArray v = manager.decode(bytes);
            velocity.put(name, v);
        }
    }
}
