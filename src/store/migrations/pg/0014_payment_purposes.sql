-- 0014: what a gateway payment is for. Owned by src/feature/payments.
-- The PostgreSQL twin of migrations/sqlite/0014_payment_purposes.sql.
-- purpose: 'topup' (credit the wallet), 'order' (then place the order kept
-- in purpose_data from that balance) or 'renewals' (then pay the selection
-- kept in purpose_data). purpose_status stays NULL until the payment
-- succeeded: 'done' (purpose_ref = the order's id for an order) or 'refused'
-- (it could no longer be done: the money stays as balance; purpose_error is
-- the stable reason, e.g. 'discount_code_used_up').
ALTER TABLE payments ADD COLUMN purpose TEXT NOT NULL DEFAULT 'topup'
    CHECK (purpose IN ('topup', 'order', 'renewals'));
ALTER TABLE payments ADD COLUMN purpose_data TEXT;              -- JSON
ALTER TABLE payments ADD COLUMN purpose_status TEXT CHECK (purpose_status IN ('done', 'refused'));
ALTER TABLE payments ADD COLUMN purpose_ref BIGINT;
ALTER TABLE payments ADD COLUMN purpose_error TEXT;
