package io.robustlab.jobs;

import static io.robustlab.jobs.QueueTestSupport.NO_BACKOFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.jobs.JobQueue.Completion;
import io.robustlab.jobs.JobQueue.LeaseStatus;
import io.robustlab.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static TestDatabase db;
    private static JobQueue queue;
    private String type;

    @BeforeAll
    static void database() {
        db = QueueTestSupport.migratedDatabase();
        queue = new JobQueue(db.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void freshType() {
        // Each test claims only its own type, so tests never see each other's jobs.
        type = "test." + UUID.randomUUID();
    }

    private Job claimOne(String owner) {
        List<Job> jobs = queue.claim(owner, List.of(type), 1, LEASE, "cpu");
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    private JobState state(UUID id) {
        return queue.find(id).orElseThrow().state();
    }

    @Test
    void claimsInPriorityThenRunAtThenIdOrder() {
        Instant past = Instant.now().minusSeconds(60);
        UUID late = queue.submit(NewJob.of(type, "{}").withPriority(5)).job().id();
        UUID urgent = queue.submit(NewJob.of(type, "{}").withPriority(1)).job().id();
        UUID early = queue.submit(new NewJob(null, type, "{}", 5, 3, List.of(), null, null, past)).job().id();
        UUID future = queue.submit(new NewJob(null, type, "{}", 0, 3, List.of(), null, null, Instant.now().plusSeconds(3600))).job().id();

        List<Job> claimed = queue.claim("w", List.of(type), 10, LEASE, "cpu");

        assertThat(claimed).extracting(Job::id).containsExactly(urgent, early, late);
        assertThat(claimed).allSatisfy(j -> {
            assertThat(j.state()).isEqualTo(JobState.RUNNING);
            assertThat(j.attempt()).isEqualTo(1);
            assertThat(j.leaseOwner()).isEqualTo("w");
            assertThat(j.device()).isEqualTo("cpu");
        });
        assertThat(state(future)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void jobsThatRequireAGpuGoOnlyToGpuSlots() {
        UUID gpuOnly = queue.submit(NewJob.of(type, "{}").withRequiresGpu(true).withPriority(0)).job().id();
        UUID anywhere = queue.submit(NewJob.of(type, "{}").withPriority(1)).job().id();

        assertThat(queue.claim("cpu-slot", List.of(type), 10, LEASE, "cpu")).extracting(Job::id).containsExactly(anywhere);
        List<Job> onGpu = queue.claim("gpu-slot", List.of(type), 10, LEASE, "gpu:1");
        assertThat(onGpu).extracting(Job::id).containsExactly(gpuOnly);
        assertThat(onGpu.get(0).device()).isEqualTo("gpu:1");
    }

    @Test
    void claimsOnlyTheTypesAsked() {
        UUID other = queue.submit(NewJob.of(type + ".other", "{}")).job().id();
        assertThat(queue.claim("w", List.of(type), 10, LEASE, "cpu")).isEmpty();
        assertThat(state(other)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void completionStoresTheResultAndRecordsEveryStateChange() {
        UUID id = queue.submit(NewJob.of(type, "{\"n\": 1}")).job().id();
        Job job = claimOne("w");
        assertThat(queue.reportProgress(id, "w", 0.5, "half way", LEASE)).isEqualTo(LeaseStatus.HELD);

        assertThat(queue.complete("w", List.of(new Completion(job.id(), "{\"answer\": 42}")))).containsExactly(id);

        Job done = queue.find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result()).contains("\"answer\": 42");
        assertThat(done.progress()).isEqualTo(1.0);
        assertThat(done.leaseOwner()).isNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(queue.events(id)).extracting(JobEvent::toState)
                .containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
    }

    @Test
    void aWorkerThatLostItsLeaseCannotWriteTheJob() {
        UUID id = queue.submit(NewJob.of(type, "{}")).job().id();
        claimOne("first");
        QueueTestSupport.sql(db, "UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id = '" + id + "'");
        assertThat(queue.rescueExpired(NO_BACKOFF)).isEqualTo(1);
        claimOne("second");

        assertThat(queue.reportProgress(id, "first", 0.9, "stale", LEASE)).isEqualTo(LeaseStatus.LOST);
        assertThat(queue.complete("first", List.of(new Completion(id, "{\"stale\": true}")))).isEmpty();
        assertThat(queue.heartbeat("first", List.of(id), LEASE)).containsEntry(id, LeaseStatus.LOST);
        assertThat(queue.complete("second", List.of(new Completion(id, "{}")))).containsExactly(id);
        assertThat(queue.find(id).orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void retryableFailuresComeBackAfterExponentialBackoffUntilAttemptsRunOut() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(25), 0);
        UUID id = queue.submit(NewJob.of(type, "{}").withMaxAttempts(3)).job().id();

        claimOne("w");
        assertThat(queue.fail(id, "w", "boom 1", true, backoff)).contains(JobState.QUEUED);
        Job afterFirst = queue.find(id).orElseThrow();
        assertThat(afterFirst.error()).isEqualTo("boom 1");
        assertThat(Duration.between(afterFirst.updatedAt(), afterFirst.runAt()).toMillis()).isBetween(9_900L, 10_100L);
        assertThat(queue.claim("w", List.of(type), 1, LEASE, "cpu")).as("not before run_at").isEmpty();

        QueueTestSupport.sql(db, "UPDATE job SET run_at = now() WHERE id = '" + id + "'");
        claimOne("w");
        queue.fail(id, "w", "boom 2", true, backoff);
        Job afterSecond = queue.find(id).orElseThrow();
        assertThat(Duration.between(afterSecond.updatedAt(), afterSecond.runAt()).toMillis()).as("doubled").isBetween(19_900L, 20_100L);

        QueueTestSupport.sql(db, "UPDATE job SET run_at = now() WHERE id = '" + id + "'");
        claimOne("w");
        assertThat(queue.fail(id, "w", "boom 3", true, backoff)).contains(JobState.FAILED);
        Job failed = queue.find(id).orElseThrow();
        assertThat(failed.attempt()).isEqualTo(3);
        assertThat(failed.error()).isEqualTo("boom 3");
        assertThat(queue.events(id)).extracting(JobEvent::toState).containsExactly(
                JobState.QUEUED, JobState.RUNNING, JobState.QUEUED, JobState.RUNNING, JobState.QUEUED, JobState.RUNNING, JobState.FAILED);
    }

    @Test
    void backoffIsCappedAndJittered() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(15), 0.5);
        UUID id = queue.submit(NewJob.of(type, "{}").withMaxAttempts(5)).job().id();
        QueueTestSupport.sql(db, "UPDATE job SET attempt = 3 WHERE id = '" + id + "'");
        claimOne("w");
        queue.fail(id, "w", "x", true, backoff);
        Job j = queue.find(id).orElseThrow();
        // attempt 4: 10 * 2^3 = 80 s, capped at 15 s, then stretched by up to 50 %.
        assertThat(Duration.between(j.updatedAt(), j.runAt()).toMillis()).isBetween(14_900L, 22_600L);
    }

    @Test
    void permanentFailureIgnoresRemainingAttempts() {
        UUID id = queue.submit(NewJob.of(type, "{}").withMaxAttempts(5)).job().id();
        claimOne("w");
        assertThat(queue.fail(id, "w", "corrupt input", false, NO_BACKOFF)).contains(JobState.FAILED);
        assertThat(queue.find(id).orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void dependentsWaitBlockedAndAreQueuedWhenAllDependenciesSucceed() {
        UUID a = queue.submit(NewJob.of(type, "{}")).job().id();
        UUID b = queue.submit(NewJob.of(type, "{}")).job().id();
        UUID c = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(a, b))).job().id();
        assertThat(state(c)).isEqualTo(JobState.BLOCKED);

        List<Job> both = queue.claim("w", List.of(type), 2, LEASE, "cpu");
        assertThat(both).extracting(Job::id).containsExactlyInAnyOrder(a, b);
        queue.complete("w", List.of(new Completion(a, "{}")));
        assertThat(state(c)).as("one of two dependencies done").isEqualTo(JobState.BLOCKED);
        queue.complete("w", List.of(new Completion(b, "{}")));
        assertThat(state(c)).isEqualTo(JobState.QUEUED);

        UUID d = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(a))).job().id();
        assertThat(state(d)).as("dependency already succeeded").isEqualTo(JobState.QUEUED);
    }

    @Test
    void aFailedDependencyCancelsAllDependentsTransitively() {
        UUID root = queue.submit(NewJob.of(type, "{}").withMaxAttempts(1)).job().id();
        UUID child = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(root))).job().id();
        UUID grandchild = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(child))).job().id();

        claimOne("w");
        queue.fail(root, "w", "diverged", true, NO_BACKOFF);

        for (UUID id : List.of(child, grandchild)) {
            Job j = queue.find(id).orElseThrow();
            assertThat(j.state()).isEqualTo(JobState.CANCELLED);
            assertThat(j.error()).isEqualTo("dependency " + root + " failed");
        }
        Job late = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(root))).job();
        assertThat(late.state()).as("submitted after the failure").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void unknownDependenciesAreRejectedAndNothingIsStored() {
        UUID ghost = UUID.randomUUID();
        assertThatThrownBy(() -> queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(ghost))))
                .isInstanceOfSatisfying(UnknownDependencyException.class, e -> assertThat(e.missing()).containsExactly(ghost));
        assertThat(queue.claim("w", List.of(type), 10, LEASE, "cpu")).isEmpty();
    }

    @Test
    void cancellingAQueuedJobEndsItAndItsDependentsAtOnce() {
        UUID a = queue.submit(NewJob.of(type, "{}")).job().id();
        UUID b = queue.submit(NewJob.of(type, "{}").withDependsOn(List.of(a))).job().id();

        assertThat(queue.cancel(a)).contains(CancelOutcome.CANCELLED);

        assertThat(state(a)).isEqualTo(JobState.CANCELLED);
        assertThat(state(b)).isEqualTo(JobState.CANCELLED);
        assertThat(queue.cancel(a)).contains(CancelOutcome.ALREADY_FINISHED);
        assertThat(queue.cancel(UUID.randomUUID())).isEmpty();
    }

    @Test
    void cancellingARunningJobIsSeenAtItsNextProgressReport() {
        UUID id = queue.submit(NewJob.of(type, "{}")).job().id();
        claimOne("w");

        assertThat(queue.cancel(id)).contains(CancelOutcome.REQUESTED);
        assertThat(state(id)).isEqualTo(JobState.RUNNING);
        assertThat(queue.reportProgress(id, "w", 0.3, "epoch 3", LEASE)).isEqualTo(LeaseStatus.CANCEL_REQUESTED);
        assertThat(queue.acknowledgeCancel(id, "w")).isTrue();
        assertThat(state(id)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void anIdempotencyKeyNamesOneLiveJob() {
        String key = "import-" + type;
        Submission first = queue.submit(NewJob.of(type, "{}").withIdempotencyKey(key));
        Submission again = queue.submit(NewJob.of(type, "{\"other\": 1}").withIdempotencyKey(key));
        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(first.job().id());

        Job running = claimOne("w");
        queue.complete("w", List.of(new Completion(running.id(), "{}")));
        Submission afterEnd = queue.submit(NewJob.of(type, "{}").withIdempotencyKey(key));
        assertThat(afterEnd.created()).as("the key is free once its job ended").isTrue();
        assertThat(afterEnd.job().id()).isNotEqualTo(first.job().id());
    }

    @Test
    void rescueRequeuesExpiredLeasesAndFailsJobsOutOfAttempts() {
        UUID retried = queue.submit(NewJob.of(type, "{}").withMaxAttempts(2)).job().id();
        UUID last = queue.submit(NewJob.of(type, "{}").withMaxAttempts(1)).job().id();
        UUID healthy = queue.submit(NewJob.of(type, "{}")).job().id();
        queue.claim("dead", List.of(type), 3, LEASE, "cpu");
        QueueTestSupport.sql(db, "UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id IN ('"
                + retried + "', '" + last + "')");

        assertThat(queue.rescueExpired(NO_BACKOFF)).isEqualTo(2);

        Job r = queue.find(retried).orElseThrow();
        assertThat(r.state()).isEqualTo(JobState.QUEUED);
        assertThat(r.error()).contains("lease expired on attempt 1").contains("dead");
        Job l = queue.find(last).orElseThrow();
        assertThat(l.state()).isEqualTo(JobState.FAILED);
        assertThat(l.error()).contains("lease expired");
        assertThat(state(healthy)).isEqualTo(JobState.RUNNING);
        assertThat(queue.events(retried)).last().satisfies(e -> assertThat(e.message()).contains("lease expired"));
    }

    @Test
    void handingBackReturnsTheJobWithoutSpendingAnAttempt() {
        UUID id = queue.submit(NewJob.of(type, "{}").withMaxAttempts(1)).job().id();
        claimOne("w");
        assertThat(queue.handBack(id, "w")).isTrue();
        Job j = queue.find(id).orElseThrow();
        assertThat(j.state()).isEqualTo(JobState.QUEUED);
        assertThat(j.attempt()).isZero();
        assertThat(claimOne("other").attempt()).isEqualTo(1);
    }

    @Test
    void submitAllIsAllOrNothing() {
        UUID ghost = UUID.randomUUID();
        assertThatThrownBy(() -> queue.submitAll(List.of(NewJob.of(type, "{}"), NewJob.of(type, "{}").withDependsOn(List.of(ghost)))))
                .isInstanceOf(UnknownDependencyException.class);
        assertThat(queue.claim("w", List.of(type), 10, LEASE, "cpu")).isEmpty();
        assertThat(queue.submitAll(List.of(NewJob.of(type, "{}"), NewJob.of(type, "{}")))).hasSize(2);
        assertThat(Set.copyOf(queue.claim("w", List.of(type), 10, LEASE, "cpu"))).hasSize(2);
    }

    @Test
    void aSubmissionInTheCallersTransactionRollsBackWithIt() {
        java.util.concurrent.atomic.AtomicReference<UUID> submitted = new java.util.concurrent.atomic.AtomicReference<>();
        assertThatThrownBy(() -> Tx.run(queue.dataSource(), c -> {
            submitted.set(queue.submit(c, NewJob.of(type, "{}")).job().id());
            assertThat(queue.find(c, submitted.get())).as("visible inside the caller's transaction").isPresent();
            throw new IllegalStateException("the caller's own write failed");
        })).hasMessageContaining("the caller's own write failed");
        assertThat(queue.find(submitted.get())).as("gone with the caller's rollback").isEmpty();
        assertThat(queue.claim("w", List.of(type), 1, LEASE, "cpu")).isEmpty();
    }
}
