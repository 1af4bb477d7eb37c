package io.robustlab.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobEvent;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2 of issue 2: a worker process killed with SIGKILL mid-job. Its job is rescued after
 * the lease expires and finishes on another worker; every other job runs exactly once.
 */
class WorkerCrashTest {

    @Test
    void aKilledWorkersJobIsRescuedAndFinishedElsewhereAndNothingElseIsLost() throws Exception {
        try (TestDatabase db = QueueTestSupport.migratedDatabase()) {
            QueueTestSupport.sql(db, "CREATE TABLE execution (job_id uuid NOT NULL, owner text NOT NULL)");
            JobQueue queue = new JobQueue(db.dataSource());
            // Priorities make the single-threaded doomed worker finish ten quick jobs, then take the slow one.
            List<UUID> before = submit(queue, 10, 0);
            UUID slow = queue.submit(NewJob.of(RecordingWorkerMain.TYPE, "{\"slow\": true}").withPriority(5)).job().id();
            List<UUID> after = submit(queue, 10, 10);

            Process doomed = startWorkerProcess(db);
            try {
                QueueTestSupport.await("the child to be working on the slow job", Duration.ofSeconds(60), () -> {
                    Job j = queue.find(slow).orElseThrow();
                    return j.state() == JobState.RUNNING && j.progress() > 0;
                });
                String owner = queue.find(slow).orElseThrow().leaseOwner();
                assertThat(owner).startsWith("doomed");
                assertThat(doomed.pid()).isEqualTo(Long.parseLong(owner.substring(owner.indexOf(':') + 1, owner.indexOf('/'))));

                doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back
                assertThat(doomed.waitFor()).isEqualTo(137);
            } finally {
                doomed.destroyForcibly();
            }

            // The observer the services' metrics hang on hears the rescue and the survivor's claims.
            Set<UUID> claimedBySurvivor = ConcurrentHashMap.newKeySet();
            AtomicInteger rescuesHeard = new AtomicInteger();
            JobObserver observer = new JobObserver() {
                @Override
                public void claimed(Job job) {
                    claimedBySurvivor.add(job.id());
                }

                @Override
                public void rescued(int count) {
                    rescuesHeard.addAndGet(count);
                }
            };
            try (WorkerPool survivor = new WorkerPool(queue, List.of(new RecordingWorkerMain.RecordingHandler(db.dataSource())),
                        RecordingWorkerMain.settings("survivor"), observer).start();
                 Rescuer rescuer = new Rescuer(queue, QueueTestSupport.NO_BACKOFF, Duration.ofMillis(250), observer).start()) {
                QueueTestSupport.await("every job to succeed", Duration.ofSeconds(60),
                        () -> queue.findAll(all(before, slow, after)).stream().allMatch(j -> j.state() == JobState.SUCCEEDED));
                assertThat(rescuer.rescued()).isEqualTo(1);
                assertThat(rescuesHeard.get()).isEqualTo(1);
                assertThat(claimedBySurvivor).contains(slow).containsAll(after);
            }

            Map<UUID, Long> executions = executions(db);
            before.forEach(id -> assertThat(executions.get(id)).as("quick job finished before the kill").isEqualTo(1L));
            after.forEach(id -> assertThat(executions.get(id)).as("quick job after the kill").isEqualTo(1L));
            assertThat(executions.get(slow)).as("the killed attempt and the rescued one").isEqualTo(2L);

            Job rescued = queue.find(slow).orElseThrow();
            assertThat(rescued.attempt()).isEqualTo(2);
            assertThat(rescued.result()).contains("survivor");
            assertThat(queue.events(slow)).extracting(JobEvent::toState).containsExactly(
                    JobState.QUEUED, JobState.RUNNING, JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
            assertThat(queue.events(slow).get(2).message()).contains("lease expired on attempt 1").contains("doomed");
        }
    }

    /**
     * Issue 8: a job that brings its worker down every time it runs. Each crash costs an attempt
     * (the rescuer finds the lease expired); after the last one the job is FAILED with the reason
     * kept, and the worker started after that runs the other jobs, each exactly once.
     */
    @Test
    void aJobThatCrashesItsWorkerEveryTimeFailsAfterItsAttemptsWithTheReasonKept() throws Exception {
        try (TestDatabase db = QueueTestSupport.migratedDatabase()) {
            QueueTestSupport.sql(db, "CREATE TABLE execution (job_id uuid NOT NULL, owner text NOT NULL)");
            JobQueue queue = new JobQueue(db.dataSource());
            UUID crashing = queue.submit(NewJob.of(RecordingWorkerMain.TYPE, "{\"crash\": true}").withPriority(0).withMaxAttempts(3))
                    .job().id();
            List<UUID> others = submit(queue, 5, 10);
            List<Integer> exits = new java.util.ArrayList<>();
            try (Rescuer rescuer = new Rescuer(queue, QueueTestSupport.NO_BACKOFF, Duration.ofMillis(250), JobObserver.NONE).start()) {
                for (int process = 0; process < 10 && queue.find(crashing).orElseThrow().state() != JobState.FAILED; process++) {
                    Process worker = startWorkerProcess(db);
                    try {
                        assertThat(worker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the worker crashed").isTrue();
                        exits.add(worker.exitValue());
                    } finally {
                        worker.destroyForcibly();
                    }
                    QueueTestSupport.await("the crashed attempt to be rescued", Duration.ofSeconds(30),
                            () -> queue.find(crashing).orElseThrow().state() != JobState.RUNNING);
                }
                Process survivor = startWorkerProcess(db);
                try {
                    QueueTestSupport.await("the other jobs to succeed", Duration.ofSeconds(60),
                            () -> queue.findAll(others).stream().allMatch(j -> j.state() == JobState.SUCCEEDED));
                } finally {
                    survivor.destroyForcibly();
                }
            }

            assertThat(exits).containsExactly(134, 134, 134);
            Job failed = queue.find(crashing).orElseThrow();
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.attempt()).isEqualTo(3);
            assertThat(failed.error()).contains("lease expired on attempt 3").contains("stopped heartbeating");
            assertThat(queue.events(crashing)).extracting(JobEvent::toState).containsExactly(JobState.QUEUED, JobState.RUNNING,
                    JobState.QUEUED, JobState.RUNNING, JobState.QUEUED, JobState.RUNNING, JobState.FAILED);
            Map<UUID, Long> executions = executions(db);
            assertThat(executions.get(crashing)).isEqualTo(3L);
            others.forEach(id -> assertThat(executions.get(id)).as("every other job ran once").isEqualTo(1L));
        }
    }

    private static List<UUID> submit(JobQueue queue, int n, int priority) {
        return queue.submitAll(IntStream.range(0, n)
                .mapToObj(i -> NewJob.of(RecordingWorkerMain.TYPE, "{\"quick\": " + i + "}").withPriority(priority)).toList())
                .stream().map(s -> s.job().id()).toList();
    }

    private static List<UUID> all(List<UUID> a, UUID b, List<UUID> c) {
        List<UUID> out = new java.util.ArrayList<>(a);
        out.add(b);
        out.addAll(c);
        return out;
    }

    private static Process startWorkerProcess(TestDatabase db) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                RecordingWorkerMain.class.getName(), db.jdbcUrl(), db.username(), db.password(), "doomed")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "crash-worker.log").toFile()))
                .start();
    }

    private static Map<UUID, Long> executions(TestDatabase db) throws Exception {
        Map<UUID, Long> out = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT job_id, count(*) FROM execution GROUP BY job_id")) {
            while (rs.next()) {
                out.put(rs.getObject(1, UUID.class), rs.getLong(2));
            }
        }
        return out;
    }
}
