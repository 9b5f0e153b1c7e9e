-- 0017: issued documents (pro-formas, invoices, credit notes, receipts),
-- their lines and totals per rate, and the gapless numbering counters.
-- Owned by src/feature/invoices (docs/INVOICES.md).

-- The numbering counters: one row per series and year, taken in the issuing
-- write transaction by INSERT ... ON CONFLICT DO NOTHING then UPDATE ...
-- RETURNING, so the row lock serializes concurrent issues and a rolled back
-- issue gives its number back: numbers are never shared nor skipped.
-- Series: 'proforma' (PF-2026/000045), 'invoice' (invoices 2026/000123 and
-- credit notes NC-2026/000124 share it), 'receipt' (RC-2026/000012).
CREATE TABLE document_counters (
    series     TEXT NOT NULL CHECK (series IN ('proforma', 'invoice', 'receipt')),
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_value INTEGER NOT NULL CHECK (last_value >= 0),
    PRIMARY KEY (series, year)
) STRICT;

-- An issued document exactly as src/feature/invoices/document.h describes
-- it, frozen at issue: the seller, the buyer and its billing address, the VAT
-- evidence, the totals. Only status, paid_date and payment_method ever change
-- (a pro-forma paid or cancelled, an invoice fully credited: cancelled).
CREATE TABLE documents (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    kind               TEXT NOT NULL CHECK (kind IN ('proforma', 'invoice', 'credit_note', 'receipt')),
    status             TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'cancelled')),
    series             TEXT NOT NULL,
    year               INTEGER NOT NULL,
    seq                INTEGER NOT NULL CHECK (seq > 0),
    number             TEXT NOT NULL UNIQUE,
    issue_date         TEXT NOT NULL CHECK (length(issue_date) = 10),
    due_date           TEXT NOT NULL DEFAULT '',
    paid_date          TEXT NOT NULL DEFAULT '',
    payment_method     TEXT NOT NULL DEFAULT '',
    language           TEXT NOT NULL CHECK (language IN ('it', 'en')),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    seller_name        TEXT NOT NULL,
    seller_vat_id      TEXT NOT NULL,
    seller_fiscal_code TEXT NOT NULL,
    seller_street      TEXT NOT NULL,
    seller_extra       TEXT NOT NULL,
    seller_postal_code TEXT NOT NULL,
    seller_city        TEXT NOT NULL,
    seller_province    TEXT NOT NULL,
    seller_country     TEXT NOT NULL,
    buyer_name         TEXT NOT NULL,
    buyer_vat_id       TEXT NOT NULL,
    buyer_fiscal_code  TEXT NOT NULL,
    buyer_street       TEXT NOT NULL,
    buyer_extra        TEXT NOT NULL,
    buyer_postal_code  TEXT NOT NULL,
    buyer_city         TEXT NOT NULL,
    buyer_province     TEXT NOT NULL,
    buyer_country      TEXT NOT NULL,
    buyer_kind         TEXT NOT NULL CHECK (buyer_kind IN ('person', 'company', 'public')),
    buyer_sdi_code     TEXT NOT NULL,
    buyer_pec          TEXT NOT NULL,
    vat_seller_country TEXT NOT NULL,                 -- the evidence of the VAT decision
    vat_buyer_country  TEXT NOT NULL,
    vat_buyer_business INTEGER NOT NULL CHECK (vat_buyer_business IN (0, 1)),
    vat_buyer_vat_id   TEXT NOT NULL,
    vat_scheme         TEXT NOT NULL CHECK (vat_scheme IN ('domestic', 'reverse_charge', 'oss', 'not_subject')),
    vat_mention        TEXT NOT NULL CHECK (vat_mention IN ('none', 'reverse_charge', 'not_subject', 'not_subject_eservice')),
    vat_decided_on     TEXT NOT NULL,
    net_minor          INTEGER NOT NULL,
    vat_minor          INTEGER NOT NULL,
    gross_minor        INTEGER NOT NULL CHECK (gross_minor = net_minor + vat_minor),
    credits_id         INTEGER REFERENCES documents(id), -- credit notes: the invoice credited
    credits_number     TEXT NOT NULL DEFAULT '',
    credits_date       TEXT NOT NULL DEFAULT '',
    iban               TEXT NOT NULL DEFAULT '',       -- pro-formas: how to pay by transfer
    bic                TEXT NOT NULL DEFAULT '',
    reference          TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    source_key         TEXT UNIQUE,                    -- the event that issued it ("order:12"): once only
    order_id           INTEGER REFERENCES orders(id),
    renewal_id         INTEGER REFERENCES service_renewals(id),
    payment_id         INTEGER REFERENCES payments(id),
    created_at         INTEGER NOT NULL,
    UNIQUE (series, year, seq),
    CHECK ((kind = 'credit_note') = (credits_id IS NOT NULL))
) STRICT;
CREATE INDEX documents_org ON documents(org_id, issue_date);
CREATE INDEX documents_credits ON documents(credits_id);

CREATE TABLE document_lines (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    position       INTEGER NOT NULL CHECK (position >= 0),
    description    TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    unit_net_minor INTEGER NOT NULL,
    net_minor      INTEGER NOT NULL,
    discount_minor INTEGER NOT NULL CHECK (discount_minor >= 0),
    rate_bp        INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 3000),
    period_start   TEXT NOT NULL DEFAULT '',
    period_end     TEXT NOT NULL DEFAULT '',
    service_id     INTEGER REFERENCES services(id),   -- pro-formas: the renewal the line asks for
    UNIQUE (document_id, position)
) STRICT;

-- The totals per rate as vat_totals() computed them at issue (VAT rounded
-- once per rate, half up): stored, not recomputed, so a later rule cannot
-- change an issued document.
CREATE TABLE document_totals (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    rate_bp     INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 3000),
    net_minor   INTEGER NOT NULL,
    vat_minor   INTEGER NOT NULL,
    PRIMARY KEY (document_id, rate_bp)
) STRICT;

-- Which invoice lines each credit note credits (whole lines): a line is
-- credited at most once, so a credit note never credits more than is left.
CREATE TABLE document_credits (
    invoice_id     INTEGER NOT NULL REFERENCES documents(id),
    position       INTEGER NOT NULL CHECK (position >= 0),
    credit_note_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (invoice_id, position)
) STRICT;

-- Issued documents never change: every column but the status is refused,
-- and the status only moves forward.
CREATE TRIGGER documents_frozen BEFORE UPDATE OF
    org_id, kind, series, year, seq, number, issue_date, due_date, language, currency, seller_name,
    seller_vat_id, seller_fiscal_code, seller_street, seller_extra, seller_postal_code, seller_city,
    seller_province, seller_country, buyer_name, buyer_vat_id, buyer_fiscal_code, buyer_street,
    buyer_extra, buyer_postal_code, buyer_city, buyer_province, buyer_country, buyer_kind,
    buyer_sdi_code, buyer_pec, vat_seller_country, vat_buyer_country, vat_buyer_business,
    vat_buyer_vat_id, vat_scheme, vat_mention, vat_decided_on, net_minor, vat_minor, gross_minor,
    credits_id, credits_number, credits_date, iban, bic, reference, note, source_key, order_id,
    renewal_id, payment_id, created_at
ON documents
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER documents_status BEFORE UPDATE OF status, paid_date, payment_method ON documents
WHEN NOT ((OLD.status = 'unpaid' AND OLD.kind = 'proforma' AND NEW.status IN ('paid', 'cancelled'))
          OR (OLD.status = 'paid' AND OLD.kind = 'invoice' AND NEW.status = 'cancelled')
          OR (OLD.status = NEW.status AND OLD.paid_date = NEW.paid_date AND OLD.payment_method = NEW.payment_method))
BEGIN SELECT RAISE(ABORT, 'this document status change is not allowed'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_lines_frozen_u BEFORE UPDATE ON document_lines
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_lines_frozen_d BEFORE DELETE ON document_lines
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_totals_frozen_u BEFORE UPDATE ON document_totals
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_totals_frozen_d BEFORE DELETE ON document_totals
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_credits_frozen_u BEFORE UPDATE ON document_credits
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_credits_frozen_d BEFORE DELETE ON document_credits
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
