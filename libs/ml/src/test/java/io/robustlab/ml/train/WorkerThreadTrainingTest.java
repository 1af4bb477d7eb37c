package io.robustlab.ml.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Services start the engine on their main thread and train on worker threads. DJL turns grad mode
 * off only on the thread that starts the engine; PyTorch's mode is per thread and on by default, so
 * without care a worker thread's weight update fails. This test reproduces that arrangement.
 */
class WorkerThreadTrainingTest {

    @Test
    void trainsOnAThreadOtherThanTheOneThatStartedTheEngine() throws Exception {
        DjlRuntime.engine();
        var pool = Executors.newSingleThreadExecutor();
        try {
            Future<TrainingState> run = pool.submit(() -> {
                try (Classifier model = Classifier.create(ClassifierTrainerTest.SPEC, Device.cpu(), 3)) {
                    Sgd sgd = new Sgd(model.manager(), 0.9f, 5e-4f);
                    TrainingSettings s = new TrainingSettings(1, 64, 0.05f, 0.9f, 5e-4f, Schedule.CONSTANT, 1, 1, Augmentation.NONE, null,
                            Selection.CLEAN, 3);
                    return ClassifierTrainer.train(model, sgd, FashionMnist.train().subset(0, 512), null, s, new TrainingState(),
                            new ClassifierTrainer.Observer() {
                                public void batchDone(int epoch, int batch, int batches, double loss) {
                                }

                                public void epochDone(EpochMetrics m, TrainingState state) {
                                }
                            });
                }
            });
            assertThat(run.get().history()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
