-- Experiments: a template expanded into named steps, each run as a job once the steps it reads
-- from have succeeded. The gateway's engine advances them; the job table stays the only queue.

-- A job submitted with a cache key may be answered by an earlier SUCCEEDED job with the same key
-- (same type, same resolved spec, hence the same input artifacts).
ALTER TABLE job ADD COLUMN cache_key text;
CREATE INDEX job_cache_hit ON job (cache_key, finished_at DESC) WHERE state = 'SUCCEEDED' AND cache_key IS NOT NULL;

CREATE TABLE experiment (
    id          uuid        PRIMARY KEY,
    template    text        NOT NULL,
    preset      text        NOT NULL,
    name        text,
    parameters  jsonb       NOT NULL,
    use_cache   boolean     NOT NULL DEFAULT true,
    state       text        NOT NULL CHECK (state IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    -- How many times it was retried; step jobs of each round get fresh ids.
    round       integer     NOT NULL DEFAULT 0,
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX experiment_running ON experiment (updated_at) WHERE state = 'RUNNING';
CREATE INDEX experiment_created ON experiment (created_at DESC, id);

CREATE TABLE experiment_step (
    experiment_id uuid    NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          text    NOT NULL,
    position      integer NOT NULL,
    title         text    NOT NULL,
    job_type      text    NOT NULL,
    -- The spec with its references to other steps' outputs still unresolved, and the steps it reads from.
    spec_template jsonb   NOT NULL,
    depends_on    text[]  NOT NULL,
    -- When set, the step's outputs are the result of the job whose id this field of the job's result
    -- names (dataset.construct plans shard jobs and a merge job; the merge writes the dataset).
    follow_field  text,
    max_attempts  integer NOT NULL,
    state         text    NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    job_id        uuid,
    cache_hit     boolean NOT NULL DEFAULT false,
    spec          jsonb,
    outputs       jsonb,
    error         text,
    started_at    timestamptz,
    finished_at   timestamptz,
    PRIMARY KEY (experiment_id, name)
);
