package io.robustlab.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.ArtifactStore;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.artifact.FileSystemArtifactStore;
import io.robustlab.testing.TestDatabase;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the artifact volume fills up while a job writes its output. The job fails with the
 * disk's error and nothing of its output is visible: no catalogue row, no blob, no partial file.
 * Once space is freed, its retry writes the whole artifact.
 *
 * <p>The full disk is simulated below the real file store: the stream the store writes through
 * throws ENOSPC's IOException once the "free space" is used up, after part of the file is on disk,
 * exactly where a real full disk fails a write.
 */
class ArtifactWriteFailureTest {

    private static final String TYPE = "artifact.write";
    private static final int ARTIFACT_BYTES = 1 << 20;

    @TempDir
    Path root;

    /** The real file store, on a disk with {@code free} bytes left. */
    private record FillingDisk(FileSystemArtifactStore store, AtomicLong free) implements ArtifactStore {
        @Override
        public StoredBlob write(BlobWriter writer) throws IOException {
            return store.write(out -> writer.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    take(1);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    take(len);
                    out.write(b, off, len);
                }
            }));
        }

        private void take(long n) throws IOException {
            if (free.addAndGet(-n) < 0) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public InputStream open(String sha256) throws IOException {
            return store.open(sha256);
        }
    }

    @Test
    void aFullDiskFailsTheJobWithNothingHalfWrittenAndItsRetrySucceedsOnceThereIsSpace() throws Exception {
        try (TestDatabase db = QueueTestSupport.migratedDatabase()) {
            JobQueue queue = new JobQueue(db.dataSource());
            AtomicLong free = new AtomicLong(64 * 1024);
            Artifacts artifacts = new Artifacts(db.dataSource(), new FillingDisk(new FileSystemArtifactStore(root), free));
            byte[] output = new byte[ARTIFACT_BYTES];
            Arrays.fill(output, (byte) 7);
            JobHandler writer = new JobHandler() {
                public String type() {
                    return TYPE;
                }

                public String handle(JobContext ctx) throws IOException {
                    Artifact a = artifacts.save(ctx.job().id(), "dataset", "output.bin", "application/octet-stream", "{}",
                            out -> out.write(output));
                    return "{\"artifactId\": \"" + a.id() + "\"}";
                }
            };
            WorkerSettings settings = WorkerSettings.defaults("disk-test").withLease(Duration.ofSeconds(5), Duration.ofMillis(200))
                    .withPollEvery(Duration.ofMillis(100)).withBackoff(new Backoff(Duration.ofMillis(500), Duration.ofMillis(500), 0));

            UUID once = queue.submit(NewJob.of(TYPE, "{}").withMaxAttempts(1)).job().id();
            try (WorkerPool pool = new WorkerPool(queue, List.of(writer), settings).start()) {
                QueueTestSupport.await("the job to fail", Duration.ofSeconds(30), () -> state(queue, once) == JobState.FAILED);
                Job failed = queue.find(once).orElseThrow();
                assertThat(failed.error()).contains("No space left on device");
                assertThat(failed.result()).isNull();
                assertThat(artifacts.producedBy(once)).isEmpty();
                assertThat(files()).as("no blob and no partial file").isEmpty();

                free.set(64 * 1024);
                UUID retried = queue.submit(NewJob.of(TYPE, "{}").withMaxAttempts(3)).job().id();
                QueueTestSupport.await("the first attempt to fail", Duration.ofSeconds(30),
                        () -> queue.find(retried).orElseThrow().error() != null);
                free.set(Long.MAX_VALUE / 2); // space freed
                QueueTestSupport.await("the retry to succeed", Duration.ofSeconds(30), () -> state(queue, retried) == JobState.SUCCEEDED);
                assertThat(queue.find(retried).orElseThrow().attempt()).isEqualTo(2);
                List<Artifact> written = artifacts.producedBy(retried);
                assertThat(written).hasSize(1);
                assertThat(written.get(0).sizeBytes()).isEqualTo(ARTIFACT_BYTES);
                try (InputStream in = artifacts.open(written.get(0))) {
                    assertThat(in.readAllBytes()).isEqualTo(output);
                }
                assertThat(files()).as("one blob, no leftovers").hasSize(1);
            }
        }
    }

    private static JobState state(JobQueue queue, UUID id) {
        return queue.find(id).orElseThrow().state();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
