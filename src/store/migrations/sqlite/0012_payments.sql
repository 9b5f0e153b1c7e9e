-- 0012: top-ups through the payment gateway, the gateway's webhook events
-- seen, and in-app notifications. Owned by src/feature/payments.

-- One top-up. A gateway method (card, wallet, paypal, crypto) gets its
-- gateway_id and redirect_url once the gateway created it; bank_transfer is
-- only recorded (the bank import credits the transfer by its reference).
-- idem_key is the customer's Idempotency-Key: one payment per key and org.
-- status: pending -> succeeded | failed | canceled, decided by the gateway.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    method       TEXT NOT NULL CHECK (method IN ('card', 'wallet', 'paypal', 'crypto', 'bank_transfer')),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    idem_key     TEXT NOT NULL,
    gateway_id   TEXT UNIQUE,
    redirect_url TEXT,
    failure_code TEXT,
    transfer_id  INTEGER,
    created_at   INTEGER NOT NULL,
    settled_at   INTEGER,
    UNIQUE (org_id, idem_key),
    CHECK ((status = 'succeeded') = (transfer_id IS NOT NULL))
) STRICT;
CREATE INDEX payments_org ON payments(org_id, id);

-- Every webhook event processed, by the gateway's event id: a duplicate is a no-op.
CREATE TABLE payment_events (
    event_id    TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    payment_id  INTEGER REFERENCES payments(id),
    received_at INTEGER NOT NULL
) STRICT;

-- In-app notifications of an organization (shown to its billing members).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL,                 -- JSON
    created_at INTEGER NOT NULL,
    read_at    INTEGER
) STRICT;
CREATE INDEX notifications_org ON notifications(org_id, id);
