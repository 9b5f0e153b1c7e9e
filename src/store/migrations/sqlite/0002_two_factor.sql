-- 0002: two-factor authentication (TOTP) and single-use recovery codes, and the
-- second step of a sign-in that needs a code.

-- The TOTP secret is kept sealed (encrypted under a key derived from the server's
-- secret key). A secret without totp_enabled_at is an enrolment not yet confirmed.
ALTER TABLE users ADD COLUMN totp_sealed TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0; -- a code works once

CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL UNIQUE,                  -- keyed hash, never the code
    created_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- A password accepted, a code still to come: the page's second step carries this
-- challenge's token instead of the password.
CREATE TABLE login_challenges (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
