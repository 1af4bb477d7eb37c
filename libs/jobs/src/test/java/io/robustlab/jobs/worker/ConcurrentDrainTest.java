package io.robustlab.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Acceptance 1 of issue 2: two pools on separate connection pools, 8 threads each, drain 10,000 jobs exactly once. */
class ConcurrentDrainTest {

    private static final int JOBS = 10_000;

    @Test
    void twoPoolsOfEightThreadsRunEveryJobExactlyOnce() throws Exception {
        try (TestDatabase db = QueueTestSupport.migratedDatabase();
             HikariDataSource connectionsA = db.newPool(12);
             HikariDataSource connectionsB = db.newPool(12)) {
            JobQueue submitter = new JobQueue(db.dataSource());
            List<UUID> ids = new ArrayList<>();
            for (int chunk = 0; chunk < JOBS; chunk += 1_000) {
                List<NewJob> batch = IntStream.range(0, 1_000).mapToObj(i -> NewJob.of("drain", "{}").withPriority(i % 7)).toList();
                submitter.submitAll(batch).forEach(s -> ids.add(s.job().id()));
            }

            CountingHandler handler = new CountingHandler("drain");
            WorkerSettings base = WorkerSettings.defaults("drain").withThreads(8).withPollEvery(Duration.ofMillis(200));
            // Different claim batch sizes on the two pools exercise single and batched claims together.
            try (WorkerPool a = new WorkerPool(new JobQueue(connectionsA), List.of(handler),
                        new WorkerSettings(WorkerSettings.ownerName("pool-a"), 8, 1, base.lease(), base.heartbeatEvery(),
                                base.pollEvery(), base.shutdownGrace(), base.backoff(), "cpu")).start();
                 WorkerPool b = new WorkerPool(new JobQueue(connectionsB), List.of(handler),
                        new WorkerSettings(WorkerSettings.ownerName("pool-b"), 8, 8, base.lease(), base.heartbeatEvery(),
                                base.pollEvery(), base.shutdownGrace(), base.backoff(), "cpu")).start()) {
                QueueTestSupport.await("all jobs to succeed", Duration.ofMinutes(3), () -> count(db, "state = 'SUCCEEDED'") == JOBS);
            }

            assertThat(handler.runs).hasSize(JOBS);
            assertThat(handler.runs.values()).extracting(AtomicInteger::get).containsOnly(1);
            assertThat(handler.runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(count(db, "state <> 'SUCCEEDED'")).isZero();
            assertThat(count(db, "attempt <> 1")).as("no job was claimed twice").isZero();
            assertThat(handler.byPool).as("both pools took part").containsOnlyKeys("pool-a", "pool-b");
        }
    }

    private static long count(TestDatabase db, String where) {
        return scalar(db, "SELECT count(*) FROM job WHERE " + where);
    }

    private static long scalar(TestDatabase db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
