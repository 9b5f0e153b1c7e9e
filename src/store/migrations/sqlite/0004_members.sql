-- 0004: what a member may see (all services, or chosen services and product
-- categories), invitations by email, and each organization's audit log.

-- A member's access: access_all = 1 sees every service; 0 sees only the services
-- and product categories listed in member_scopes (administrators always see all).
ALTER TABLE memberships ADD COLUMN access_all INTEGER NOT NULL DEFAULT 1 CHECK (access_all IN (0, 1));

-- The services and product categories of a limited member. The ids belong to the
-- catalog (a later migration); they are not foreign keys yet.
CREATE TABLE member_scopes (
    org_id  INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('service', 'category')),
    ref_id  INTEGER NOT NULL CHECK (ref_id > 0),
    PRIMARY KEY (org_id, user_id, kind, ref_id),
    FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
) STRICT;

-- Invitations: a single-use link mailed to `email`, valid until expires_at. Only
-- the SHA-256 of the link's token is stored. `access` is the JSON access scope
-- the member will get ({"all": true} or {"services": [...], "categories": [...]}).
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,                       -- lowercased
    token_hash   TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    billing      INTEGER NOT NULL CHECK (billing IN (0, 1)),
    access       TEXT NOT NULL DEFAULT '{"all":true}',
    invited_by   INTEGER NOT NULL,                    -- a user id (kept if the user goes)
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    accepted_at  INTEGER,
    accepted_by  INTEGER,
    cancelled_at INTEGER,
    CHECK (accepted_at IS NULL OR cancelled_at IS NULL)
) STRICT;
CREATE INDEX invitations_org ON invitations(org_id, email);

-- What happened in an organization: sign-ins of its members, rights changes,
-- removals, invitations, staff adjustments, payments... Who (user_id; NULL for
-- staff or the system, said in detail), when, from which address. Append-only.
CREATE TABLE org_audit (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL,                      -- kept when the organization goes
    user_id    INTEGER,                               -- kept when the user goes
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '{}',            -- JSON object
    ip         TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX org_audit_org ON org_audit(org_id, id);
CREATE TRIGGER org_audit_append_only_u BEFORE UPDATE ON org_audit
BEGIN SELECT RAISE(ABORT, 'the organization audit log is append-only'); END;
CREATE TRIGGER org_audit_append_only_d BEFORE DELETE ON org_audit
BEGIN SELECT RAISE(ABORT, 'the organization audit log is append-only'); END;
