package io.robustlab.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs a unit of work in one transaction, retrying it when PostgreSQL aborts it for a deadlock or a
 * serialization failure; both are expected when many workers complete related jobs at once.
 */
public final class Tx {

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int ATTEMPTS = 5;

    private Tx() {
    }

    public static <T> T run(DataSource ds, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T value = work.run(c);
                    c.commit();
                    return value;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isTransient(e)) {
                    continue;
                }
                throw new JobStoreException(e);
            }
        }
    }

    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }
}
