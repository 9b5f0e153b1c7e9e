-- 0009: renewals and the billing run. service_renewals is owned by
-- src/feature/services (service_renew.c), billing_steps by src/jobs
-- (billing_run.c).

-- One row per renewal of a service: the expiry it extended and the new one, the
-- period bought, what it cost and the ledger transfer that paid it (NULL when
-- the renewal was free). source: 'auto' (the billing run) or 'manual' (the To
-- pay page or the API). The invoicing feature attaches its invoices to these
-- rows. UNIQUE (service_id, old_expires_at): one expiry is extended once.
CREATE TABLE service_renewals (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL REFERENCES services(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    old_expires_at INTEGER NOT NULL,
    new_expires_at INTEGER NOT NULL CHECK (new_expires_at > old_expires_at),
    period_months  INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
    transfer_id    INTEGER,
    source         TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    created_at     INTEGER NOT NULL,
    UNIQUE (service_id, old_expires_at)
) STRICT;
CREATE INDEX service_renewals_org ON service_renewals(org_id, id);

-- What the billing run did to a service for one expiry: a reminder 30, 7 or 1
-- days before it, a failed automatic renewal, the suspension, the termination.
-- Inserted with ON CONFLICT DO NOTHING in the transaction of the step's effect
-- and its mail, so each step happens once however many runs overlap.
CREATE TABLE billing_steps (
    service_id INTEGER NOT NULL REFERENCES services(id),
    expires_at INTEGER NOT NULL,
    step       TEXT NOT NULL CHECK (step IN ('reminder_30', 'reminder_7', 'reminder_1', 'renewal_failed',
                                             'suspended', 'terminated')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, expires_at, step)
) STRICT, WITHOUT ROWID;
