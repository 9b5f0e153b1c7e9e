-- 0020: what the last billing run did, for GET /metrics. Owned by src/jobs
-- (billing_run_last.c): one row (id 1), replaced when a run finishes on any
-- node; runs_ok and runs_failed count every run since the row was created.
CREATE TABLE billing_run_last (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    run_at      BIGINT NOT NULL, -- the run's "now"
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    ok          BIGINT NOT NULL CHECK (ok IN (0, 1)),
    renewed     BIGINT NOT NULL,
    failed      BIGINT NOT NULL,
    reminders   BIGINT NOT NULL,
    suspended   BIGINT NOT NULL,
    terminated  BIGINT NOT NULL,
    batches     BIGINT NOT NULL,
    runs_ok     BIGINT NOT NULL,
    runs_failed BIGINT NOT NULL
);
