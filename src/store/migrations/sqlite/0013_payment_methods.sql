-- 0013: saved payment methods (cards kept at the gateway). Owned by
-- src/feature/cards. saldo never sees a card number: it keeps the gateway's
-- token and what the customer needs to recognize the card.

-- One saved card of an organization. token is the gateway's ("pm_...").
-- user_id is who saved it (off-session charges, e.g. the billing run's, are
-- recorded in that member's name). Exactly one default among the methods not
-- deleted while there is any: the unique partial index allows at most one,
-- src/feature/cards keeps at least one. A deleted method is never default.
CREATE TABLE payment_methods (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    token      TEXT NOT NULL UNIQUE,
    brand      TEXT NOT NULL,
    last4      TEXT NOT NULL CHECK (length(last4) = 4),
    exp_month  INTEGER NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year   INTEGER NOT NULL CHECK (exp_year BETWEEN 2000 AND 9999),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    CHECK (deleted_at IS NULL OR is_default = 0)
) STRICT;
CREATE INDEX payment_methods_org ON payment_methods(org_id, id);
CREATE UNIQUE INDEX payment_methods_default ON payment_methods(org_id) WHERE is_default = 1;

-- A card verification started at the gateway ("Add a card"): the gateway's
-- setup id, who started it (the card is recorded in their name) and the
-- hosted page to send them to. The return page and the webhook find the
-- organization here, never in what the gateway's redirect or event claims.
CREATE TABLE payment_method_setups (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    gateway_id   TEXT NOT NULL UNIQUE,
    redirect_url TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

-- The saved card an off-session charge of the billing run was made to, in
-- the transaction that opened its payment: a retry (the gateway did not
-- answer) charges the same card with the same key, whatever the default is
-- by then, so a card is never charged twice for one renewal.
CREATE TABLE payment_method_charges (
    payment_id        INTEGER PRIMARY KEY REFERENCES payments(id),
    payment_method_id INTEGER NOT NULL REFERENCES payment_methods(id)
) STRICT;
