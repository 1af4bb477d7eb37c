package io.robustlab.dataset.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetManifest;
import io.robustlab.api.model.UploadedDataset;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.dataset.uploads.DatasetUploads;
import io.robustlab.service.web.InternalApi.DatasetParts;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobRuns;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.testing.ServiceTestDatabase;
import io.robustlab.testing.TestDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** dataset-service as it runs: its worker pool claims dataset.import jobs from a real database. */
@SpringBootTest(properties = {"robustlab.worker.poll=200ms", "robustlab.rescuer.interval=1h", "robustlab.uploads.max-dataset-values=20000000"})
// The service stops after the class, before its database is dropped (at exit), so its workers never poll a dropped database.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatasetImportJobTest {

    static final TestDatabase DB = ServiceTestDatabase.createDroppedAtExit();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) throws Exception {
        ServiceTestDatabase.register(r, DB, "robustlab-dataset-artifacts");
        // The tests' dataset folders are JUnit temporary folders: allowed here as data roots are on a server.
        r.add("robustlab.data.roots", () -> System.getProperty("java.io.tmpdir") + ",/usr/share/datasets");
    }

    @Test
    void aFolderOutsideTheDataRootsFailsTheJobWithoutNamingIt() throws Exception {
        Job job = runToEnd("{\"dataset\": \"npz\", \"directory\": \"/etc\"}");
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains("spec.directory", "robustlab.data.roots").doesNotContain("/etc");
    }

    @Autowired
    JobQueue queue;
    @Autowired
    Artifacts artifacts;
    @Autowired
    JsonMapper json;

    private Job runToEnd(String spec) throws InterruptedException {
        return JobRuns.runToEnd(queue, JobTypeCatalog.DATASET_IMPORT.name(), spec, Duration.ofMinutes(2));
    }

    @Test
    void importsTheFullFashionMnistIntoTrainAndTestArtifacts() throws Exception {
        Job job = runToEnd("{\"dataset\": \"fashion-mnist\"}");
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode result = json.readTree(job.result());
        assertThat(result.get("train").get("count").asInt()).isEqualTo(60_000);
        assertThat(result.get("test").get("count").asInt()).isEqualTo(10_000);
        assertThat(result.get("classNames").get(9).asString()).isEqualTo("Ankle boot");

        List<Artifact> produced = artifacts.producedBy(job.id());
        assertThat(produced).extracting(Artifact::name).containsExactlyInAnyOrder("fashion-mnist-train.npz", "fashion-mnist-test.npz");
        Artifact test = produced.stream().filter(a -> a.name().endsWith("test.npz")).findFirst().orElseThrow();
        assertThat(json.readTree(test.metadata()).get("count").asInt()).isEqualTo(10_000);
        try (InputStream in = artifacts.open(test)) {
            ImageDataset data = Npz.read(in);
            assertThat(data.size()).isEqualTo(10_000);
            assertThat(data.classes()).isEqualTo(10);
            assertThat(List.of(data.channels(), data.height(), data.width())).containsExactly(1, 28, 28);
        }
    }

    @Test
    void aMissingFileFailsAtOnceNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Job job = runToEnd("{\"dataset\": \"mnist\", \"directory\": \"" + dir + "\"}");
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.attempt()).as("not retried: no retry can create the file").isEqualTo(1);
        assertThat(job.error()).contains("missing dataset file").contains("train-images-idx3-ubyte");
        assertThat(artifacts.producedBy(job.id())).isEmpty();
    }

    @Test
    void aCorruptFileFailsAtOnceNamingItAndTheFault(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        for (String f : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(fashion.resolve(f), dir.resolve(f));
        }
        byte[] images = Files.readAllBytes(fashion.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(images, images.length / 2));

        Job job = runToEnd("{\"dataset\": \"fashion-mnist\", \"directory\": \"" + dir + "\"}");
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.error()).contains("train-images-idx3-ubyte.gz");
        assertThat(artifacts.producedBy(job.id())).isEmpty();
    }

    @Test
    void importsCifar10BinaryBatchesFromTheGivenFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // Small files in CIFAR-10's binary format: 2 records in each train batch, 3 in the test batch.
        java.util.Random r = new java.util.Random(1);
        for (String name : io.robustlab.data.Cifar10Files.TRAIN) {
            Files.write(dir.resolve(name), records(r, 2));
        }
        Files.write(dir.resolve("test_batch.bin"), records(r, 3));

        Job job = runToEnd("{\"dataset\": \"cifar10\", \"directory\": \"" + dir + "\"}");

        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode result = json.readTree(job.result());
        assertThat(result.get("train").get("count").asInt()).isEqualTo(10);
        assertThat(result.get("test").get("count").asInt()).isEqualTo(3);
        assertThat(result.get("shape").toString()).isEqualTo("[3,32,32]");
        assertThat(result.get("classNames").get(0).asString()).isEqualTo("airplane");
    }

    @Test
    void importsNpzFilesAndFailsClearlyWhenOneIsMissing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ImageDataset small = new ImageDataset(new float[4 * 2 * 3 * 3], new int[] {0, 1, 2, 1}, 2, 3, 3);
        try (var out = Files.newOutputStream(dir.resolve("train.npz"))) {
            Npz.write(small, out);
        }
        Job missing = runToEnd("{\"dataset\": \"npz\", \"directory\": \"" + dir + "\"}");
        assertThat(missing.state()).isEqualTo(JobState.FAILED);
        assertThat(missing.error()).contains("missing dataset file").contains("test.npz");

        try (var out = Files.newOutputStream(dir.resolve("test.npz"))) {
            Npz.write(small.subset(0, 2), out);
        }
        Job job = runToEnd("{\"dataset\": \"npz\", \"directory\": \"" + dir + "\"}");
        assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
        JsonNode result = json.readTree(job.result());
        assertThat(result.get("shape").toString()).isEqualTo("[2,3,3]");
        assertThat(result.get("classNames").size()).isEqualTo(3);
    }

    @Autowired
    DatasetUploads uploads;

    @Test
    void idxAndCifarUploadsAreCataloguedAndAnArtifactsImportDescribesThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // IDX as users have it: Fashion-MNIST's gzipped test files, sent as both splits.
        Path idx = Files.createDirectories(dir.resolve("idx"));
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        for (String part : List.of(DatasetParts.TRAIN, DatasetParts.TEST)) {
            Files.copy(fashion.resolve("t10k-images-idx3-ubyte.gz"), idx.resolve(part));
        }
        for (String part : List.of(DatasetParts.TRAIN_LABELS, DatasetParts.TEST_LABELS)) {
            Files.copy(fashion.resolve("t10k-labels-idx1-ubyte.gz"), idx.resolve(part));
        }
        List<String> names = java.util.stream.IntStream.range(0, 10).mapToObj(i -> "class " + i).toList();
        UploadedDataset grey = uploads.upload(new DatasetManifest("fashion-test", DatasetManifest.FormatEnum.IDX, names), idx);
        assertThat(grey.getTrain().getCount()).isEqualTo(10_000);
        assertThat(grey.getShape()).containsExactly(1, 28, 28);

        // CIFAR-10 records, the five training batches concatenated into one part.
        Path cifar = Files.createDirectories(dir.resolve("cifar"));
        java.util.Random r = new java.util.Random(2);
        Files.write(cifar.resolve(DatasetParts.TRAIN), records(r, 10));
        Files.write(cifar.resolve(DatasetParts.TEST), records(r, 4));
        UploadedDataset colour = uploads.upload(new DatasetManifest("cifar-bits", DatasetManifest.FormatEnum.CIFAR10, names), cifar);
        assertThat(colour.getShape()).containsExactly(3, 32, 32);
        assertThat(colour.getTest().getCount()).isEqualTo(4);

        // A label beyond the class names: refused, naming the IDX labels part, nothing catalogued.
        long before = artifactCount();
        DatasetManifest fewNames = new DatasetManifest("too-few", DatasetManifest.FormatEnum.IDX, names.subList(0, 5));
        assertThatThrownBy(() -> uploads.upload(fewNames, idx)).isInstanceOf(DatasetUploads.Refused.class)
                .hasMessageStartingWith("trainLabels: example").hasMessageContaining("with 5 class names labels run from 0 to 4");
        // A class named but never trained on (the first nine records, labels 0 to 8, as the training split).
        Path nineClasses = Files.createDirectories(dir.resolve("nine"));
        Files.write(nineClasses.resolve(DatasetParts.TRAIN), java.util.Arrays.copyOf(Files.readAllBytes(cifar.resolve(DatasetParts.TRAIN)), 9 * 3073));
        Files.copy(cifar.resolve(DatasetParts.TEST), nineClasses.resolve(DatasetParts.TEST));
        assertThatThrownBy(() -> uploads.upload(new DatasetManifest("untrained", DatasetManifest.FormatEnum.CIFAR10, names), nineClasses))
                .isInstanceOf(DatasetUploads.Refused.class).hasMessageStartingWith("train: has no example of class 9");
        // A header that claims 10 million pixels over a few bytes: refused as truncated, taking no memory for the claim.
        Path claims = Files.createDirectories(dir.resolve("claims"));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(32).putInt(0x0803).putInt(10).putInt(1_000).putInt(1_000);
        Files.write(claims.resolve(DatasetParts.TRAIN), header.array());
        for (String part : List.of(DatasetParts.TEST, DatasetParts.TRAIN_LABELS, DatasetParts.TEST_LABELS)) {
            Files.copy(idx.resolve(part), claims.resolve(part));
        }
        assertThatThrownBy(() -> uploads.upload(new DatasetManifest("claims", DatasetManifest.FormatEnum.IDX, names), claims))
                .isInstanceOf(DatasetUploads.Refused.class).hasMessageStartingWith("train: file is truncated");
        // More values than robustlab.uploads.max-dataset-values (20 million here): Fashion-MNIST's 47 million
        // training pixels are refused from the header, before any is read.
        Files.copy(fashion.resolve("train-images-idx3-ubyte.gz"), claims.resolve(DatasetParts.TRAIN), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(fashion.resolve("train-labels-idx1-ubyte.gz"), claims.resolve(DatasetParts.TRAIN_LABELS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> uploads.upload(new DatasetManifest("big", DatasetManifest.FormatEnum.IDX, names), claims))
                .isInstanceOf(DatasetUploads.Refused.class).hasMessageStartingWith("train: its header declares more values than the 20000000 allowed");
        // CIFAR-10 records have no header: the file's size is its number of values (6,600 records of 3,073).
        Path bigCifar = Files.createDirectories(dir.resolve("big-cifar"));
        Files.write(bigCifar.resolve(DatasetParts.TRAIN), records(r, 6_600));
        Files.copy(cifar.resolve(DatasetParts.TEST), bigCifar.resolve(DatasetParts.TEST));
        assertThatThrownBy(() -> uploads.upload(new DatasetManifest("big", DatasetManifest.FormatEnum.CIFAR10, names), bigCifar))
                .isInstanceOf(DatasetUploads.Refused.class).hasMessage("train: holds 20281800 values, more than the 20000000 allowed");
        assertThat(artifactCount()).isEqualTo(before);

        Job described = runToEnd("{\"dataset\": \"artifacts\", \"trainArtifactId\": \"" + grey.getTrain().getArtifactId()
                + "\", \"testArtifactId\": \"" + grey.getTest().getArtifactId() + "\"}");
        assertThat(described.state()).as(described.error()).isEqualTo(JobState.SUCCEEDED);
        DatasetImportResult result = json.readValue(described.result(), DatasetImportResult.class);
        assertThat(result.getTrain().getArtifactId()).isEqualTo(grey.getTrain().getArtifactId());
        assertThat(result.getShape()).containsExactly(1, 28, 28);
        assertThat(result.getClassNames()).isEqualTo(names);
        assertThat(result.getName()).isEqualTo("fashion-test");
        assertThat(artifacts.producedBy(described.id())).as("nothing copied").isEmpty();

        Job mixed = runToEnd("{\"dataset\": \"artifacts\", \"trainArtifactId\": \"" + grey.getTrain().getArtifactId()
                + "\", \"testArtifactId\": \"" + colour.getTest().getArtifactId() + "\"}");
        assertThat(mixed.state()).isEqualTo(JobState.FAILED);
        assertThat(mixed.error()).contains("spec.testArtifactId holds 3x32x32 images", "their shapes must agree");
        Job missing = runToEnd("{\"dataset\": \"artifacts\", \"testArtifactId\": \"" + colour.getTest().getArtifactId() + "\"}");
        assertThat(missing.error()).contains("spec.trainArtifactId is required");
    }

    private long artifactCount() throws Exception {
        try (var c = DB.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM artifact")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] records(java.util.Random r, int n) {
        byte[] out = new byte[n * 3073];
        r.nextBytes(out);
        for (int i = 0; i < n; i++) {
            out[i * 3073] = (byte) (i % 10);
        }
        return out;
    }
}
