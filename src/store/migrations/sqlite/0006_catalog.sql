-- 0006: the catalog: categories, products, prices per currency and period, and
-- resellers with their discount per category. Owned by src/feature/catalog.

-- Categories group products ("VPS", "PEC mailboxes"); code is stable (URLs,
-- configuration, member scopes refer to the id).
CREATE TABLE catalog_categories (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_en        TEXT NOT NULL,
    name_it        TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    description_it TEXT NOT NULL DEFAULT '',
    position       INTEGER NOT NULL DEFAULT 0,           -- display order
    created_at     INTEGER NOT NULL
) STRICT;

-- A product is sold for periods (catalog_prices); a retired product can no longer
-- be ordered, but its services keep renewing at its prices. provisioner is
-- 'manual' (staff activate) or the name of a provisioner in the configuration.
-- instructions_* are mailed to the customer when a service is activated.
CREATE TABLE catalog_products (
    id              INTEGER PRIMARY KEY,
    category_id     INTEGER NOT NULL REFERENCES catalog_categories(id),
    code            TEXT NOT NULL UNIQUE,
    name_en         TEXT NOT NULL,
    name_it         TEXT NOT NULL,
    description_en  TEXT NOT NULL DEFAULT '',
    description_it  TEXT NOT NULL DEFAULT '',
    instructions_en TEXT NOT NULL DEFAULT '',
    instructions_it TEXT NOT NULL DEFAULT '',
    provisioner     TEXT NOT NULL DEFAULT 'manual',
    auto_renew      INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0, 1)),   -- may renew by itself
    promotional     INTEGER NOT NULL DEFAULT 0 CHECK (promotional IN (0, 1)),  -- sold for 1 or 2 years only
    position        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    retired_at      INTEGER
) STRICT;
CREATE INDEX catalog_products_category ON catalog_products(category_id, position);

-- Net prices (VAT excluded) per currency and period; setup_minor is charged once
-- with the first period.
CREATE TABLE catalog_prices (
    product_id    INTEGER NOT NULL REFERENCES catalog_products(id),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    period_months INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    price_minor   INTEGER NOT NULL CHECK (price_minor >= 0),
    setup_minor   INTEGER NOT NULL DEFAULT 0 CHECK (setup_minor >= 0),
    PRIMARY KEY (product_id, currency, period_months)
) STRICT;

-- Organizations that resell, and their discount per category in basis points
-- (1250 = 12.5%) off the list price.
CREATE TABLE resellers (
    org_id     INTEGER PRIMARY KEY REFERENCES orgs(id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE reseller_discounts (
    org_id      INTEGER NOT NULL REFERENCES resellers(org_id),
    category_id INTEGER NOT NULL REFERENCES catalog_categories(id),
    percent_bp  INTEGER NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (org_id, category_id)
) STRICT;
