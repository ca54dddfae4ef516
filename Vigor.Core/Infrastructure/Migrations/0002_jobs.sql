-- Long-running work (AI requests) runs as Durable orchestrations whose instance id is the job id.
-- This table records who owns which job, so GET jobs/{id} can answer 404 for anyone else's.
CREATE TABLE jobs (
    id         text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_user ON jobs (user_id, created_at DESC);
