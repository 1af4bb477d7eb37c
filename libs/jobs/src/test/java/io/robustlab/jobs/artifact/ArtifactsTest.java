package io.robustlab.jobs.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {

    private static TestDatabase db;
    @TempDir
    Path root;

    @BeforeAll
    static void database() {
        db = QueueTestSupport.migratedDatabase();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private UUID job() {
        return new JobQueue(db.dataSource()).submit(NewJob.of("artifact.test", "{}")).job().id();
    }

    @Test
    void storesContentAddressedBytesAndCataloguesThem() throws Exception {
        Artifacts artifacts = new Artifacts(db.dataSource(), new FileSystemArtifactStore(root));
        byte[] bytes = "images and labels".getBytes(StandardCharsets.UTF_8);
        UUID job = job();

        Artifact a = artifacts.save(job, "dataset", "train.npz", "application/zip", "{\"n\": 1}", out -> out.write(bytes));

        assertThat(a.sizeBytes()).isEqualTo(bytes.length);
        assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(a.jobId()).isEqualTo(job);
        assertThat(a.metadata()).contains("\"n\": 1");
        try (InputStream in = artifacts.open(a)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(artifacts.producedBy(job)).containsExactly(a);
    }

    @Test
    void aJobRunAgainRegistersTheSameArtifactNotACopy() throws Exception {
        Artifacts artifacts = new Artifacts(db.dataSource(), new FileSystemArtifactStore(root));
        UUID job = job();
        Artifact first = artifacts.save(job, "dataset", "x.npz", "application/zip", null, out -> out.write(1));
        Artifact again = artifacts.save(job, "dataset", "x.npz", "application/zip", null, out -> out.write(1));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(artifacts.producedBy(job)).hasSize(1);
    }

    @Test
    void aFailedWriteLeavesNoFileAndNoRow() throws Exception {
        Artifacts artifacts = new Artifacts(db.dataSource(), new FileSystemArtifactStore(root));
        UUID job = job();
        assertThatThrownBy(() -> artifacts.save(job, "dataset", "half.npz", "application/zip", null, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        })).hasMessageContaining("No space left");

        assertThat(artifacts.producedBy(job)).isEmpty();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void refusesAnythingButADigestAsAnAddress() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(root);
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }
}
