package io.robustlab.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private static TestDatabase db;
    private static JobQueue queue;

    @BeforeAll
    static void database() {
        db = QueueTestSupport.migratedDatabase();
        queue = new JobQueue(db.dataSource());
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static WorkerSettings fast(String name) {
        return WorkerSettings.defaults(name).withLease(Duration.ofSeconds(5), Duration.ofMillis(200))
                .withPollEvery(Duration.ofSeconds(5)).withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0))
                .withShutdownGrace(Duration.ofSeconds(5));
    }

    private static JobState awaitState(UUID id, JobState... states) throws InterruptedException {
        QueueTestSupport.await(id + " to reach " + List.of(states), Duration.ofSeconds(30),
                () -> List.of(states).contains(queue.find(id).orElseThrow().state()));
        return queue.find(id).orElseThrow().state();
    }

    /** A handler that reports progress in a loop until told to stop. */
    private static JobHandler looping(String type, CountDownLatch started) {
        return new JobHandler() {
            public String type() {
                return type;
            }

            public String handle(JobContext ctx) throws InterruptedException {
                started.countDown();
                for (int i = 0; ; i++) {
                    ctx.progress(Math.min(0.99, i / 1000.0), "step " + i);
                    Thread.sleep(20);
                }
            }
        };
    }

    @Test
    void notificationsWakeIdleWorkersWithoutWaitingForThePoll() throws Exception {
        CountingHandler handler = new CountingHandler("wake");
        try (WorkerPool pool = new WorkerPool(queue, List.of(handler), fast("wake")).start()) {
            Thread.sleep(300); // let the listener connect and the workers go idle
            long start = System.nanoTime();
            UUID id = queue.submit(NewJob.of("wake", "{}")).job().id();
            awaitState(id, JobState.SUCCEEDED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("poll interval is 5 s").isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRunningJobStopsAtItsNextProgressReportWhenCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(queue, List.of(looping("cancel.me", started)), fast("cancel")).start()) {
            UUID id = queue.submit(NewJob.of("cancel.me", "{}")).job().id();
            started.await();
            queue.cancel(id);
            assertThat(awaitState(id, JobState.CANCELLED, JobState.SUCCEEDED, JobState.FAILED)).isEqualTo(JobState.CANCELLED);
            assertThat(queue.find(id).orElseThrow().error()).contains("cancelled by request");
            assertThat(pool.heldJobs()).isZero();
        }
    }

    @Test
    void shutdownHandsRunningJobsBackWithoutSpendingAnAttempt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        WorkerPool pool = new WorkerPool(queue, List.of(looping("long.training", started)), fast("shutdown")).start();
        UUID id = queue.submit(NewJob.of("long.training", "{}").withMaxAttempts(1)).job().id();
        started.await();
        pool.close();

        Job back = queue.find(id).orElseThrow();
        assertThat(back.state()).isEqualTo(JobState.QUEUED);
        assertThat(back.attempt()).isZero();
        assertThat(back.error()).contains("handed back").contains("shutdown");
    }

    @Test
    void failingJobsAreRetriedByThePoolThenFailWithTheLastError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JobHandler flaky = new JobHandler() {
            public String type() {
                return "flaky";
            }

            public String handle(JobContext ctx) {
                throw new IllegalStateException("attempt " + ctx.job().attempt() + " broke (call " + calls.incrementAndGet() + ")");
            }
        };
        try (WorkerPool pool = new WorkerPool(queue, List.of(flaky), fast("flaky").withPollEvery(Duration.ofMillis(50))).start()) {
            UUID id = queue.submit(NewJob.of("flaky", "{}").withMaxAttempts(3)).job().id();
            assertThat(awaitState(id, JobState.FAILED)).isEqualTo(JobState.FAILED);
            Job failed = queue.find(id).orElseThrow();
            assertThat(failed.attempt()).isEqualTo(3);
            assertThat(failed.error()).isEqualTo("IllegalStateException: attempt 3 broke (call 3)");
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        JobHandler corrupt = new JobHandler() {
            public String type() {
                return "corrupt";
            }

            public String handle(JobContext ctx) {
                throw new PermanentJobFailure("train-images-idx3-ubyte: bad magic number 0x00000000");
            }
        };
        try (WorkerPool pool = new WorkerPool(queue, List.of(corrupt), fast("corrupt")).start()) {
            UUID id = queue.submit(NewJob.of("corrupt", "{}").withMaxAttempts(5)).job().id();
            awaitState(id, JobState.FAILED);
            assertThat(queue.find(id).orElseThrow().attempt()).isEqualTo(1);
        }
    }

    @Test
    void aFanInJobStartsOnceAfterManyConcurrentDependenciesSucceed() throws Exception {
        CountingHandler handler = new CountingHandler("fan");
        List<UUID> parents = queue.submitAll(IntStream.range(0, 200).mapToObj(i -> NewJob.of("fan", "{}")).toList())
                .stream().map(s -> s.job().id()).toList();
        UUID child = queue.submit(NewJob.of("fan", "{\"child\": true}").withDependsOn(parents)).job().id();
        try (WorkerPool pool = new WorkerPool(queue, List.of(handler), fast("fan").withThreads(8)).start()) {
            awaitState(child, JobState.SUCCEEDED);
        }
        assertThat(handler.runs.get(child)).hasValue(1);
        assertThat(handler.runs).hasSize(201);
    }
}
