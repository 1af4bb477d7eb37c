package io.robustlab.eval.jobs;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.data.Augmentation;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.train.ClassifierTrainer;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.ml.train.Schedule;
import io.robustlab.ml.train.Selection;
import io.robustlab.ml.train.Sgd;
import io.robustlab.ml.train.TrainingSettings;
import io.robustlab.ml.train.TrainingState;
import java.io.IOException;

/** The eval-service tests' model: a small CNN after 2 epochs of standard training on real images. */
final class SmallCnn {

    private SmallCnn() {
    }

    /** 2 epochs in batches of 64 (200 SGD steps on 6,400 images): well above chance, far from perfect. */
    static Classifier trained(ImageDataset train, long seed) throws IOException {
        Classifier model = Classifier.create(new Classifier.ModelSpec(Architecture.SMALL_CNN, 1, 28, 28, 10, new float[] {0.286f},
                new float[] {0.353f}), Device.cpu(), seed);
        ClassifierTrainer.train(model, new Sgd(model.manager(), 0.9f, 5e-4f), train, null,
                new TrainingSettings(2, 64, 0.05f, 0.9f, 5e-4f, Schedule.COSINE, 1, 1, Augmentation.NONE, null, Selection.CLEAN, seed),
                new TrainingState(), new ClassifierTrainer.Observer() {
                    public void batchDone(int epoch, int batch, int batches, double loss) {
                    }

                    public void epochDone(EpochMetrics m, TrainingState state) {
                    }
                });
        return model;
    }
}
