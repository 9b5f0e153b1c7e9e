-- 0022_order_vat: orders charge VAT on their net total (docs/VAT.md): the
-- VAT, the gross charged, and the rate, scheme and mention they were decided with.
-- Orders placed before have no VAT: gross = total, scheme and mention NULL.
-- Owned by src/feature/orders (checkout.c).
ALTER TABLE orders ADD COLUMN vat_minor INTEGER NOT NULL DEFAULT 0 CHECK (vat_minor >= 0);
ALTER TABLE orders ADD COLUMN gross_minor INTEGER NOT NULL DEFAULT 0 CHECK (gross_minor >= 0);
ALTER TABLE orders ADD COLUMN vat_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (vat_rate_bp >= 0);
ALTER TABLE orders ADD COLUMN vat_scheme TEXT;
ALTER TABLE orders ADD COLUMN vat_mention TEXT;
UPDATE orders SET gross_minor = total_minor;
