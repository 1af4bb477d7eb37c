package io.robustlab.jobs;

/**
 * Every statement the queue runs, named and in one place: the job table's whole protocol is here to
 * read in one sitting. pgjdbc reads jsonb columns as their JSON text, so {@code *} maps directly.
 */
final class JobSql {

    private static final String LIVE_STATES = "('BLOCKED', 'QUEUED', 'RUNNING')";

    // ---------------------------------------------------------------- submission

    /** The insert loses to a live job with the same idempotency key: then it returns no row. */
    static final String INSERT = "INSERT INTO job (id, type, spec, state, priority, run_at, max_attempts, experiment_id,"
            + " idempotency_key, error, finished_at, requires_gpu, cache_key)"
            + " VALUES (?, ?, ?::jsonb, ?, ?, coalesce(?, now()), ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?, ?)"
            + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL AND state IN " + LIVE_STATES
            + " DO NOTHING RETURNING *";

    static final String LIVE_WITH_KEY = "SELECT * FROM job WHERE idempotency_key = ? AND state IN " + LIVE_STATES;

    static final String LOCK_FOR_CANCEL = "SELECT state FROM job WHERE id = ? FOR UPDATE";

    static final String REQUEST_CANCEL = "UPDATE job SET cancel_requested = true, updated_at = now() WHERE id = ?";

    static final String CANCEL_NOW = "UPDATE job SET state = 'CANCELLED', cancel_requested = true, error = 'cancelled by request',"
            + " finished_at = now(), updated_at = now() WHERE id = ? RETURNING id, state";

    // ---------------------------------------------------------------- reads

    static final String BY_ID = "SELECT * FROM job WHERE id = ?";

    static final String BY_IDS = "SELECT * FROM job WHERE id = ANY(?)";

    static final String CACHED = "SELECT * FROM job WHERE cache_key = ? AND state = 'SUCCEEDED' ORDER BY finished_at DESC LIMIT 1";

    static final String LIVE_OF_EXPERIMENT = "SELECT id FROM job WHERE experiment_id = ? AND state IN " + LIVE_STATES + " ORDER BY id";

    static final String EVENTS = "SELECT id, job_id, from_state, to_state, attempt, message, at FROM job_event WHERE job_id = ? ORDER BY id";

    // ---------------------------------------------------------------- worker transitions

    /**
     * One index-ordered probe per type (the LATERAL subquery), merged by priority: with
     * {@code type = ANY(...)} PostgreSQL cannot read the (type, priority, run_at, id) index in order
     * and sorts every queued row on each claim, which made a claim cost grow with the queue's length.
     */
    static final String CLAIM = "WITH next AS ("
            + " SELECT q.id FROM unnest(?::text[]) AS t(type) CROSS JOIN LATERAL ("
            + "   SELECT id, priority, run_at FROM job"
            + "   WHERE state = 'QUEUED' AND job.type = t.type AND run_at <= now() AND (NOT requires_gpu OR ?)"
            + "   ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) q"
            + " ORDER BY q.priority, q.run_at, q.id LIMIT ?)"
            + " UPDATE job j SET state = 'RUNNING', attempt = j.attempt + 1, lease_owner = ?,"
            + " lease_expires_at = now() + ? * interval '1 millisecond', device = ?, started_at = now(),"
            + " updated_at = now(), progress = 0, progress_message = NULL"
            + " FROM next WHERE j.id = next.id RETURNING j.*";

    static final String HEARTBEAT = "UPDATE job SET lease_expires_at = now() + ? * interval '1 millisecond'"
            + " WHERE id = ANY(?) AND lease_owner = ? AND state = 'RUNNING' RETURNING id, cancel_requested";

    static final String PROGRESS = "UPDATE job SET progress = ?, progress_message = ?, updated_at = now(),"
            + " lease_expires_at = now() + ? * interval '1 millisecond'"
            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING cancel_requested";

    static final String COMPLETE = "UPDATE job j SET state = 'SUCCEEDED', result = r.result::jsonb, progress = 1, error = NULL,"
            + " lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()"
            + " FROM unnest(?::uuid[], ?::text[]) AS r(id, result)"
            + " WHERE j.id = r.id AND j.lease_owner = ? AND j.state = 'RUNNING' RETURNING j.id";

    /** Parameters: retryable, the backoff's, error, retryable, id, owner. */
    static final String FAIL = "UPDATE job SET"
            + " state = CASE WHEN ? AND attempt < max_attempts THEN 'QUEUED' ELSE 'FAILED' END,"
            + " run_at = now() + " + Backoff.DELAY_SECONDS_SQL + " * interval '1 second',"
            + " error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),"
            + " finished_at = CASE WHEN ? AND attempt < max_attempts THEN NULL ELSE now() END"
            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state";

    static final String HAND_BACK = "UPDATE job SET state = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'QUEUED' END,"
            + " attempt = CASE WHEN cancel_requested THEN attempt ELSE attempt - 1 END,"
            + " error = CASE WHEN cancel_requested THEN 'cancelled by request' ELSE 'handed back: worker ' || lease_owner || ' shut down' END,"
            + " finished_at = CASE WHEN cancel_requested THEN now() END,"
            + " run_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
            + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state";

    static final String END_LEASE = "UPDATE job SET state = ?, error = ?, lease_owner = NULL, lease_expires_at = NULL,"
            + " finished_at = now(), updated_at = now() WHERE id = ? AND lease_owner = ? AND state = 'RUNNING' RETURNING id, state";

    /** Parameters: the backoff's. */
    static final String RESCUE_EXPIRED = "WITH expired AS ("
            + " SELECT id FROM job WHERE state = 'RUNNING' AND lease_expires_at < now()"
            + " ORDER BY lease_expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)"
            + " UPDATE job j SET"
            + " state = CASE WHEN j.cancel_requested THEN 'CANCELLED' WHEN j.attempt >= j.max_attempts THEN 'FAILED' ELSE 'QUEUED' END,"
            + " run_at = now() + " + Backoff.DELAY_SECONDS_SQL + " * interval '1 second',"
            + " error = 'lease expired on attempt ' || j.attempt || ': worker ' || j.lease_owner || ' stopped heartbeating',"
            + " finished_at = CASE WHEN j.cancel_requested OR j.attempt >= j.max_attempts THEN now() END,"
            + " lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
            + " FROM expired WHERE j.id = expired.id RETURNING j.id, j.state";

    // ---------------------------------------------------------------- dependencies

    /** Locks the dependencies (FOR SHARE): none can finish between this read and the dependent's insert. */
    static final String LOCK_DEPENDENCIES = "SELECT id, state FROM job WHERE id = ANY(?) ORDER BY id FOR SHARE";

    static final String INSERT_DEPENDENCIES =
            "INSERT INTO job_dependency (job_id, depends_on) SELECT ?, unnest(?::uuid[]) ON CONFLICT DO NOTHING";

    static final String LOCK_BLOCKED_DEPENDENTS = "SELECT j.id FROM job j WHERE j.state = 'BLOCKED'"
            + " AND j.id IN (SELECT d.job_id FROM job_dependency d WHERE d.depends_on = ANY(?))"
            + " ORDER BY j.id FOR UPDATE";

    static final String RELEASE_READY = "UPDATE job j SET state = 'QUEUED', run_at = now(), updated_at = now()"
            + " WHERE j.id = ANY(?) AND j.state = 'BLOCKED' AND NOT EXISTS ("
            + " SELECT 1 FROM job_dependency d JOIN job p ON p.id = d.depends_on"
            + " WHERE d.job_id = j.id AND p.state <> 'SUCCEEDED')";

    static final String CANCEL_DEPENDENTS = "WITH RECURSIVE doomed(id, root) AS ("
            + " SELECT d.job_id, d.depends_on FROM job_dependency d WHERE d.depends_on = ANY(?)"
            + " UNION SELECT d.job_id, doomed.root FROM job_dependency d JOIN doomed ON d.depends_on = doomed.id)"
            + " UPDATE job j SET state = 'CANCELLED', finished_at = now(), updated_at = now(),"
            + " error = 'dependency ' || r.root || ' ' || lower(p.state)"
            + " FROM (SELECT DISTINCT ON (id) id, root FROM doomed ORDER BY id, root) r JOIN job p ON p.id = r.root"
            + " WHERE j.id = r.id AND j.state = 'BLOCKED'";

    private JobSql() {
    }
}
