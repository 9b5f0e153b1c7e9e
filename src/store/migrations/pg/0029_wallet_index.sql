-- 0029: an organization's wallets are read on every page view (the balance in
-- the header) and every API balance read, by (org_id, code = 'wallet') in
-- currency order. With only ledger_accounts_org (org_id), SQLite chose the
-- unique (code, currency, ...) index to get the order for free, and so walked
-- every organization's wallets to find one's: a cost growing with the number
-- of customers. This index answers the query in order; it replaces the
-- org_id index, which is its prefix.
CREATE INDEX ledger_accounts_org_code ON ledger_accounts(org_id, code, currency);
DROP INDEX ledger_accounts_org;
