package io.robustlab.eval.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.EvaluateConfusionFlow;
import io.robustlab.api.model.EvaluateConfusionResult;
import io.robustlab.api.model.EvaluateConfusionSpec;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * eval.confusion on 300 unseen Fashion-MNIST images and a small CNN trained here: the clean matrix
 * counts every image once and its diagonal is the accuracy; under L2 PGD the accuracy falls, and the
 * flows are the attacked matrix's largest off-diagonal cells, each a share of its true class.
 */
class EvaluateConfusionJobTest extends ModelJobTest {

    static final int N = 300;
    UUID modelId;
    UUID testId;
    ImageDataset test;

    @BeforeAll
    void trainAModelAndStoreTheTestSet() throws Exception {
        try (Classifier model = TrainedModels.standard(6_400, 3)) {
            modelId = saveModel("model.bin", model);
        }
        test = FashionMnist.test().subset(0, N);
        testId = saveDataset("test.npz", test);
    }

    @Test
    void cleanAndAttackedMatricesCountEveryImageAndTheFlowsAreTheLargestOffDiagonalCells() throws Exception {
        EvaluateConfusionSpec spec = new EvaluateConfusionSpec(modelId, testId).attack(new PgdSpec(PgdSpec.NormEnum.L2, 1.0f, 10)).flows(5);
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.EVALUATE_CONFUSION.name(), json.writeValueAsString(spec), Duration.ofMinutes(3));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        EvaluateConfusionResult r = json.readValue(job.result(), EvaluateConfusionResult.class);

        assertThat(r.getExamples()).isEqualTo(N);
        assertThat(r.getClasses()).isEqualTo(10);
        List<List<Long>> clean = r.getClean().getCounts();
        List<List<Long>> attacked = r.getAttacked().getCounts();
        assertThat(total(clean)).isEqualTo(N);
        assertThat(total(attacked)).isEqualTo(N);
        for (int y = 0; y < 10; y++) {
            long label = y;
            long ofClass = java.util.Arrays.stream(test.labels()).filter(l -> l == label).count();
            assertThat(clean.get(y).stream().mapToLong(Long::longValue).sum()).as("row " + y + " holds the images of class " + y).isEqualTo(ofClass);
            assertThat(attacked.get(y).stream().mapToLong(Long::longValue).sum()).isEqualTo(ofClass);
        }
        assertThat(r.getClean().getAccuracy()).isEqualTo((double) diagonal(clean) / N).isGreaterThan(0.6);
        assertThat(r.getClean().getInterval95().getLow()).isLessThan(r.getClean().getAccuracy());
        assertThat(r.getAttacked().getAccuracy()).isEqualTo((double) diagonal(attacked) / N).isLessThan(r.getClean().getAccuracy());

        assertThat(r.getFlows()).hasSize(5);
        long largestOff = 0;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                if (t != p) {
                    largestOff = Math.max(largestOff, attacked.get(t).get(p));
                }
            }
        }
        assertThat(r.getFlows().get(0).getCount()).isEqualTo(largestOff);
        for (EvaluateConfusionFlow f : r.getFlows()) {
            assertThat(f.getTrueClass()).isNotEqualTo(f.getPredictedClass());
            assertThat(f.getCount()).isEqualTo(attacked.get(f.getTrueClass()).get(f.getPredictedClass()));
            long row = attacked.get(f.getTrueClass()).stream().mapToLong(Long::longValue).sum();
            assertThat(f.getShareOfClass()).isEqualTo((double) f.getCount() / row);
        }
        assertThat(r.getFlows()).isSortedAccordingTo((a, b) -> Long.compare(b.getCount(), a.getCount()));
    }

    @Test
    void withoutAnAttackOnlyTheCleanMatrix() throws Exception {
        EvaluateConfusionSpec spec = new EvaluateConfusionSpec(modelId, testId).testLimit(100);
        Job job = JobRuns.runToEnd(queue, JobTypeCatalog.EVALUATE_CONFUSION.name(), json.writeValueAsString(spec), Duration.ofMinutes(2));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        EvaluateConfusionResult r = json.readValue(job.result(), EvaluateConfusionResult.class);
        assertThat(r.getExamples()).isEqualTo(100);
        assertThat(r.getAttacked()).isNull();
        assertThat(total(r.getClean().getCounts())).isEqualTo(100);
        assertThat(r.getFlows()).allMatch(f -> f.getCount() == r.getClean().getCounts().get(f.getTrueClass()).get(f.getPredictedClass()));
    }

    private static long total(List<List<Long>> m) {
        return m.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
    }

    private static long diagonal(List<List<Long>> m) {
        long d = 0;
        for (int i = 0; i < m.size(); i++) {
            d += m.get(i).get(i);
        }
        return d;
    }
}
