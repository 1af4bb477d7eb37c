package io.robustlab.training.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.ArchitectureName;
import io.robustlab.api.model.TrainClassifierResult;
import io.robustlab.api.model.TrainClassifierSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobRuns;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.data.ChannelStatistics;
import io.robustlab.ml.eval.Evaluator;
import io.robustlab.ml.model.Classifier;
import io.robustlab.mlservice.ModelJobTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * training-service's workers run train.classifier jobs from a real database on 1,000 real
 * Fashion-MNIST images: the result names a model that loads, normalises with its training split's
 * statistics and classifies unseen images well above chance; an impossible spec fails naming its field.
 */
class TrainClassifierJobTest extends ModelJobTest {

    @Autowired
    Artifacts artifacts;

    UUID trainId;

    @BeforeAll
    void storeTheTrainingSet() throws Exception {
        trainId = saveDataset("train.npz", FashionMnist.train().subset(0, 1_000));
    }

    @Test
    void trainsAModelThatLoadsAndClassifiesUnseenImages() throws Exception {
        TrainClassifierSpec spec = new TrainClassifierSpec().trainArtifactId(trainId).architecture(ArchitectureName.SMALL_CNN)
                .epochs(2).batchSize(64).learningRate(0.05f).schedule(TrainClassifierSpec.ScheduleEnum.COSINE).seed(3L);
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.TRAIN_CLASSIFIER.name(), json.writeValueAsString(spec), Duration.ofMinutes(3));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        TrainClassifierResult r = json.readValue(job.result(), TrainClassifierResult.class);

        assertThat(r.getTrainExamples() + r.getValidationExamples()).isEqualTo(1_000);
        assertThat(r.getValidationExamples()).as("the default 10 % validation split").isEqualTo(100);
        assertThat(r.getHistory()).hasSize(2);
        assertThat(r.getHistory().get(1).getLearningRate()).isLessThan(r.getHistory().get(0).getLearningRate());
        assertThat(r.getSelectOn()).isEqualTo(TrainClassifierResult.SelectOnEnum.CLEAN);
        assertThat(r.getBestEpoch()).isBetween(1, 2);
        assertThat(r.getBestRobustValidationAccuracy()).as("not measured without an attack").isNull();
        assertThat(r.getResumedFromEpoch()).isZero();
        assertThat(artifacts.find(Artifacts.idFor(job.id(), TrainClassifierHandler.CHECKPOINT))).as("a checkpoint per epoch").isPresent();

        ImageDataset all = datasets.load(trainId, "trainArtifactId");
        ImageDataset train = all.splitValidation(0.1, 3)[0];
        ChannelStatistics stats = ChannelStatistics.of(train);
        assertThat(r.getMean()).containsExactly(stats.mean()[0]);
        assertThat(r.getStd()).containsExactly(stats.std()[0]);
        try (Classifier model = models.load(r.getModelArtifactId(), "modelArtifactId", Device.cpu())) {
            double accuracy = Evaluator.accuracy(model, FashionMnist.test().subset(0, 500), null, 250, b -> { }).accuracy();
            assertThat(accuracy).as("2 epochs on 900 images, measured on 500 unseen").isGreaterThan(0.5);
            assertThat(model.spec().mean()).containsExactly(stats.mean());
        }
    }

    @Test
    void selectingOnRobustAccuracyWithoutAnAttackFailsNamingTheField() throws Exception {
        TrainClassifierSpec spec = new TrainClassifierSpec().trainArtifactId(trainId).epochs(1)
                .selectOn(TrainClassifierSpec.SelectOnEnum.ROBUST);
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.TRAIN_CLASSIFIER.name(), json.writeValueAsString(spec), Duration.ofMinutes(1));
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("spec.selectOn");
    }
}
