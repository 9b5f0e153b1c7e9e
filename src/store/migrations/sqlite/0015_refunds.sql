-- 0015: refunds of unused balance through the original method of a payment.
-- Owned by src/feature/refunds.

-- A customer's request to send back part of one earlier payment: a gateway
-- top-up (source 'payment': payments.id, gateway_payment_id its id at the
-- gateway) or a bank-transfer credit read from a statement (source
-- 'bank_transfer': bank_entries.id, creditor_iban/creditor_name the debtor of
-- that transfer). The amount leaves the wallet at once (hold_transfer_id:
-- wallet -> refunds_payable); a cancel, a rejection or a gateway refusal
-- reverses it (release_transfer_id); the gateway refund or the credit-transfer
-- export moves it on (payout_transfer_id: refunds_payable -> gateway:/bank:).
-- status: requested -> cancelled | rejected | approved; approved -> paid |
-- failed (a gateway refusal).
CREATE TABLE refund_requests (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),
    user_id             INTEGER NOT NULL REFERENCES users(id),
    source              TEXT NOT NULL CHECK (source IN ('payment', 'bank_transfer')),
    source_id           INTEGER NOT NULL,
    method              TEXT NOT NULL CHECK (method IN ('card', 'wallet', 'paypal', 'bank_transfer')),
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor        INTEGER NOT NULL CHECK (amount_minor > 0),
    reason              TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('requested', 'cancelled', 'rejected', 'approved', 'paid',
                                                        'failed')),
    gateway_payment_id  TEXT NOT NULL DEFAULT '',
    creditor_iban       TEXT NOT NULL DEFAULT '',
    creditor_name       TEXT NOT NULL DEFAULT '',
    hold_transfer_id    INTEGER NOT NULL,
    release_transfer_id INTEGER,
    payout_transfer_id  INTEGER,
    rejection_reason    TEXT NOT NULL DEFAULT '',
    failure_code        TEXT NOT NULL DEFAULT '',
    gateway_refund_id   TEXT,
    export_id           INTEGER REFERENCES credit_transfer_exports(id),
    staff_id            INTEGER REFERENCES staff(id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK ((source = 'bank_transfer') = (method = 'bank_transfer')),
    CHECK ((source = 'bank_transfer') = (creditor_iban <> '')),
    CHECK ((source = 'payment') = (gateway_payment_id <> ''))
) STRICT;
CREATE INDEX refund_requests_org ON refund_requests(org_id, id);
CREATE INDEX refund_requests_source ON refund_requests(source, source_id);
CREATE INDEX refund_requests_status ON refund_requests(status, id);
