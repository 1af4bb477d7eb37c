package io.robustlab.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobsSchema;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.worker.JobHandler;
import io.robustlab.jobs.worker.WorkerPool;
import io.robustlab.jobs.worker.WorkerSettings;
import io.robustlab.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Jobs per second through the real worker pool (claim with SKIP LOCKED, run a no-op handler,
 * complete), for 1, 4 and 16 worker threads, one job per claim and batched claims. Every run uses
 * a fresh database on the server the tests use (see TestDatabase). Target: 5,000 jobs/s at 16.
 *
 * <p>Run: bench/queue-benchmark.sh
 */
public final class QueueBenchmark {

    private static final double TARGET_AT_16 = 5_000;

    private QueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        System.out.printf("queue benchmark: %d no-op jobs per run, PostgreSQL %s, %d cores%n", jobs, serverVersion(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-8s %-12s %12s %12s%n", "workers", "claim batch", "jobs/s", "target");
        for (int workers : new int[] {1, 4, 16}) {
            for (int batch : new int[] {1, 32}) {
                double rate = run(workers, batch, workers == 1 && batch == 1 ? Math.min(jobs, 5_000) : jobs);
                String target = workers == 16 ? String.format("%,.0f", TARGET_AT_16) : "-";
                System.out.printf("%-8d %-12d %,12.0f %12s%n", workers, batch, rate, target);
            }
        }
    }

    private static double run(int workers, int batch, int jobs) throws Exception {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = db.newPool(workers + 4)) {
            JobsSchema.migrate(pool);
            JobQueue queue = new JobQueue(pool);
            for (int done = 0; done < jobs; done += 1_000) {
                int n = Math.min(1_000, jobs - done);
                queue.submitAll(IntStream.range(0, n).mapToObj(i -> NewJob.of("bench.noop", "{}")).toList());
            }
            JobHandler noop = new JobHandler() {
                public String type() {
                    return "bench.noop";
                }

                public String handle(io.robustlab.jobs.worker.JobContext context) {
                    return "{}";
                }
            };
            WorkerSettings settings = WorkerSettings.defaults("bench").withThreads(workers).withClaimBatch(batch)
                    .withPollEvery(Duration.ofMillis(50));
            try (WorkerPool workerPool = new WorkerPool(queue, List.of(noop), settings).start()) {
                while (scalar(pool, "SELECT count(*) FROM job WHERE state = 'SUCCEEDED'") < jobs) {
                    Thread.sleep(20);
                }
            }
            // The drain as the database saw it: first claim to last completion, free of polling granularity.
            double seconds = scalar(pool, "SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM job");
            return jobs / seconds;
        }
    }

    private static double scalar(HikariDataSource pool, String sql) throws Exception {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static String serverVersion() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Connection c = db.dataSource().getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        }
    }
}
