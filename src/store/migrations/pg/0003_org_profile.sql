-- 0003: organizations as objects: their profile for e-invoicing (kind, legal
-- name, VAT ID, Italian fiscal code, SDI recipient code, PEC, legal
-- representative), their logo, and deletion that keeps the row for the law.
-- PostgreSQL twin of migrations/sqlite/0003_org_profile.sql.

-- personal = 1: the organization created with the account at sign-up.
-- deleted_at: the organization was deleted; the row stays (documents and the
-- ledger point at it) with its personal data erased.
ALTER TABLE orgs ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'company', 'public_administration'));
ALTER TABLE orgs ADD COLUMN legal_name TEXT;
ALTER TABLE orgs ADD COLUMN vat_id TEXT;
ALTER TABLE orgs ADD COLUMN fiscal_code TEXT;
ALTER TABLE orgs ADD COLUMN sdi_code TEXT;
ALTER TABLE orgs ADD COLUMN pec TEXT;
ALTER TABLE orgs ADD COLUMN legal_rep_user_id BIGINT REFERENCES users(id);
ALTER TABLE orgs ADD COLUMN personal BIGINT NOT NULL DEFAULT 0 CHECK (personal IN (0, 1));
ALTER TABLE orgs ADD COLUMN deleted_at BIGINT;

-- Every organization so far was created at sign-up; its first admin represents it.
UPDATE orgs SET personal = 1, legal_rep_user_id = (SELECT m.user_id FROM memberships m
    WHERE m.org_id = orgs.id AND m.role = 'admin' ORDER BY m.created_at, m.user_id LIMIT 1);

-- A logo checked by its content (PNG or JPEG), kept base64-encoded so that
-- both stores bind it as text. etag: BLAKE2b of the bytes, hex.
CREATE TABLE org_logos (
    org_id       BIGINT PRIMARY KEY REFERENCES orgs(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    size_bytes   BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 1000000),
    data_base64  TEXT NOT NULL,
    etag         TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);
