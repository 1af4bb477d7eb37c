package io.robustlab.attack.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.AttackDatasetResult;
import io.robustlab.api.model.AttackDatasetSpec;
import io.robustlab.api.model.PgdSpec;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobRuns;
import io.robustlab.jobs.JobState;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.TrainedModels;
import io.robustlab.ml.model.Classifier;
import io.robustlab.mlservice.ModelJobTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * attack-service's workers run attack.dataset jobs from a real database: L2 PGD against a small CNN
 * trained here on real Fashion-MNIST, over 100 test images it never saw. The adversarial set must
 * stay in the eps-ball and [0,1], keep the true labels, and fool the model where it was right.
 */
class AttackDatasetJobTest extends ModelJobTest {

    static final int N = 100;
    static final float EPS = 1.5f;
    UUID modelId;
    UUID testId;
    ImageDataset test;

    @BeforeAll
    void trainAModelAndStoreTheTestImages() throws Exception {
        try (Classifier model = TrainedModels.standard(3_200, 11)) {
            modelId = saveModel("model.bin", model);
        }
        test = FashionMnist.test().subset(0, N);
        testId = saveDataset("test.npz", test);
    }

    @Test
    void pgdKeepsItsImagesInTheBallAndInRangeAndFoolsTheModel() throws Exception {
        AttackDatasetSpec spec = new AttackDatasetSpec(modelId, testId,
                new PgdSpec(PgdSpec.NormEnum.L2, EPS, 10)).batchSize(64).seed(5L);
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.ATTACK_DATASET.name(), json.writeValueAsString(spec), Duration.ofMinutes(3));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        AttackDatasetResult r = json.readValue(job.result(), AttackDatasetResult.class);

        assertThat(r.getExamples()).isEqualTo(N);
        assertThat(r.getNorm()).isEqualTo(AttackDatasetResult.NormEnum.L2);
        assertThat(r.getDevice()).isEqualTo("cpu");
        assertThat(r.getCleanAccuracy()).as("a trained model is right on most unseen images").isGreaterThan(0.6);
        assertThat(r.getAdversarialAccuracy()).as("PGD at L2 eps 1.5 breaks a standard model").isLessThan(r.getCleanAccuracy() / 2);
        assertThat(r.getSuccessRate()).isEqualTo(1 - r.getAdversarialAccuracy(), org.assertj.core.api.Assertions.offset(1e-9));
        assertThat(r.getMaxPerturbationNorm()).isLessThanOrEqualTo(EPS * (1 + 1e-4)).isGreaterThanOrEqualTo(r.getMeanPerturbationNorm());

        ImageDataset adversarial = datasets.load(r.getAdversarialArtifactId(), "adversarialArtifactId");
        assertThat(adversarial.labels()).as("the true labels").isEqualTo(test.labels());
        int per = 28 * 28;
        float[] x = test.images();
        float[] a = adversarial.images();
        for (int i = 0; i < N; i++) {
            double squared = 0;
            for (int p = 0; p < per; p++) {
                float v = a[i * per + p];
                assertThat(v).as("pixel in [0,1]").isBetween(0f, 1f);
                double d = v - x[i * per + p];
                squared += d * d;
            }
            assertThat(Math.sqrt(squared)).as("image " + i + " in the L2 ball").isLessThanOrEqualTo(EPS * (1 + 1e-4));
        }
    }

    @Test
    void aModelThatIsNotThereFailsTheJobNamingTheField() throws Exception {
        AttackDatasetSpec spec = new AttackDatasetSpec(UUID.randomUUID(), testId, new PgdSpec(PgdSpec.NormEnum.LINF, 0.1f, 2));
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.ATTACK_DATASET.name(), json.writeValueAsString(spec), Duration.ofMinutes(1));
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("spec.modelArtifactId");
    }
}
