-- 0016: EU VAT standard rates with the date each takes effect, kept as data
-- that staff update (src/feature/vat; docs/VAT.md). Owned by src/feature/vat.
--
-- A rate is never edited: a change is a new row from its effective date, so
-- the rate of any past date can always be found again. The rate of a country
-- on a date is that of its row with the latest effective_from <= the date.
-- Countries outside the EU have no rows: they are at 0% by rule.
-- effective_from is 'YYYY-MM-DD'; '0000-01-01' means "since before saldo".
-- Seeded from vat-rates.json (ibericode/vat-rates, version 4), every period
-- of the 27 member states' standard rate; created_by_staff_id is NULL for
-- these seed rows.
CREATE TABLE vat_rates (
    id                  INTEGER PRIMARY KEY,
    country             TEXT NOT NULL CHECK (length(country) = 2),
    rate_bp             INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 3000), -- 2200 = 22%
    effective_from      TEXT NOT NULL CHECK (length(effective_from) = 10),
    created_by_staff_id INTEGER REFERENCES staff(id),
    created_at          INTEGER NOT NULL,
    UNIQUE (country, effective_from)
) STRICT;

INSERT INTO vat_rates (country, rate_bp, effective_from, created_at) VALUES
    ('AT', 2000, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('AT', 2000, '2016-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('BE', 2100, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('BG', 2000, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('CY', 1900, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('CZ', 2100, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('CZ', 2100, '2024-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('DE', 1900, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('DE', 1600, '2020-07-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('DE', 1900, '2021-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('DK', 2500, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('EE', 2000, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('EE', 2200, '2024-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('EE', 2200, '2025-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('EE', 2400, '2025-07-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('ES', 2100, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('FI', 2400, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('FI', 2550, '2024-09-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('FR', 1960, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('FR', 1960, '2012-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('FR', 2000, '2014-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('GR', 2300, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('GR', 2300, '2016-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('GR', 2400, '2016-06-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('HR', 2500, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('HU', 2700, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('IE', 2300, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('IE', 2100, '2020-09-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('IE', 2300, '2021-03-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('IT', 2200, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LT', 2100, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LU', 1500, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LU', 1700, '2015-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LU', 1700, '2016-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LU', 1600, '2023-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LU', 1700, '2024-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('LV', 2100, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('MT', 1800, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('NL', 1900, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('NL', 2100, '2012-10-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('NL', 2100, '2019-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('PL', 2300, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('PT', 2300, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('RO', 2400, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('RO', 2000, '2016-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('RO', 1900, '2017-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('RO', 2100, '2025-08-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('SE', 2500, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('SI', 2200, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('SK', 1900, '0000-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('SK', 2000, '2011-01-01', CAST(strftime('%s', 'now') AS INTEGER)),
    ('SK', 2300, '2025-01-01', CAST(strftime('%s', 'now') AS INTEGER));
