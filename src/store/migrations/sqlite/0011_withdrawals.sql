-- 0011: withdrawals of a wallet's balance and the credit-transfer exports
-- (pain.001 files) that pay them. Owned by src/feature/withdrawals.

-- One file for the bank: every approved outgoing credit transfer of one
-- currency not exported before. The XML is kept so staff can download it again.
-- Origin-agnostic: withdrawals point at it today, bank refunds will later.
CREATE TABLE credit_transfer_exports (
    id          INTEGER PRIMARY KEY,
    msg_id      TEXT NOT NULL UNIQUE,                 -- GrpHdr/MsgId
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    tx_count    INTEGER NOT NULL CHECK (tx_count > 0),
    total_minor INTEGER NOT NULL CHECK (total_minor > 0),
    xml         TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL
) STRICT;

-- A request to pay out part of a wallet. The amount leaves the wallet at once
-- (hold_transfer_id: wallet -> withdrawals_payable); a cancel or a rejection
-- reverses that transfer (release_transfer_id); an export (bank) or the PayPal
-- payment moves it on (payout_transfer_id: withdrawals_payable -> bank:/paypal).
-- status: pending -> cancelled | rejected | approved; approved -> exported
-- (bank) | paid (paypal).
CREATE TABLE withdrawals (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),
    user_id             INTEGER NOT NULL REFERENCES users(id), -- who asked
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor        INTEGER NOT NULL CHECK (amount_minor > 0),
    method              TEXT NOT NULL CHECK (method IN ('bank', 'paypal')),
    iban                TEXT NOT NULL DEFAULT '',          -- normalized; bank only
    holder              TEXT NOT NULL DEFAULT '',          -- account holder; bank only
    paypal_email        TEXT NOT NULL DEFAULT '',          -- paypal only
    note                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('pending', 'cancelled', 'rejected', 'approved',
                                                        'exported', 'paid')),
    hold_transfer_id    INTEGER NOT NULL,
    release_transfer_id INTEGER,
    payout_transfer_id  INTEGER,
    reason              TEXT NOT NULL DEFAULT '',          -- of a rejection
    paypal_txn          TEXT NOT NULL DEFAULT '',          -- PayPal transaction id once paid
    export_id           INTEGER REFERENCES credit_transfer_exports(id),
    decided_by          INTEGER REFERENCES staff(id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK ((method = 'bank') = (iban <> '')),
    CHECK ((method = 'paypal') = (paypal_email <> ''))
) STRICT;
CREATE INDEX withdrawals_org ON withdrawals(org_id, id);
CREATE INDEX withdrawals_status ON withdrawals(status, id);
