package io.robustlab.eval.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.robustlab.data.ImageDataset;
import io.robustlab.jobs.Job;
import io.robustlab.ml.FashionMnist;
import io.robustlab.ml.TrainedModels;
import io.robustlab.mlservice.ModelJobTest;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.ml.model.Classifier;
import io.robustlab.stats.Interval;
import io.robustlab.stats.Proportion;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * eval-service's workers run eval.leakage jobs from a real database, on real Fashion-MNIST images
 * and a small model trained here, in constructions whose answer is known: one whose "perturbation"
 * changes nothing (so the model agrees with the new label exactly as often on the constructed
 * images as on the originals: ratio 1), and one whose "perturbation" swaps in a real image of the
 * target class (all robust features of t: the model follows t far more on the constructed images).
 */
class EvaluateLeakageJobTest extends ModelJobTest {

    static final int N = 600;

    Classifier model;
    ImageDataset train;
    UUID modelId;
    /** The "training set" a construction started from: 700 examples, more than the N = 600 constructed. */
    ImageDataset originals;
    UUID originalsId;

    @BeforeAll
    void trainAModelAndStoreTheOriginals() throws Exception {
        train = FashionMnist.train();
        model = TrainedModels.standard(6_400, 3);
        modelId = saveModel("model.bin", model);

        // Images the model never trained on.
        originals = train.subset(10_000, 10_700);
        originalsId = save("originals.npz", originals);
    }

    @AfterAll
    void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void labelsShiftedByOneOnUnchangedImagesLeakNothing() throws Exception {
        ImageDataset first = originals.subset(0, N);
        int[] shifted = Arrays.stream(first.labels()).map(y -> (y + 1) % 10).toArray();
        UUID constructed = save("shifted.npz", new ImageDataset(first.images(), shifted, 1, 28, 28));

        Job job = runToEnd(spec(constructed, originalsId, 256));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode r = json.readTree(job.result());

        assertThat(r.get("modelArtifactId").asString()).isEqualTo(modelId.toString());
        assertThat(r.get("constructedArtifactId").asString()).isEqualTo(constructed.toString());
        assertThat(r.get("originalArtifactId").asString()).isEqualTo(originalsId.toString());
        assertThat(r.get("examples").asInt()).isEqualTo(N);
        assertThat(r.get("changedLabels").asInt()).isEqualTo(N);
        assertThat(r.get("device").asString()).isEqualTo("cpu");

        // The same pixels: every count is the same on both, and the ratio is 1.
        assertThat(r.get("onConstructed")).isEqualTo(r.get("onOriginals"));
        assertThat(r.get("leakageRatio").asDouble()).isCloseTo(1.0, offset(1e-12));

        int[] predicted = predict(first);
        int[] y = first.labels();
        long withOriginal = IntStream.range(0, N).filter(i -> predicted[i] == y[i]).count();
        long withNew = IntStream.range(0, N).filter(i -> predicted[i] == shifted[i]).count();
        checkShare(r.get("onOriginals").get("agreesWithOriginal"), withOriginal, N);
        checkShare(r.get("onOriginals").get("agreesWithNew"), withNew, N);
        assertThat(withOriginal).as("the model learnt something: well above chance (60 of 600)").isGreaterThan(N / 2);
        assertThat(withNew).as("and rarely takes a class for the next one").isLessThan(N / 5);
    }

    @Test
    void noRatioWhenTheModelNeverPredictsTheNewLabelsOnTheOriginals() throws Exception {
        // Each new label is a class the model does not predict for the original (nor its true class).
        ImageDataset first = originals.subset(0, N);
        int[] predicted = predict(first);
        int[] y = first.labels();
        int[] t = IntStream.range(0, N)
                .map(i -> IntStream.range(0, 10).filter(c -> c != y[i] && c != predicted[i]).findFirst().orElseThrow()).toArray();
        UUID constructed = save("never-predicted.npz", new ImageDataset(first.images(), t, 1, 28, 28));

        Job job = runToEnd(spec(constructed, originalsId, 256));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode r = json.readTree(job.result());
        checkShare(r.get("onOriginals").get("agreesWithNew"), 0, N);
        checkShare(r.get("onConstructed").get("agreesWithNew"), 0, N);
        assertThat(r.has("leakageRatio")).as("present, as null").isTrue();
        assertThat(r.get("leakageRatio").isNull()).isTrue();
    }

    @Test
    void imagesOfTheTargetClassLeakEverythingAndUnchangedLabelsAreLeftOut() throws Exception {
        // Example i's "perturbation" replaces it with an unseen image of class t = y + 1 (a perturbation
        // that drew the whole target class), except every fifth example, which keeps its image and label.
        ImageDataset first = originals.subset(0, N);
        int[] y = first.labels();
        int[] t = new int[N];
        float[] pixels = first.images().clone();
        int[] nextOfClass = new int[10];
        Arrays.fill(nextOfClass, 20_000);
        for (int i = 0; i < N; i++) {
            if (i % 5 == 0) {
                t[i] = y[i];
                continue;
            }
            t[i] = (y[i] + 1) % 10;
            int j = nextOfClass[t[i]];
            while (train.labels()[j] != t[i]) {
                j++;
            }
            nextOfClass[t[i]] = j + 1;
            System.arraycopy(train.images(), j * 784, pixels, i * 784, 784);
        }
        ImageDataset built = new ImageDataset(pixels, t, 1, 28, 28);
        UUID constructed = save("drawn.npz", built);

        Job job = runToEnd(spec(constructed, originalsId, 64));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode r = json.readTree(job.result());
        int m = N - N / 5;
        assertThat(r.get("examples").asInt()).isEqualTo(N);
        assertThat(r.get("changedLabels").asInt()).isEqualTo(m);

        // Counted again here, over the examples whose label changed, with the model's logits directly.
        int[] onBuilt = predict(built);
        int[] onOriginal = predict(first);
        int[] changed = IntStream.range(0, N).filter(i -> i % 5 != 0).toArray();
        long builtNew = Arrays.stream(changed).filter(i -> onBuilt[i] == t[i]).count();
        long builtOld = Arrays.stream(changed).filter(i -> onBuilt[i] == y[i]).count();
        long originalNew = Arrays.stream(changed).filter(i -> onOriginal[i] == t[i]).count();
        long originalOld = Arrays.stream(changed).filter(i -> onOriginal[i] == y[i]).count();
        checkShare(r.get("onConstructed").get("agreesWithNew"), builtNew, m);
        checkShare(r.get("onConstructed").get("agreesWithOriginal"), builtOld, m);
        checkShare(r.get("onOriginals").get("agreesWithNew"), originalNew, m);
        checkShare(r.get("onOriginals").get("agreesWithOriginal"), originalOld, m);

        assertThat(builtNew).as("the model sees class t in images of class t").isGreaterThan(m / 2);
        assertThat(originalNew).as("and rarely in the originals").isLessThan(m / 5);
        if (originalNew > 0) {
            assertThat(r.get("leakageRatio").asDouble()).isCloseTo((double) builtNew / originalNew, offset(1e-12)).isGreaterThan(3);
        } else {
            assertThat(r.get("leakageRatio").isNull()).isTrue();
        }
    }

    @Test
    void mismatchedSetsFailAtOnceSayingWhy() throws Exception {
        ImageDataset first = originals.subset(0, N);
        int[] shifted = Arrays.stream(first.labels()).map(y -> (y + 1) % 10).toArray();
        UUID constructed = save("shifted-for-mismatch.npz", new ImageDataset(first.images(), shifted, 1, 28, 28));

        UUID tooFew = save("too-few.npz", originals.subset(0, 100));
        Job shortJob = runToEnd(spec(constructed, tooFew, 256));
        assertThat(shortJob.state()).isEqualTo(JobState.FAILED);
        assertThat(shortJob.attempt()).as("no retry can add examples").isEqualTo(1);
        assertThat(shortJob.error()).contains("spec.originalArtifactId holds 100 examples, fewer than the 600 of spec.constructedArtifactId");

        // 700 images of 1 x 14 x 28 hold as many pixels as 350 of 1 x 28 x 28: only the shape tells them apart.
        UUID otherShape = save("other-shape.npz", new ImageDataset(originals.subset(0, 350).images(),
                Arrays.copyOf(originals.labels(), 700), 1, 14, 28));
        Job shapeJob = runToEnd(spec(constructed, otherShape, 256));
        assertThat(shapeJob.state()).isEqualTo(JobState.FAILED);
        assertThat(shapeJob.attempt()).isEqualTo(1);
        assertThat(shapeJob.error()).contains("spec.originalArtifactId holds 1x14x28 images, spec.constructedArtifactId holds 1x28x28");

        UUID unchanged = save("unchanged.npz", first);
        Job sameJob = runToEnd(spec(unchanged, originalsId, 256));
        assertThat(sameJob.state()).isEqualTo(JobState.FAILED);
        assertThat(sameJob.error()).contains("no label changed");
    }

    private static void checkShare(JsonNode share, long successes, long n) {
        Interval ci = new Proportion(successes, n).wilson95();
        assertThat(share.get("successes").asLong()).isEqualTo(successes);
        assertThat(share.get("n").asLong()).isEqualTo(n);
        double rate = share.get("rate").asDouble();
        assertThat(rate).isCloseTo((double) successes / n, offset(1e-12));
        assertThat(share.get("low").asDouble()).isCloseTo(ci.low(), offset(1e-12)).isLessThanOrEqualTo(rate);
        assertThat(share.get("high").asDouble()).isCloseTo(ci.high(), offset(1e-12)).isGreaterThanOrEqualTo(rate);
    }

    /** Predicted classes, computed without the handler's code: one forward pass, BatchNorm (if any) in eval mode. */
    private int[] predict(ImageDataset data) {
        try (NDManager scope = model.manager().newSubManager()) {
            return model.logits(scope.create(data.images(), new Shape(data.size(), 1, 28, 28)), false)
                    .argMax(1).toType(DataType.INT32, false).toIntArray();
        }
    }

    private UUID save(String name, ImageDataset data) throws Exception {
        return saveDataset(name, data);
    }

    private String spec(UUID constructed, UUID original, int batchSize) {
        return "{\"modelArtifactId\": \"" + modelId + "\", \"constructedArtifactId\": \"" + constructed
                + "\", \"originalArtifactId\": \"" + original + "\", \"batchSize\": " + batchSize + "}";
    }

    private Job runToEnd(String spec) throws InterruptedException {
        UUID id = queue.submit(NewJob.of("eval.leakage", spec)).job().id();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Job j = queue.find(id).orElseThrow();
            if (j.state().isTerminal()) {
                System.out.println("eval.leakage " + spec + " -> " + j.state() + ": " + (j.result() != null ? j.result() : j.error()));
                return j;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not end");
    }
}
