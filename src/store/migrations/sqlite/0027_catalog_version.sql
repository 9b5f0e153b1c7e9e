-- 0027: a counter that moves whenever the catalog does, so a node can keep the
-- public catalog's answer and know with one read whether it is still true
-- (src/feature/catalog/catalog_cache.c). Triggers move it, so no write path
-- (staff pages, API, demo, a hand-written UPDATE) can forget to.
CREATE TABLE catalog_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO catalog_version (id, version) VALUES (1, 1);

CREATE TRIGGER catalog_categories_ins AFTER INSERT ON catalog_categories
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_categories_upd AFTER UPDATE ON catalog_categories
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_categories_del AFTER DELETE ON catalog_categories
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_products_ins AFTER INSERT ON catalog_products
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_products_upd AFTER UPDATE ON catalog_products
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_products_del AFTER DELETE ON catalog_products
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_prices_ins AFTER INSERT ON catalog_prices
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_prices_upd AFTER UPDATE ON catalog_prices
    BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER catalog_prices_del AFTER DELETE ON catalog_prices
    BEGIN UPDATE catalog_version SET version = version + 1; END;
