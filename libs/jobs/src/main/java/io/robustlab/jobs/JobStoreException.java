package io.robustlab.jobs;

import java.sql.SQLException;

/** The database could not be reached or refused a statement the queue relies on. */
public class JobStoreException extends RuntimeException {
    public JobStoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
