package io.robustlab.ml.attack;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.function.UnaryOperator;

/**
 * A model as the suite attacks (APGD, FAB, Square) see it: logits of a host batch of [0,1] images,
 * and, for the gradient attacks, a loss of those logits with its input gradient. Every call runs
 * in its own NDManager scope, closed before it returns, so attacks of any length hold no native
 * memory between queries. BatchNorm is in eval mode; the weights stop tracking gradients while
 * this is open. It counts the images passed forward and backward, the attacks' query budget.
 */
public final class ModelQueries implements AutoCloseable {

    /** Logits, per-example losses and the input gradient of their sum, for {@code n} examples. */
    public record Evaluation(float[] logits, float[] loss, float[] gradient) {
    }

    private final NDManager manager;
    private final UnaryOperator<NDArray> logits;
    private final Runnable onClose;
    private final Shape image;
    private final int classes;
    private long forwards;
    private long backwards;

    ModelQueries(NDManager manager, UnaryOperator<NDArray> logits, Runnable onClose, int channels, int height, int width,
                 int classes) {
        this.manager = manager;
        this.logits = logits;
        this.onClose = onClose;
        this.image = new Shape(channels, height, width);
        this.classes = classes;
    }

    /** The classifier itself, in eval mode. */
    public static ModelQueries of(Classifier model) {
        return of(model, UnaryOperator.identity());
    }

    /**
     * The classifier behind a fixed input transformation: how a defence that preprocesses its input
     * (and the tests' planted gradient-masking model) is attacked end to end.
     */
    public static ModelQueries of(Classifier model, UnaryOperator<NDArray> preprocess) {
        Classifier.ModelSpec spec = model.spec();
        model.trackWeightGradients(false);
        return new ModelQueries(model.manager(), x -> model.logits(preprocess.apply(x), false), () -> model.trackWeightGradients(true),
                spec.channels(), spec.height(), spec.width(), spec.classes());
    }

    public int dimension() {
        return (int) image.size();
    }

    public int classes() {
        return classes;
    }

    /** Images passed forward so far (each image of a batch counts once). */
    public long forwards() {
        return forwards;
    }

    /** Images whose input gradient was computed so far. */
    public long backwards() {
        return backwards;
    }

    /** Logits of the first {@code n} images of {@code x}, row-major n x classes; no gradient is computed. */
    public float[] logits(float[] x, int n) {
        DjlRuntime.noGradOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            float[] out = logits.apply(images(scope, x, n)).toFloatArray();
            forwards += n;
            return out;
        }
    }

    /** The loss of each of the first {@code n} images and the gradient of their sum with respect to the images. */
    public Evaluation evaluate(float[] x, int n, LogitLoss loss) {
        DjlRuntime.noGradOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = images(scope, x, n);
            input.setRequiresGradient(true);
            NDArray z;
            NDArray l;
            float[] gradient;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                z = logits.apply(input);
                l = loss.perExample(z);
                try {
                    gc.backward(l.sum());
                    gradient = input.getGradient().toFloatArray();
                } catch (EngineException detached) {
                    // A model that cuts its output from its input (a defence that detaches it) has no
                    // gradient to give: zero, which the diagnostics report, rather than a failed evaluation.
                    gradient = new float[n * dimension()];
                }
            }
            Evaluation e = new Evaluation(z.stopGradient().toFloatArray(), l.stopGradient().toFloatArray(), gradient);
            forwards += n;
            backwards += n;
            return e;
        }
    }

    /** The predicted class of each of the first {@code n} images, given their logits. */
    public int[] predictions(float[] logitRows, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logitRows[i * classes + k] > logitRows[i * classes + best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private NDArray images(NDManager scope, float[] x, int n) {
        int d = dimension();
        float[] batch = x.length == n * d ? x : java.util.Arrays.copyOf(x, n * d);
        return scope.create(batch, new Shape(n, image.get(0), image.get(1), image.get(2)));
    }

    @Override
    public void close() {
        onClose.run();
    }
}
