-- 0020: what the last billing run did, for GET /metrics. Owned by src/jobs
-- (billing_run_last.c): one row (id 1), replaced when a run finishes on any
-- node; runs_ok and runs_failed count every run since the row was created.
CREATE TABLE billing_run_last (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    run_at      INTEGER NOT NULL, -- the run's "now"
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    renewed     INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    reminders   INTEGER NOT NULL,
    suspended   INTEGER NOT NULL,
    terminated  INTEGER NOT NULL,
    batches     INTEGER NOT NULL,
    runs_ok     INTEGER NOT NULL,
    runs_failed INTEGER NOT NULL
) STRICT;
