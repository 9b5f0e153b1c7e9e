-- 0030: an invoice is written once per sale and per renewal (the billing run
-- writes one per service), so each B-tree entry it adds is paid at that rate.
--
-- documents_credits (credits_id) held an entry for every document, though
-- only credit notes have a credits_id: now partial, over those alone. The
-- readers ask `credits_id = ?`, which implies NOT NULL, so they keep it.
--
-- document_lines and document_totals were rowid tables with a second B-tree
-- for their key (document_id, position / rate_bp); nothing reads or points
-- at the lines' id. Rebuilt WITHOUT ROWID on that key, each row is one entry,
-- and a document's lines are one range of one B-tree. The rebuild is
-- SQLite's documented procedure: new table, copy, drop, rename; nothing
-- references either table, and their triggers are made again.
DROP INDEX documents_credits;
CREATE INDEX documents_credits ON documents(credits_id) WHERE credits_id IS NOT NULL;

CREATE TABLE document_lines_0030 (
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
    PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;
INSERT INTO document_lines_0030 (document_id, position, description, quantity, unit_net_minor, net_minor,
                                 discount_minor, rate_bp, period_start, period_end, service_id)
    SELECT document_id, position, description, quantity, unit_net_minor, net_minor, discount_minor, rate_bp,
           period_start, period_end, service_id FROM document_lines;
DROP TABLE document_lines;
ALTER TABLE document_lines_0030 RENAME TO document_lines;

CREATE TABLE document_totals_0030 (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    rate_bp     INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 3000),
    net_minor   INTEGER NOT NULL,
    vat_minor   INTEGER NOT NULL,
    PRIMARY KEY (document_id, rate_bp)
) STRICT, WITHOUT ROWID;
INSERT INTO document_totals_0030 (document_id, rate_bp, net_minor, vat_minor)
    SELECT document_id, rate_bp, net_minor, vat_minor FROM document_totals;
DROP TABLE document_totals;
ALTER TABLE document_totals_0030 RENAME TO document_totals;

CREATE TRIGGER document_lines_frozen_u BEFORE UPDATE ON document_lines
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_lines_frozen_d BEFORE DELETE ON document_lines
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_totals_frozen_u BEFORE UPDATE ON document_totals
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_totals_frozen_d BEFORE DELETE ON document_totals
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
