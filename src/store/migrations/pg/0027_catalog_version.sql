-- 0027: a counter that moves whenever the catalog does, so a node can keep the
-- public catalog's answer and know with one read whether it is still true
-- (src/feature/catalog/catalog_cache.c). Triggers move it, so no write path
-- (staff pages, API, demo, a hand-written UPDATE) can forget to.
CREATE TABLE catalog_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);

CREATE FUNCTION catalog_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER catalog_categories_version AFTER INSERT OR UPDATE OR DELETE ON catalog_categories
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
CREATE TRIGGER catalog_products_version AFTER INSERT OR UPDATE OR DELETE ON catalog_products
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
CREATE TRIGGER catalog_prices_version AFTER INSERT OR UPDATE OR DELETE ON catalog_prices
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
