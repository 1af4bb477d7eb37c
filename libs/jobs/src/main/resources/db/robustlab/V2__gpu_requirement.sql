-- A job whose spec asks for a GPU is claimed only by worker slots pinned to one.
ALTER TABLE job ADD COLUMN requires_gpu boolean NOT NULL DEFAULT false;
