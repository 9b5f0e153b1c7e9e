-- 0023: files made when a message is sent rather than when it is queued (a
-- document's PDF): the worker's renderer turns (kind, ref) into the file.
-- Owned by src/mail.
CREATE TABLE outbox_rendered (
    id        INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    kind      TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    ref       INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_rendered_message ON outbox_rendered(outbox_id);
