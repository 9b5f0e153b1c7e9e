-- 0001: accounts, sessions, staff, audit log, outbox and the double-entry ledger.
-- Times are Unix seconds (UTC); money is integer minor units of `currency`.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,           -- stored lowercased
    password_hash     TEXT NOT NULL,                  -- argon2id (libsodium string)
    name              TEXT NOT NULL,
    country           TEXT NOT NULL CHECK (length(country) = 2),
    language          TEXT NOT NULL CHECK (language IN ('it', 'en')),
    recovery_email    TEXT,                           -- where reset links go; NULL = email
    email_verified_at INTEGER,
    created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE memberships (
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    billing     INTEGER NOT NULL DEFAULT 1 CHECK (billing IN (0, 1)),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
) STRICT;

-- Web sessions (cookie), API sessions (bearer from POST /sessions) and API tokens
-- a user creates. Only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('web', 'api', 'token')),
    user_id      INTEGER REFERENCES users(id),
    staff_id     INTEGER REFERENCES staff(id),
    name         TEXT,                                -- label of an API token
    csrf_token   TEXT,
    current_org  INTEGER REFERENCES orgs(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER,                             -- NULL: until revoked
    revoked_at   INTEGER,
    CHECK ((user_id IS NULL) <> (staff_id IS NULL))
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Single-use links: email verification and password reset.
CREATE TABLE email_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

-- Failed logins per account and per client address, for growing delays.
CREATE TABLE login_failures (
    scope        TEXT NOT NULL CHECK (scope IN ('account', 'ip')),
    key          TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    last_at      INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER REFERENCES staff(id),
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   INTEGER,
    detail      TEXT NOT NULL DEFAULT '{}',           -- JSON
    ip          TEXT,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Mail leaves through the outbox, written in the same transaction as the change
-- that causes it and sent by a worker with retries.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Idempotency of API requests that move money: the first answer is kept and
-- replayed for the same key and body; another body with the same key is a 409.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,                       -- 'user:12', 'staff:3'
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;

-- The ledger. Balances are credits minus debits; wallets may never go negative,
-- system accounts may. The sum of all balances of a currency is always zero.
CREATE TABLE ledger_accounts (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL,                    -- 'wallet' or a system account code
    org_id          INTEGER REFERENCES orgs(id),      -- set for wallets only
    currency        TEXT NOT NULL CHECK (length(currency) = 3),
    may_go_negative INTEGER NOT NULL CHECK (may_go_negative IN (0, 1)),
    balance_minor   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    CHECK (may_go_negative = 1 OR balance_minor >= 0),
    CHECK ((code = 'wallet') = (org_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX ledger_accounts_unique ON ledger_accounts(code, currency, COALESCE(org_id, 0));
CREATE INDEX ledger_accounts_org ON ledger_accounts(org_id);

CREATE TABLE ledger_transfers (
    id                INTEGER PRIMARY KEY,
    idempotency_key   TEXT NOT NULL UNIQUE,
    debit_account_id  INTEGER NOT NULL REFERENCES ledger_accounts(id),
    credit_account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),
    amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
    currency          TEXT NOT NULL,
    kind              TEXT NOT NULL,
    reference         TEXT NOT NULL DEFAULT '',
    reverses_id       INTEGER REFERENCES ledger_transfers(id),   -- reversed once: see the partial index below
    created_at        INTEGER NOT NULL,
    CHECK (debit_account_id <> credit_account_id)
) STRICT;
-- Partial: only reversals have reverses_id, so ordinary transfers add no entry here.
CREATE UNIQUE INDEX ledger_transfers_reverses ON ledger_transfers(reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_account_id, id);
CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_account_id, id);
CREATE TRIGGER ledger_transfers_immutable_u BEFORE UPDATE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END;
CREATE TRIGGER ledger_transfers_immutable_d BEFORE DELETE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END;

-- Exchange rates: one row per (source, date, currency), 1 EUR = rate_units / 10^12.
CREATE TABLE fx_rates (
    source     TEXT NOT NULL,
    rate_date  TEXT NOT NULL,                         -- YYYY-MM-DD
    currency   TEXT NOT NULL,
    rate_units INTEGER NOT NULL CHECK (rate_units > 0),
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (source, rate_date, currency)
) STRICT;
