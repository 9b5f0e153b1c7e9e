-- 0022_sales_vat: orders charge VAT on their net total (docs/VAT.md): the
-- VAT, the gross charged, and the rate, scheme and mention they were decided with.
-- Orders placed before have no VAT: gross = total, scheme and mention NULL.
-- Owned by src/feature/orders (checkout.c).
ALTER TABLE orders ADD COLUMN vat_minor BIGINT NOT NULL DEFAULT 0 CHECK (vat_minor >= 0);
ALTER TABLE orders ADD COLUMN gross_minor BIGINT NOT NULL DEFAULT 0 CHECK (gross_minor >= 0);
ALTER TABLE orders ADD COLUMN vat_rate_bp BIGINT NOT NULL DEFAULT 0 CHECK (vat_rate_bp >= 0);
ALTER TABLE orders ADD COLUMN vat_scheme TEXT;
ALTER TABLE orders ADD COLUMN vat_mention TEXT;
UPDATE orders SET gross_minor = total_minor;

-- The services and periods a pro-forma asks to renew (docs/INVOICES.md):
-- open while the pro-forma is unpaid; paying exactly that selection pays it,
-- renewing one of its services otherwise (or a newer pro-forma for it)
-- cancels it. Owned by src/feature/renewals (renewals_proforma.c).
CREATE TABLE proforma_items (
    document_id   BIGINT NOT NULL REFERENCES documents(id),
    service_id    BIGINT NOT NULL REFERENCES services(id),
    period_months BIGINT NOT NULL CHECK (period_months > 0),
    expires_at    BIGINT NOT NULL,
    open          BIGINT NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    PRIMARY KEY (document_id, service_id)
);
CREATE INDEX proforma_items_open ON proforma_items (service_id) WHERE open = 1;
