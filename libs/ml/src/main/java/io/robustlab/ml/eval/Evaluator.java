package io.robustlab.ml.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.function.IntConsumer;

/** Standard and robust accuracy, per class and as a confusion matrix. BatchNorm in eval mode throughout. */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Accuracy of {@code model} on {@code data}, on clean images when {@code attack} is null, else on
     * the adversarial examples PGD finds against the model itself.
     *
     * @param progress called with the number of batches done
     */
    public static Confusion accuracy(Classifier model, ImageDataset data, PgdSettings attack, int batchSize, IntConsumer progress) {
        int[] predicted = predictions(model, data, attack, batchSize, progress);
        Confusion confusion = new Confusion(model.spec().classes());
        int[] truth = data.labels();
        for (int i = 0; i < predicted.length; i++) {
            confusion.add(truth[i], predicted[i]);
        }
        return confusion;
    }

    /**
     * The class {@code model} predicts for each example of {@code data}, in order: on the clean image
     * when {@code attack} is null, else on the adversarial example PGD finds against the model for the
     * example's label. Clean predictions compute no gradients. Callers that compare predictions with
     * labels other than the dataset's own (e.g. a construction's targets) start here.
     *
     * @param progress called with the number of batches done
     */
    public static int[] predictions(Classifier model, ImageDataset data, PgdSettings attack, int batchSize, IntConsumer progress) {
        DjlRuntime.noGradOnThisThread();
        int[] out = new int[data.size()];
        Batches batches = new Batches(data, batchSize);
        for (int b = 0; b < batches.count(); b++) {
            try (NDManager scope = model.manager().newSubManager()) {
                Batches.Batch batch = batches.get(scope, null, b, null, null);
                NDArray x = attack == null ? batch.images() : Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), attack);
                int[] predicted = model.logits(x, false).argMax(1).toType(DataType.INT32, false).toIntArray();
                System.arraycopy(predicted, 0, out, b * batchSize, predicted.length);
            }
            progress.accept(b + 1);
        }
        return out;
    }
}
