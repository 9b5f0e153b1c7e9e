-- 0007: services: what an organization bought and keeps renewing. Owned by
-- src/feature/services.

-- A service runs from starts_at to expires_at and renews for period_months at a
-- time. status: pending (paid, waiting for activation), active, suspended (after
-- expiry and the grace period), terminated (for good), cancelled (by the
-- customer or staff before it ran). price_minor is what one period cost when it
-- was bought (net, after any discount); renewals are priced from the catalog.
-- order_id is the order that bought it (src/feature/orders), billing_address_id
-- the address version chosen at checkout (src/feature/addresses); neither is a
-- foreign key into another feature's tables.
CREATE TABLE services (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    product_id         INTEGER NOT NULL REFERENCES catalog_products(id),
    order_id           INTEGER,
    billing_address_id INTEGER,
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'active', 'suspended', 'terminated', 'cancelled')),
    label              TEXT NOT NULL DEFAULT '',          -- the customer's name for it (a domain, a host)
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    period_months      INTEGER NOT NULL CHECK (period_months IN (1, 3, 6, 12, 24, 36, 48, 60)),
    price_minor        INTEGER NOT NULL CHECK (price_minor >= 0),
    auto_renew         INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0, 1)),
    created_at         INTEGER NOT NULL,
    starts_at          INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL CHECK (expires_at > starts_at),
    activated_at       INTEGER,
    status_changed_at  INTEGER NOT NULL,
    notes              TEXT NOT NULL DEFAULT '',          -- staff notes (activation, suspension)
    -- Provisioning (src/feature/services/provision*.c): the worker of `serve` runs a
    -- pending service's provisioner when provision_next_at is due, claiming it by
    -- pushing provision_next_at a lease ahead (so two nodes never run one twice).
    -- NULL = nothing to run (a manual product waits for staff, or the attempts are
    -- used up). provision_message is the last result, shown to staff.
    provision_next_at  INTEGER DEFAULT 0,
    provision_attempts INTEGER NOT NULL DEFAULT 0,
    provision_at       INTEGER,
    provision_message  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX services_org ON services(org_id, id);
CREATE INDEX services_expiry ON services(expires_at) WHERE status IN ('active', 'suspended', 'pending');
CREATE INDEX services_provision ON services(provision_next_at) WHERE status = 'pending';

-- A reseller's service assigned to an end customer's email: the claim link's
-- token is kept as its SHA-256 (hex); claiming records the end customer's
-- organization, which then sees the service read-only. One assignment per
-- service; removing it deletes the row (the organization audit log keeps the
-- history).
CREATE TABLE service_assignments (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL UNIQUE REFERENCES services(id),
    email          TEXT NOT NULL,
    token_sha256   TEXT NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    claimed_at     INTEGER,
    claimed_org_id INTEGER REFERENCES orgs(id),
    CHECK ((claimed_at IS NULL) = (claimed_org_id IS NULL))
) STRICT;
CREATE INDEX service_assignments_claimed ON service_assignments(claimed_org_id, service_id);
