package io.robustlab.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.QueueTestSupport;
import io.robustlab.testing.DatabaseOutage;
import io.robustlab.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: PostgreSQL goes away while jobs run, for longer than a lease, and comes back. The worker
 * pool and rescuer (as every service runs them, on a Hikari pool) reconnect by themselves; a job in
 * flight either records its end once the database is back or, if the rescuer finds its lapsed lease
 * first, runs again; every job ends SUCCEEDED and none is lost or failed.
 */
class DatabaseOutageTest {

    private static final String TYPE = "outage.work";

    @Test
    void workersReconnectAfterTheDatabaseWasGoneAndEveryJobSucceeds() throws Exception {
        try (TestDatabase db = QueueTestSupport.migratedDatabase(); DatabaseOutage outage = new DatabaseOutage(db);
             HikariDataSource throughRelay = pool(outage.jdbcUrl(), db)) {
            QueueTestSupport.sql(db, "CREATE TABLE execution (job_id uuid NOT NULL)");
            JobQueue direct = new JobQueue(db.dataSource());
            List<UUID> jobs = direct.submitAll(IntStream.range(0, 12).mapToObj(i -> NewJob.of(TYPE, "{\"n\": " + i + "}")).toList())
                    .stream().map(s -> s.job().id()).toList();

            JobQueue queue = new JobQueue(throughRelay);
            JobHandler work = new JobHandler() {
                public String type() {
                    return TYPE;
                }

                public String handle(JobContext ctx) throws Exception {
                    try (Connection c = db.dataSource().getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO execution (job_id) VALUES (?)")) {
                        ps.setObject(1, ctx.job().id());
                        ps.executeUpdate();
                    }
                    for (int i = 0; i < 10; i++) {
                        Thread.sleep(100); // a second of work, reporting progress (which fails while the database is gone)
                        ctx.progress(i / 10.0, "step " + i);
                    }
                    return "{}";
                }
            };
            WorkerSettings settings = WorkerSettings.defaults("outage").withThreads(3).withLease(Duration.ofSeconds(3), Duration.ofMillis(500))
                    .withPollEvery(Duration.ofMillis(200)).withBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0));
            try (WorkerPool pool = new WorkerPool(queue, List.of(work), settings).start();
                 Rescuer rescuer = new Rescuer(queue, QueueTestSupport.NO_BACKOFF, Duration.ofMillis(250), JobObserver.NONE).start()) {
                QueueTestSupport.await("jobs to be running", Duration.ofSeconds(30),
                        () -> direct.findAll(jobs).stream().anyMatch(j -> j.state() == JobState.RUNNING));
                long doneBefore = direct.findAll(jobs).stream().filter(j -> j.state() == JobState.SUCCEEDED).count();
                outage.begin();
                Thread.sleep(6_000); // twice the lease
                outage.end();
                QueueTestSupport.await("every job to succeed", Duration.ofSeconds(120),
                        () -> direct.findAll(jobs).stream().allMatch(j -> j.state() == JobState.SUCCEEDED));
                assertThat(doneBefore).as("work was left when the database went").isLessThan(jobs.size() - 3);
            }

            List<Job> done = direct.findAll(jobs);
            assertThat(done).allMatch(j -> j.state() == JobState.SUCCEEDED);
            assertThat(done).allMatch(j -> j.attempt() <= j.maxAttempts());
            java.util.Map<UUID, Integer> runs = new java.util.HashMap<>();
            try (Connection c = db.dataSource().getConnection();
                 java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT job_id, count(*) FROM execution GROUP BY job_id")) {
                while (rs.next()) {
                    runs.put(rs.getObject(1, UUID.class), rs.getInt(2));
                }
            }
            // At least once; a second run only for a job whose lapsed lease the rescuer found before its end was recorded.
            jobs.forEach(id -> assertThat(runs.get(id)).as("runs of " + id).isBetween(1, 2));
            // Never two runs on one attempt (a claim cut off mid-commit may cost an attempt without a run).
            done.forEach(j -> assertThat(runs.get(j.id())).as("runs of " + j.id()).isLessThanOrEqualTo(j.attempt()));
        }
    }

    /** The services' pool settings: Hikari's defaults but a small size. */
    private static HikariDataSource pool(String url, TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(6);
        return new HikariDataSource(config);
    }
}
