/* test_vat_rates.c - the VAT rates on a real store: the seeded rates and
 * their history answer the lookup of any date (and nothing outside the EU);
 * a staff rate from a future date takes over on that date; a second rate on
 * the same date is refused and changes nothing; adding one with each of its
 * database calls failing in turn changes nothing, audit included; and the
 * preview of an organization from its billing address and VAT ID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/vat.h"
#include "feature/addresses/addresses.h"
#include "feature/vat/vat_preview.h"
#include "feature/vat/vat_rates.h"
#include "store_fixture.h"

static int64_t staff_member(db *d)
{
    db_stmt *s = db_prepare(d, "INSERT INTO staff (email, password_hash, name, created_at)"
                               " VALUES ('vat@saldo.test', 'x', 'Vat', 0) RETURNING id");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

static int rate(db *d, const char *country, const char *date)
{
    vat_rates_ctx ctx = {d, false};
    int r = vat_rates_lookup(&ctx, country, date);
    assert_false(ctx.store_error);
    return r;
}

static void test_seeded_rates(void **state)
{
    store_fixture *f = *state;
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(DISTINCT country) FROM vat_rates"), 27);
    assert_int_equal(rate(f->d, "IT", "2026-11-22"), 2200);
    assert_int_equal(rate(f->d, "IT", "1999-01-01"), 2200);
    assert_int_equal(rate(f->d, "DE", "2020-06-30"), 1900);
    assert_int_equal(rate(f->d, "DE", "2020-07-01"), 1600);
    assert_int_equal(rate(f->d, "DE", "2020-12-31"), 1600);
    assert_int_equal(rate(f->d, "DE", "2021-01-01"), 1900);
    assert_int_equal(rate(f->d, "FI", "2024-08-31"), 2400);
    assert_int_equal(rate(f->d, "FI", "2024-09-01"), 2550);
    assert_int_equal(rate(f->d, "GR", "2026-11-22"), 2400);
    assert_int_equal(rate(f->d, "US", "2026-11-22"), -1);
    json_t *j = vat_rates_json(f->d, "2026-11-22");
    assert_non_null(j);
    json_t *countries = json_object_get(j, "countries");
    assert_int_equal(json_array_size(countries), 27);
    json_t *fi = json_array_get(countries, 9);
    assert_string_equal(json_string_value(json_object_get(fi, "country")), "FI");
    assert_string_equal(json_string_value(json_object_get(json_object_get(fi, "current"), "rate")), "25.5");
    json_decref(j);
}

static void test_staff_rate(void **state)
{
    store_fixture *f = *state;
    int64_t staff = staff_member(f->d), id = 0, other = 0;
    assert_int_equal(vat_rates_add(f->d, staff, "127.0.0.1", "FR", 2150, "2030-01-01", &id), VAT_RATES_OK);
    assert_true(id > 0);
    assert_int_equal(rate(f->d, "FR", "2029-12-31"), 2000);
    assert_int_equal(rate(f->d, "FR", "2030-01-01"), 2150);
    int64_t rows = fixture_value(f->d, "SELECT COUNT(*) FROM vat_rates");
    int64_t audits = fixture_value(f->d, "SELECT COUNT(*) FROM audit_log");
    assert_int_equal(vat_rates_add(f->d, staff, "127.0.0.1", "FR", 2500, "2030-01-01", &other), VAT_RATES_DUPLICATE);
    assert_int_equal(other, 0);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM vat_rates"), rows);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(rate(f->d, "FR", "2030-01-01"), 2150);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'vat_rate.add'"), 1);
}

static void test_add_with_faults(void **state)
{
    store_fixture *f = *state;
    int64_t staff = staff_member(f->d);
    int failures = 0;
    for (int n = 1; n < 50; n++) {
        int64_t rows = fixture_value(f->d, "SELECT COUNT(*) FROM vat_rates");
        int64_t audits = fixture_value(f->d, "SELECT COUNT(*) FROM audit_log");
        int64_t id = 0;
        db_fail_after(f->d, n);
        vat_rates_result res = vat_rates_add(f->d, staff, "127.0.0.1", "SK", 2300, "2031-01-01", &id);
        db_fail_after(f->d, 0);
        if (res == VAT_RATES_STORE_ERROR) {
            failures++;
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM vat_rates"), rows);
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log"), audits);
            continue;
        }
        assert_int_equal(res, VAT_RATES_OK);
        assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM vat_rates"), rows + 1);
        assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log"), audits + 1);
        assert_true(failures >= 3); /* begin, insert, audit (and commit) each failed once */
        return;
    }
    fail_msg("never succeeded");
}

static void set_vat_id(db *d, int64_t org, const char *vat_id)
{
    db_stmt *s = db_prepare(d, "UPDATE orgs SET vat_id = $1 WHERE id = $2");
    assert_non_null(s);
    db_bind_text(s, 1, vat_id);
    db_bind_int64(s, 2, org);
    assert_int_equal(db_exec1(s), DB_DONE);
}

static void test_preview(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Kunde GmbH"), addr;
    vat_evidence ev;
    vat_status st = VAT_STATUS_COUNT;
    vat_decision d;
    assert_int_equal(vat_preview(f->d, org, "IT", "2026-11-22", &ev, &st, &d), VAT_PREVIEW_NO_ADDRESS);
    assert_int_equal(vat_preview(f->d, org + 1000, "IT", "2026-11-22", &ev, &st, &d), VAT_PREVIEW_NOT_FOUND);
    address_fields a = {.recipient = "Kunde GmbH", .street = "Unter den Linden 5", .postal_code = "10117",
                        .city = "Berlin", .country = "DE"};
    assert_int_equal(address_create(f->d, org, &a, false, &addr), ADDRESS_OK);
    assert_int_equal(vat_preview(f->d, org, "IT", "2020-08-01", &ev, &st, &d), VAT_PREVIEW_DECIDED);
    assert_int_equal(st, VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_OSS);
    assert_int_equal(d.rate_bp, 1600); /* Germany's rate on that day */
    assert_string_equal(ev.billing_country, "DE");
    assert_false(ev.business);
    set_vat_id(f->d, org, "DE136695978"); /* a wrong check digit: still a consumer */
    assert_int_equal(vat_preview(f->d, org, "IT", "2026-11-22", &ev, &st, &d), VAT_PREVIEW_DECIDED);
    assert_false(ev.vat_id_valid);
    assert_int_equal(d.scheme, VAT_SCHEME_OSS);
    set_vat_id(f->d, org, "DE136695976");
    assert_int_equal(vat_preview(f->d, org, "IT", "2026-11-22", &ev, &st, &d), VAT_PREVIEW_DECIDED);
    assert_true(ev.vat_id_valid && ev.business);
    assert_int_equal(d.scheme, VAT_SCHEME_REVERSE_CHARGE);
    assert_int_equal(d.mention, VAT_MENTION_REVERSE_CHARGE);
    json_t *e = vat_evidence_json(&ev);
    assert_string_equal(json_string_value(json_object_get(e, "vat_id")), "DE136695976");
    assert_string_equal(json_string_value(json_object_get(e, "date")), "2026-11-22");
    json_decref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seeded_rates, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_staff_rate, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_add_with_faults, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_preview, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
