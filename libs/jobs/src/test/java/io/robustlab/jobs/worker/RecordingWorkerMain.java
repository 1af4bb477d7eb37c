package io.robustlab.jobs.worker;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.robustlab.jobs.JobQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * A worker process for the crash test: one thread, a short lease, and a handler that records each
 * execution in the database before doing its work, so executions can be counted across processes.
 * Jobs whose spec contains {@code "slow"} report progress for a minute, long enough to be killed mid-job;
 * jobs whose spec contains {@code "crash"} end the process at once, as a native crash would.
 *
 * <p>Arguments: jdbc-url user password owner-prefix
 */
public final class RecordingWorkerMain {

    static final String TYPE = "crash.recorded";

    private RecordingWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(4);
        HikariDataSource ds = new HikariDataSource(config);
        new WorkerPool(new JobQueue(ds), List.of(new RecordingHandler(ds)), settings(args[3])).start();
        Thread.sleep(Long.MAX_VALUE);
    }

    static WorkerSettings settings(String ownerPrefix) {
        return WorkerSettings.defaults(ownerPrefix).withLease(Duration.ofSeconds(2), Duration.ofMillis(500))
                .withPollEvery(Duration.ofMillis(200));
    }

    /** Inserts (job, owner) into {@code execution}, then, for slow jobs, works for a minute; crash jobs halt the JVM. */
    static final class RecordingHandler implements JobHandler {
        private final DataSource dataSource;

        RecordingHandler(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String handle(JobContext context) throws SQLException, InterruptedException {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO execution (job_id, owner) VALUES (?, ?)")) {
                ps.setObject(1, context.job().id());
                ps.setString(2, context.job().leaseOwner());
                ps.executeUpdate();
            }
            if (context.spec().contains("crash")) {
                Runtime.getRuntime().halt(134); // like a libtorch abort: no shutdown hook, no hand-back, no error written
            }
            if (context.spec().contains("slow") && context.job().leaseOwner().startsWith("doomed")) {
                for (int second = 0; second < 60; second++) {
                    context.progress(second / 60.0, "second " + second);
                    Thread.sleep(1000);
                }
            }
            return "{\"by\": \"" + context.job().leaseOwner() + "\"}";
        }
    }
}
