-- 0018: files attached to outbox messages (a new final invoice's PDF). Owned by
-- src/mail. Kept base64-encoded, as org_logos, so that both stores bind them as
-- text; the encoding is also the one the MIME part carries.
CREATE TABLE outbox_attachments (
    id           INTEGER PRIMARY KEY,
    outbox_id    INTEGER NOT NULL REFERENCES outbox(id),
    filename     TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    content_type TEXT NOT NULL CHECK (length(content_type) BETWEEN 3 AND 100),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10000000),
    data_base64  TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_attachments_message ON outbox_attachments(outbox_id);
