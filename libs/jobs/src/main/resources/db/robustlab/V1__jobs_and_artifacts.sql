-- RobustLab's job queue and artifact catalogue. Every service applies this on start; Flyway's
-- PostgreSQL advisory lock makes concurrent starts safe.

CREATE TABLE job (
    id               uuid        PRIMARY KEY,
    type             text        NOT NULL,
    spec             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    state            text        NOT NULL CHECK (state IN ('BLOCKED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    -- Lower runs first, as in River: 0 is the most urgent.
    priority         integer     NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000),
    run_at           timestamptz NOT NULL DEFAULT now(),
    attempt          integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts     integer     NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    lease_owner      text,
    lease_expires_at timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    progress         double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    progress_message text,
    result           jsonb,
    error            text,
    experiment_id    uuid,
    idempotency_key  text,
    device           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    CHECK ((state = 'RUNNING') = (lease_owner IS NOT NULL))
);

-- The claim query walks this index in (priority, run_at, id) order for one type at a time.
CREATE INDEX job_claimable ON job (type, priority, run_at, id) WHERE state = 'QUEUED';
-- The rescuer looks only at running jobs.
CREATE INDEX job_lease ON job (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX job_experiment ON job (experiment_id) WHERE experiment_id IS NOT NULL;
CREATE INDEX job_created ON job (created_at DESC, id);
-- An idempotency key names one live job; once it ends, the key may be used again.
CREATE UNIQUE INDEX job_idempotency_key_live ON job (idempotency_key)
    WHERE idempotency_key IS NOT NULL AND state IN ('BLOCKED', 'QUEUED', 'RUNNING');

CREATE TABLE job_dependency (
    job_id     uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    depends_on uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, depends_on),
    CHECK (job_id <> depends_on)
);
CREATE INDEX job_dependency_parent ON job_dependency (depends_on);

CREATE TABLE job_event (
    id         bigserial   PRIMARY KEY,
    job_id     uuid        NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    from_state text,
    to_state   text        NOT NULL,
    attempt    integer     NOT NULL,
    message    text,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX job_event_job ON job_event (job_id, id);

-- Every state change is written by the database itself, so no code path can forget one.
CREATE FUNCTION job_record_state_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_event (job_id, from_state, to_state, attempt, message)
    VALUES (NEW.id,
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END,
            NEW.state,
            NEW.attempt,
            CASE WHEN NEW.state IN ('FAILED', 'CANCELLED') OR (TG_OP = 'UPDATE' AND OLD.state = 'RUNNING' AND NEW.state = 'QUEUED')
                 THEN NEW.error END);
    IF NEW.state = 'QUEUED' THEN
        -- Wakes the workers that LISTEN; identical payloads in one transaction are folded into one.
        PERFORM pg_notify('robustlab_job_queued', NEW.type);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER job_state_inserted AFTER INSERT ON job
    FOR EACH ROW EXECUTE FUNCTION job_record_state_change();
CREATE TRIGGER job_state_changed AFTER UPDATE OF state ON job
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION job_record_state_change();

CREATE TABLE artifact (
    id           uuid        PRIMARY KEY,
    kind         text        NOT NULL,
    name         text        NOT NULL,
    media_type   text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256       char(64)    NOT NULL,
    job_id       uuid        REFERENCES job (id) ON DELETE SET NULL,
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifact_job ON artifact (job_id);
CREATE INDEX artifact_kind ON artifact (kind, created_at DESC);
