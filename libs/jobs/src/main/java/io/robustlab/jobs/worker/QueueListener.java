package io.robustlab.jobs.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that LISTENs for the job table's "queued" notifications and wakes the pool
 * when one names a type it handles. If the connection drops the pool still polls, so a lost
 * notification only delays work by one poll interval; the listener reconnects on its own.
 */
final class QueueListener implements Runnable {

    static final String CHANNEL = "robustlab_job_queued";
    private static final Logger log = LoggerFactory.getLogger(QueueListener.class);

    private final DataSource dataSource;
    private final Set<String> types;
    private final WakeSignal wake;
    private volatile boolean running = true;

    QueueListener(DataSource dataSource, Set<String> types, WakeSignal wake) {
        this.dataSource = dataSource;
        this.types = types;
        this.wake = wake;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                wake.signalAll(); // anything queued while we were not listening
                while (running) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes != null && containsOurs(notes)) {
                        wake.signalAll();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("queue listener lost its connection, polling until it reconnects: {}", e.getMessage());
                    sleepQuietly(1000);
                }
            }
        }
    }

    private boolean containsOurs(PGNotification[] notes) {
        for (PGNotification n : notes) {
            if (types.contains(n.getParameter())) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
