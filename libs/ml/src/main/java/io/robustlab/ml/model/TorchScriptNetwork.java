package io.robustlab.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;

/**
 * A TorchScript module (torch.jit.trace or script, made in PyTorch) run by libtorch through DJL.
 * The module takes [0,1] images and normalises inside, as RobustLab's own models do.
 *
 * <p>DJL's own forward turns autograd off outside training and switches the module to train mode
 * in training, so an attack could get no input gradient, or one through BatchNorm's batch
 * statistics. This class sets the module's mode itself and always runs it with autograd left to
 * the thread (on inside a GradientCollector, off elsewhere): eval-mode passes with input gradients.
 * The weights are loaded as ordinary tensors (DJL's trainParam; otherwise they are inference tensors
 * that autograd refuses) and never track gradients: an imported model is attacked, not trained.
 * Like every {@link Classifier}, it serves one thread at a time (the job or request that loaded it):
 * the module's mode is state.
 */
final class TorchScriptNetwork implements Network {

    /** DJL runs the module method named by an input array with this name prefix instead of forward. */
    private static final String METHOD_MARKER = "module_method:";

    private final PtSymbolBlock module;
    private final String representationMethod;
    private Boolean trainMode;

    TorchScriptNetwork(NDManager manager, Path file, String representationMethod) {
        this.module = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
        this.representationMethod = representationMethod == null || representationMethod.isBlank() ? null : representationMethod;
        for (Parameter p : module.getDirectParameters().values()) {
            p.getArray().setRequiresGradient(false);
        }
    }

    @Override
    public NDArray logits(NDArray images, boolean training) {
        return run(new NDList(images), training).singletonOrThrow();
    }

    @Override
    public NDArray representation(NDArray images, boolean training, boolean straightThroughRelu) {
        if (representationMethod == null) {
            throw new UnsupportedOperationException("the imported model names no representation method in its manifest");
        }
        if (straightThroughRelu) {
            throw new UnsupportedOperationException(
                    "a straight-through last ReLU needs RobustLab's own blocks; an imported TorchScript model cannot give it");
        }
        NDArray marker = images.getManager().create(0f);
        marker.setName(METHOD_MARKER + representationMethod);
        try {
            return run(new NDList(images, marker), training).singletonOrThrow();
        } finally {
            marker.close();
        }
    }

    @Override
    public boolean hasRepresentation() {
        return representationMethod != null;
    }

    private NDList run(NDList inputs, boolean training) {
        if (trainMode == null || trainMode != training) {
            if (training) {
                JniUtils.enableTrainingMode(module);
            } else {
                JniUtils.enableInferenceMode(module);
            }
            trainMode = training;
        }
        // "isTrain" here only means: do not force autograd off. The module's mode was set above.
        return IValueUtils.forward(module, inputs, true);
    }

    @Override
    public void trackWeightGradients(boolean on) {
        // Never on: see the class comment.
    }

    @Override
    public void close() {
        module.close();
    }
}
