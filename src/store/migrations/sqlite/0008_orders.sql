-- 0008: orders and checkout: carts, discount codes and their redemptions, free
-- credits granted by staff, FX quotes, orders and their items. Owned by
-- src/feature/orders. Products, services, ledger transfers and addresses are
-- other features' rows: ids only, no foreign keys into their tables except
-- the catalog's products (which are never deleted).

-- One cart per organization: the currency chosen and the discount code typed.
CREATE TABLE carts (
    org_id        INTEGER PRIMARY KEY REFERENCES orgs(id),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    discount_code TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
) STRICT;

-- A product for a period in the cart, with the free credit chosen for it
-- (NULL = none) and whether the service should renew by itself.
CREATE TABLE cart_items (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES carts(org_id),
    product_id    INTEGER NOT NULL REFERENCES catalog_products(id),
    period_months INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    credit_id     INTEGER,
    auto_renew    INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1)),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX cart_items_org ON cart_items(org_id, id);

-- Discount codes, stored upper-case (so unique case-insensitively). kind
-- percent: percent_bp off each eligible line's price, rounded half-up per
-- line; kind fixed: an amount per currency (discount_code_amounts) spread over
-- the eligible lines. valid_until, max_uses and max_uses_per_org NULL = no
-- limit. An empty restriction list means every product.
CREATE TABLE discount_codes (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE CHECK (code = upper(code) AND length(code) BETWEEN 3 AND 40),
    kind             TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
    percent_bp       INTEGER NOT NULL DEFAULT 0 CHECK (percent_bp BETWEEN 0 AND 10000),
    valid_from       INTEGER NOT NULL,
    valid_until      INTEGER,
    max_uses         INTEGER CHECK (max_uses > 0),
    max_uses_per_org INTEGER CHECK (max_uses_per_org > 0),
    first_order_only INTEGER NOT NULL DEFAULT 0 CHECK (first_order_only IN (0, 1)),
    created_by       INTEGER NOT NULL REFERENCES staff(id),
    created_at       INTEGER NOT NULL,
    CHECK (valid_until IS NULL OR valid_until > valid_from)
) STRICT;
CREATE TABLE discount_code_amounts (
    code_id      INTEGER NOT NULL REFERENCES discount_codes(id),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (code_id, currency)
) STRICT;
CREATE TABLE discount_code_products (
    code_id    INTEGER NOT NULL REFERENCES discount_codes(id),
    product_id INTEGER NOT NULL REFERENCES catalog_products(id),
    PRIMARY KEY (code_id, product_id)
) STRICT;
CREATE TABLE discount_code_categories (
    code_id     INTEGER NOT NULL REFERENCES discount_codes(id),
    category_id INTEGER NOT NULL REFERENCES catalog_categories(id),
    PRIMARY KEY (code_id, category_id)
) STRICT;

-- Free credits: staff give an organization one product (for one period, or
-- NULL = any period it is sold for), paid at checkout by the "promotions"
-- system account. Used once (used_at, order_id) unless revoked first.
CREATE TABLE free_credits (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    product_id    INTEGER NOT NULL REFERENCES catalog_products(id),
    period_months INTEGER CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    reason        TEXT NOT NULL,
    granted_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    INTEGER NOT NULL,
    used_at       INTEGER,
    order_id      INTEGER,
    revoked_at    INTEGER
) STRICT;
CREATE INDEX free_credits_org ON free_credits(org_id, id);

-- A rate held for a few minutes: amount_minor of to_currency (the order's)
-- costs converted_minor of from_currency (the wallet's) at rate_units / 10^12
-- (1 to_currency = rate from_currency), converted half-even.
CREATE TABLE fx_quotes (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    from_currency   TEXT NOT NULL CHECK (length(from_currency) = 3),
    to_currency     TEXT NOT NULL CHECK (length(to_currency) = 3),
    rate_units      INTEGER NOT NULL CHECK (rate_units > 0),
    rate_source     TEXT NOT NULL,
    rate_date       TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    converted_minor INTEGER NOT NULL CHECK (converted_minor > 0),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL CHECK (expires_at > created_at),
    used_at         INTEGER,
    CHECK (from_currency <> to_currency)
) STRICT;

-- An order: what was bought, at which price, paid how. status paid (today's
-- only way: the balance) or, with gateways, awaiting_payment and cancelled.
-- total_minor is what the customer paid in currency: subtotal (prices and
-- setup fees) less the discount and the lines paid by free credits. paid_minor
-- is what left the wallet, in wallet_currency (= total_minor without a quote).
CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES orgs(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    status            TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'paid', 'cancelled')),
    currency          TEXT NOT NULL CHECK (length(currency) = 3),
    subtotal_minor    INTEGER NOT NULL CHECK (subtotal_minor >= 0),
    discount_minor    INTEGER NOT NULL CHECK (discount_minor >= 0),
    credit_minor      INTEGER NOT NULL CHECK (credit_minor >= 0),
    total_minor       INTEGER NOT NULL CHECK (total_minor >= 0),
    discount_code_id  INTEGER REFERENCES discount_codes(id),
    pay_with          TEXT NOT NULL CHECK (pay_with IN ('balance')),
    wallet_currency   TEXT NOT NULL CHECK (length(wallet_currency) = 3),
    paid_minor        INTEGER NOT NULL CHECK (paid_minor >= 0),
    quote_id          INTEGER REFERENCES fx_quotes(id),
    terms_version     TEXT NOT NULL,
    terms_accepted_at INTEGER NOT NULL,
    billing_address_id INTEGER,
    idempotency_key   TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (org_id, idempotency_key),
    CHECK (total_minor = subtotal_minor - discount_minor - credit_minor)
) STRICT;
CREATE INDEX orders_org ON orders(org_id, id);
CREATE UNIQUE INDEX orders_quote_once ON orders(quote_id) WHERE quote_id IS NOT NULL;

-- One product of an order: price and setup fee as the organization pays them
-- (reseller discount included), the discount code's share, whether a free
-- credit paid it, the line's total and the service it made.
CREATE TABLE order_items (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(id),
    product_id     INTEGER NOT NULL REFERENCES catalog_products(id),
    period_months  INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    price_minor    INTEGER NOT NULL CHECK (price_minor >= 0),
    setup_minor    INTEGER NOT NULL CHECK (setup_minor >= 0),
    discount_minor INTEGER NOT NULL CHECK (discount_minor >= 0 AND discount_minor <= price_minor),
    credit_id      INTEGER REFERENCES free_credits(id),
    total_minor    INTEGER NOT NULL CHECK (total_minor >= 0),
    service_id     INTEGER NOT NULL
) STRICT;
CREATE INDEX order_items_order ON order_items(order_id, id);

-- A discount code used by an order (one per order).
CREATE TABLE discount_redemptions (
    id           INTEGER PRIMARY KEY,
    code_id      INTEGER NOT NULL REFERENCES discount_codes(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    order_id     INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX discount_redemptions_code ON discount_redemptions(code_id, org_id);
