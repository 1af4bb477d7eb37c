package io.robustlab.dataset.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.data.IdxFiles;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobRuns;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.testing.ServiceTestDatabase;
import io.robustlab.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * dataset-service's workers run dataset.relabel jobs from a real database: real Fashion-MNIST
 * images with the labels of a D_det-like set (other pixels, labels y + 1 on two examples in three).
 */
@SpringBootTest(properties = {"robustlab.worker.poll=200ms", "robustlab.rescuer.interval=1h"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The service stops after the class, before its database is dropped (at exit), so its workers never poll a dropped database.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatasetRelabelJobTest {

    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final TestDatabase DB = ServiceTestDatabase.createDroppedAtExit();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) throws Exception {
        ServiceTestDatabase.register(r, DB, "robustlab-dataset-artifacts");
    }

    @Autowired
    JobQueue queue;
    @Autowired
    Artifacts artifacts;
    @Autowired
    DatasetArtifacts datasets;
    @Autowired
    JsonMapper json;

    /** A job no service runs: it owns the artifacts the tests put in (an artifact names its job). */
    UUID fixtureJob;
    /** The "training set": 500 real images. */
    ImageDataset train;
    UUID trainId;

    @BeforeAll
    void storeTheTrainingSet() throws Exception {
        fixtureJob = queue.submit(NewJob.of("test.fixture", "{}")).job().id();
        train = IdxFiles.read(FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz"), FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz"))
                .subset(0, 500);
        trainId = save("train.npz", train);
    }

    @Test
    void writesTheFirstSetsImagesWithTheSecondSetsLabels() throws Exception {
        // A D_det stand-in for the first 300 examples: other pixels (images 200..499), labels y + 1 except every third.
        int n = 300;
        int[] labels = new int[n];
        int changed = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3 == 0 ? train.labels()[i] : (train.labels()[i] + 1) % 10;
            changed += i % 3 == 0 ? 0 : 1;
        }
        ImageDataset det = new ImageDataset(train.subset(200, 500).images(), labels, 1, 28, 28);
        UUID detId = save("det.npz", det);

        Job job = runToEnd(spec(trainId, detId));
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode r = json.readTree(job.result());
        assertThat(r.get("examples").asInt()).isEqualTo(n);
        assertThat(r.get("changedLabels").asInt()).isEqualTo(changed).isEqualTo(200);
        assertThat(r.get("imagesArtifactId").asString()).isEqualTo(trainId.toString());
        assertThat(r.get("labelsArtifactId").asString()).isEqualTo(detId.toString());

        List<Artifact> produced = artifacts.producedBy(job.id());
        assertThat(produced).extracting(Artifact::name).containsExactly("relabelled.npz");
        Artifact written = produced.get(0);
        assertThat(written.id().toString()).isEqualTo(r.get("datasetArtifactId").asString());
        assertThat(written.kind()).isEqualTo("dataset");
        assertThat(written.mediaType()).isEqualTo("application/x-npz");
        JsonNode metadata = json.readTree(written.metadata());
        assertThat(metadata.get("construction").asString()).isEqualTo("relabel");
        assertThat(metadata.get("imagesArtifactId").asString()).isEqualTo(trainId.toString());
        assertThat(metadata.get("labelsArtifactId").asString()).isEqualTo(detId.toString());
        assertThat(metadata.get("changedLabels").asInt()).isEqualTo(200);
        assertThat(metadata.has("codeVersion")).isTrue();

        ImageDataset out;
        try (InputStream in = artifacts.open(written)) {
            out = Npz.read(in);
        }
        assertThat(List.of(out.channels(), out.height(), out.width())).containsExactly(1, 28, 28);
        assertThat(out.images()).as("the first 300 training images, unperturbed").containsExactly(train.subset(0, n).images());
        assertThat(out.labels()).as("D_det's labels").containsExactly(labels);
        // The layout every dataset artifact has, read from the .npy headers themselves: float32 images, int64 labels.
        Map<String, String> headers = npyHeaders(written);
        assertThat(headers.get("images.npy")).contains("'descr': '<f4'").contains("(300, 1, 28, 28)");
        assertThat(headers.get("labels.npy")).contains("'descr': '<i8'").contains("(300,)");
    }

    @Test
    void setsThatDoNotPairFailAtOnceSayingWhy() throws Exception {
        // 400 images of 1 x 14 x 28 hold the pixels of 200 of 1 x 28 x 28: only the shape tells them apart.
        ImageDataset otherShape = new ImageDataset(train.subset(0, 200).images(), new int[400], 1, 14, 28);
        Job shape = runToEnd(spec(trainId, save("other-shape.npz", otherShape)));
        assertThat(shape.state()).isEqualTo(JobState.FAILED);
        assertThat(shape.attempt()).as("no retry can change a shape").isEqualTo(1);
        assertThat(shape.error()).contains("spec.imagesArtifactId holds 1x28x28 images, spec.labelsArtifactId holds 1x14x28");
        assertThat(artifacts.producedBy(shape.id())).isEmpty();

        Job tooFew = runToEnd(spec(save("few-images.npz", train.subset(0, 100)), trainId));
        assertThat(tooFew.state()).isEqualTo(JobState.FAILED);
        assertThat(tooFew.attempt()).isEqualTo(1);
        assertThat(tooFew.error()).contains("spec.imagesArtifactId holds 100 examples, fewer than the 500 of spec.labelsArtifactId");
        assertThat(artifacts.producedBy(tooFew.id())).isEmpty();
    }

    /** Each .npy entry's header (the dict after the magic and lengths), by entry name. */
    private Map<String, String> npyHeaders(Artifact a) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(artifacts.open(a))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] start = zip.readNBytes(10);
                int length = (start[8] & 0xff) | (start[9] & 0xff) << 8; // version 1.0: a little-endian uint16
                out.put(e.getName(), new String(zip.readNBytes(length), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private UUID save(String name, ImageDataset data) throws Exception {
        return datasets.save(fixtureJob, name, data, "{}").id();
    }

    private static String spec(UUID images, UUID labels) {
        return "{\"imagesArtifactId\": \"" + images + "\", \"labelsArtifactId\": \"" + labels + "\"}";
    }

    private Job runToEnd(String spec) throws InterruptedException {
        return JobRuns.runToEnd(queue, JobTypeCatalog.DATASET_RELABEL.name(), spec, Duration.ofMinutes(2));
    }
}
