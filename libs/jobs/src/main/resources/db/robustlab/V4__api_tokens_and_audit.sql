-- Who may call the public API, and what they did with it.

-- An API token is kept only as the SHA-256 of its secret: the secret is 256 random bits, so a
-- plain hash can't be reversed or guessed, and a leaked table lets no one in. `hint` (the first
-- characters of the secret) lets a person tell their tokens apart.
CREATE TABLE api_token (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('reader', 'submitter', 'admin')),
    secret_hash bytea       NOT NULL UNIQUE,
    hint        text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
-- One live token per name, so the bootstrap token from configuration can be found and rotated.
CREATE UNIQUE INDEX api_token_live_name ON api_token (name) WHERE revoked_at IS NULL;

-- Every submission, cancellation, retry and token change, with the name of the token that made it.
CREATE TABLE audit_event (
    id       bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,
    action   text        NOT NULL,
    target   text,
    detail   text
);
CREATE INDEX audit_event_newest ON audit_event (at DESC, id DESC);
