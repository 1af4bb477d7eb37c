package io.robustlab.jobs;

import io.robustlab.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A migrated database per test class and small helpers shared by the queue tests. */
public final class QueueTestSupport {

    public static final Backoff NO_BACKOFF = new Backoff(Duration.ZERO, Duration.ZERO, 0);

    private QueueTestSupport() {
    }

    public static TestDatabase migratedDatabase() {
        TestDatabase db = TestDatabase.create();
        JobsSchema.migrate(db.dataSource());
        return db;
    }

    public static void sql(TestDatabase db, String statement) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
