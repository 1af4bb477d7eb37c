package io.robustlab.ml;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.AttackLoss;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.Pgd;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.data.Batches;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.Sgd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every NDArray a batch creates dies with the batch: the model's manager holds the same number of
 * arrays after sixty batches of training, attacking and evaluating as after the first. (RSS over
 * 2,000 batches of each is measured by bench/memory-benchmark.sh.)
 */
class NdArrayScopesTest {

    @Test
    void trainingAttackingAndEvaluatingLeaveNoArraysBehind() {
        ImageDataset data = FashionMnist.train().subset(0, 32 * 60);
        var spec = new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10, new float[] {0.286f}, new float[] {0.353f});
        PgdSettings pgd = new PgdSettings(Norm.LINF, 0.1f, 0.025f, 3, true, 1, true);
        try (Classifier model = Classifier.create(spec, Device.cpu(), 1)) {
            Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
            Batches batches = new Batches(data, 32);
            Random random = new Random(1);
            trainOne(model, sgd, batches, 0, pgd, random); // creates the momentum buffers
            int arrays = model.manager().getManagedArrays().size();

            for (int b = 1; b < batches.count(); b++) {
                trainOne(model, sgd, batches, b, b % 2 == 0 ? pgd : null, random);
            }
            assertThat(model.manager().getManagedArrays()).as("after training").hasSize(arrays);

            for (int b = 0; b < batches.count(); b++) {
                try (NDManager scope = model.manager().newSubManager()) {
                    Batches.Batch batch = batches.get(scope, null, b, null, null);
                    Pgd.attack(model, batch.images(), AttackLoss.untargeted(batch.labels()), pgd);
                }
            }
            assertThat(model.manager().getManagedArrays()).as("after attacking").hasSize(arrays);

            Evaluator.accuracy(model, data, null, 64, done -> { });
            assertThat(model.manager().getManagedArrays()).as("after evaluating").hasSize(arrays);
        }
    }

    private static void trainOne(Classifier model, Sgd sgd, Batches batches, int b, PgdSettings pgd, Random random) {
        try (NDManager scope = model.manager().newSubManager()) {
            ClassifierTrainer.trainBatch(model, sgd, batches.get(scope, null, b, new Augmentation(2, true), random), pgd, 0.05f);
        }
    }
}
