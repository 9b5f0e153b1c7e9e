/* test_catalog.c - the catalog on a real store: saving categories and products
 * with their price lists (the checks naming the field, nothing written on a
 * refusal), a reseller's price with the discount rounded half-up in the
 * buyer's favour, a retired product still priced for renewals, and the texts
 * other features read (instructions in a language, cut on a character). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "feature/catalog/catalog_admin.h"
#include "store_fixture.h"

static int64_t category(db *d, const char *code)
{
    catalog_category_in in = {code, "Domains", "Domini", "", "", 0};
    catalog_error err;
    int64_t id;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(catalog_category_save(d, NULL, 0, &in, &err, &id), CATALOG_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

static catalog_product_in product_in(int64_t category_id, const char *code)
{
    catalog_product_in in = {.category_id = category_id, .code = code, .name_en = "Domain", .name_it = "Dominio",
                             .description_en = "", .description_it = "", .instructions_en = "Go to the panel",
                             .instructions_it = "Vai al pannello: è facile", .provisioner = "manual"};
    in.prices[in.price_count++] = (catalog_price_row){currency_find("EUR"), 12, 999, 4};
    in.prices[in.price_count++] = (catalog_price_row){currency_find("EUR"), 24, 1, 0};
    return in;
}

/* Saves in in a transaction of its own: the result, with err filled on INVALID. */
static catalog_result save(db *d, int64_t id, const catalog_product_in *in, catalog_error *err, int64_t *out)
{
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    catalog_result res = catalog_product_save(d, NULL, id, in, err, out);
    if (res == CATALOG_OK)
        assert_int_equal(db_commit(d), DB_OK);
    else
        db_rollback(d);
    return res;
}

static void test_reseller_rounding(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t cat = category(d, "domains"), other = category(d, "vps"), org = fixture_org(d, "Reseller");
    catalog_product_in in = product_in(cat, "domain-it");
    catalog_error err;
    int64_t id;
    assert_int_equal(save(d, 0, &in, &err, &id), CATALOG_OK);
    catalog_discount ds[] = {{cat, 1250}, {other, 10000}};
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(catalog_reseller_set(d, NULL, org, ds, 2, &err), CATALOG_OK);
    assert_int_equal(db_commit(d), DB_OK);
    assert_true(catalog_is_reseller(d, org));

    catalog_product p;
    catalog_price price;
    assert_int_equal(catalog_product_get(d, id, &p), 1);
    assert_int_equal(catalog_price_for(d, org, &p, "EUR", 12, &price), 1);
    /* 12.5% of 999 = 124.875 -> 125 off; of 4 = 0.5 -> 1 off (half-up, to the buyer) */
    assert_int_equal(price.list_price_minor, 999);
    assert_int_equal(price.price_minor, 874);
    assert_int_equal(price.setup_minor, 3);
    assert_int_equal(price.discount_bp, 1250);
    assert_int_equal(catalog_price_for(d, org, &p, "EUR", 24, &price), 1);
    assert_int_equal(price.price_minor, 1); /* 0.125 off rounds to 0 */
    assert_int_equal(catalog_price_for(d, 0, &p, "EUR", 12, &price), 1);
    assert_int_equal(price.price_minor, 999);
    assert_int_equal(catalog_price_for(d, org, &p, "CHF", 12, &price), 0);
    assert_int_equal(catalog_price_for(d, org, &p, "EUR", 1, &price), 0);

    /* retired: no longer orderable, still priced for renewals */
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(catalog_product_retire(d, NULL, id, true), CATALOG_OK);
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(catalog_product_get(d, id, &p), 1);
    assert_true(p.retired_at > 0);
    assert_int_equal(catalog_price_for(d, org, &p, "EUR", 12, &price), 1);
    int64_t ids[4];
    assert_int_equal(catalog_product_ids(d, 0, false, ids, 4), 0);
    assert_int_equal(catalog_product_ids(d, 0, true, ids, 4), 1);

    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(catalog_reseller_unset(d, NULL, org), CATALOG_OK);
    assert_int_equal(catalog_reseller_unset(d, NULL, org), CATALOG_NOT_FOUND);
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(catalog_reseller_discount_bp(d, org, cat), 0);
}

static void test_checks_name_the_field(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t cat = category(d, "pec");
    catalog_error err;
    int64_t id;
    catalog_product_in in = product_in(cat, "pec-1");
    assert_int_equal(save(d, 0, &in, &err, &id), CATALOG_OK);

    struct { catalog_product_in in; catalog_field_error e; const char *field; int index; } cases[] = {
        {product_in(cat, "pec-1"), CATALOG_FIELD_CODE_TAKEN, "code", -1},
        {product_in(cat, "PEC"), CATALOG_FIELD_CODE, "code", -1},
        {product_in(cat + 100, "pec-2"), CATALOG_FIELD_CATEGORY, "category_id", -1},
    };
    catalog_product_in promo = product_in(cat, "pec-3");
    promo.promotional = true;
    promo.prices[promo.price_count++] = (catalog_price_row){currency_find("EUR"), 36, 5, 0};
    catalog_product_in twice = product_in(cat, "pec-4");
    twice.prices[1].months = 12;
    catalog_product_in no_name = product_in(cat, "pec-5");
    no_name.name_it = "";
    catalog_product_in bad_prov = product_in(cat, "pec-6");
    bad_prov.provisioner = "Not/This";
    catalog_product_in negative = product_in(cat, "pec-7");
    negative.prices[0].setup_minor = -1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(save(d, 0, &cases[i].in, &err, &id), CATALOG_INVALID);
        assert_int_equal(err.e, cases[i].e);
        assert_string_equal(err.field, cases[i].field);
    }
    const struct { catalog_product_in *in; catalog_field_error e; const char *field; int index; } more[] = {
        {&promo, CATALOG_FIELD_PROMO_PERIOD, "prices", 2}, {&twice, CATALOG_FIELD_DUPLICATE, "prices", 1},
        {&no_name, CATALOG_FIELD_REQUIRED, "name_it", -1}, {&bad_prov, CATALOG_FIELD_PROVISIONER, "provisioner", -1},
        {&negative, CATALOG_FIELD_AMOUNT, "prices", 0},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        assert_int_equal(save(d, 0, more[i].in, &err, &id), CATALOG_INVALID);
        assert_int_equal(err.e, more[i].e);
        assert_string_equal(err.field, more[i].field);
        assert_int_equal(err.index, more[i].index);
    }
    int64_t ids[8];
    assert_int_equal(catalog_product_ids(d, cat, true, ids, 8), 1); /* nothing else was written */
}

static void test_texts_in_a_language(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t cat = category(d, "spid");
    catalog_product_in in = product_in(cat, "spid-1");
    catalog_error err;
    int64_t id;
    assert_int_equal(save(d, 0, &in, &err, &id), CATALOG_OK);
    char text[64];
    assert_true(catalog_product_text(d, id, "en", text, sizeof text));
    assert_string_equal(text, "Go to the panel");
    assert_true(catalog_product_text(d, id, "it", text, sizeof text));
    assert_string_equal(text, "Vai al pannello: è facile");
    char small[22]; /* "Vai al pannello: " is 17 bytes, "è" two more */
    assert_true(catalog_product_text(d, id, "it", small, 19));
    assert_string_equal(small, "Vai al pannello: ");
    assert_true(catalog_product_text(d, id, "it", small, 20));
    assert_string_equal(small, "Vai al pannello: è");
    assert_false(catalog_product_text(d, id + 1, "en", text, sizeof text));
    catalog_category c;
    assert_int_equal(catalog_category_get(d, cat, &c), 1);
    assert_string_equal(catalog_category_name(&c, "it"), "Domini");
    assert_int_equal(catalog_category_get(d, cat + 1, &c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reseller_rounding, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_checks_name_the_field, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_texts_in_a_language, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
