-- 0005: billing addresses and notification addresses of organizations.

-- Billing addresses. A row never changes its text: an edit inserts a new row (the
-- next version, origin_id pointing at the first one) and retires the old one
-- (retired_at, replaced_by), so whatever refers to an old id keeps the text it
-- was made with. Deleting retires too. Exactly one live address of an
-- organization is the default whenever it has any (the service keeps "at least
-- one", the unique index "at most one").
CREATE TABLE billing_addresses (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    origin_id   INTEGER REFERENCES billing_addresses(id), -- first version; NULL for a first version
    recipient   TEXT NOT NULL,                            -- company or person
    street      TEXT NOT NULL,                            -- street and number
    extra       TEXT NOT NULL DEFAULT '',                 -- additional line
    postal_code TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL,
    province    TEXT NOT NULL DEFAULT '',                 -- for IT the two-letter sigla
    country     TEXT NOT NULL CHECK (length(country) = 2),
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER,                                  -- edited or deleted
    replaced_by INTEGER REFERENCES billing_addresses(id), -- the next version after an edit
    CHECK (is_default = 0 OR retired_at IS NULL),
    CHECK (replaced_by IS NULL OR retired_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX billing_addresses_one_default ON billing_addresses(org_id) WHERE is_default = 1;
CREATE INDEX billing_addresses_org ON billing_addresses(org_id, retired_at);
CREATE TRIGGER billing_addresses_text_immutable
BEFORE UPDATE OF org_id, origin_id, recipient, street, extra, postal_code, city, province, country, created_at
ON billing_addresses
BEGIN SELECT RAISE(ABORT, 'billing address text is immutable: insert a new version'); END;

-- Where an organization's mail of each kind goes; a kind without a row goes to
-- the organization's first administrator.
CREATE TABLE notification_addresses (
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL CHECK (kind IN ('billing', 'support', 'abuse', 'status')),
    email      TEXT NOT NULL,                             -- lowercased
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind)
) STRICT;
