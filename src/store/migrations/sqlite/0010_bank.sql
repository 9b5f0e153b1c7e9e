-- 0010: bank transfers, owned by src/feature/bank (bank_import.c).

-- One row per entry of an imported camt.053 statement. entry_key is the
-- entry's identity (statement account IBAN and the bank's AcctSvcrRef; without
-- one, also the statement id with NtryRef or the position): inserted with ON CONFLICT DO NOTHING, so importing a statement
-- twice adds and credits nothing twice. status: 'credited' (a ledger transfer
-- "bank:<IBAN>" -> the organization's wallet, transfer_id), 'unmatched' (waits
-- in the staff queue: debits, credits without a reference) or 'ignored' (staff
-- decided, with a note).
CREATE TABLE bank_entries (
    id            INTEGER PRIMARY KEY,
    entry_key     TEXT NOT NULL UNIQUE,
    account_iban  TEXT NOT NULL,
    statement_id  TEXT NOT NULL,
    entry_ref     TEXT NOT NULL,
    credit        INTEGER NOT NULL CHECK (credit IN (0, 1)),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    booking_date  TEXT NOT NULL,
    remittance    TEXT NOT NULL,
    debtor_name   TEXT NOT NULL,
    debtor_iban   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('credited', 'unmatched', 'ignored')),
    org_id        INTEGER REFERENCES orgs(id),
    transfer_id   INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    staff_id      INTEGER,
    imported_at   INTEGER NOT NULL,
    resolved_at   INTEGER
) STRICT;
CREATE INDEX bank_entries_status ON bank_entries(status, id);
