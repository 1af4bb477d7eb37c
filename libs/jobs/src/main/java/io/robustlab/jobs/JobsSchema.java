package io.robustlab.jobs;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The job and artifact schema: one set of Flyway migrations, applied by whichever process starts first. */
public final class JobsSchema {

    public static final String LOCATION = "classpath:db/robustlab";

    private JobsSchema() {
    }

    /** Applies pending migrations; Flyway's advisory lock makes concurrent starts safe. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
    }
}
