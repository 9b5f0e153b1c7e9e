/* test_orgs.c - organizations on a real store: who may leave (the last admin
 * and the legal representative may not, until the role is handed over), the
 * legal representative being set for the first admin and checked to be a
 * member, more organizations per login, and the profile round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feature/orgs/orgs.h"
#include "store_fixture.h"

static int64_t user(db *d, const char *email)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO users (email, password_hash, name, country, language, created_at)"
        " VALUES ($1, 'x', $1, 'IT', 'en', 0) RETURNING id");
    assert_non_null(s);
    db_bind_text(s, 1, email);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

/* A sign-up: the personal organization with its first admin. */
static int64_t signup_org(db *d, int64_t admin)
{
    int64_t org;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(org_create(d, "Personal", &org));
    assert_true(org_add_member(d, org, admin, "admin", true));
    assert_int_equal(db_commit(d), DB_OK);
    return org;
}

static void add(db *d, int64_t org, int64_t u, const char *role)
{
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(org_add_member(d, org, u, role, false));
    assert_int_equal(db_commit(d), DB_OK);
}

static void test_leaving(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t a = user(d, "a@example.test"), b = user(d, "b@example.test"), c = user(d, "c@example.test");
    int64_t stranger = user(d, "s@example.test");
    int64_t org = signup_org(d, a);
    assert_int_equal(org_may_leave(d, org, a), ORG_LEAVE_LAST_ADMIN);
    assert_int_equal(org_may_leave(d, org, stranger), ORG_LEAVE_NOT_MEMBER);
    add(d, org, b, "admin");
    add(d, org, c, "member");
    /* a is no longer the last admin but still the legal representative. */
    assert_int_equal(org_may_leave(d, org, a), ORG_LEAVE_LEGAL_REP);
    assert_int_equal(org_may_leave(d, org, b), ORG_LEAVE_OK);
    assert_int_equal(org_may_leave(d, org, c), ORG_LEAVE_OK);
    /* Hand the role to c (a member): a may go, c may not. */
    org_profile p;
    assert_int_equal(org_profile_get(d, org, &p), 1);
    assert_int_equal(p.legal_rep_user_id, a);
    assert_true(p.personal);
    p.legal_rep_user_id = c;
    const char *why;
    assert_null(org_profile_check(d, &p, &why));
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(org_profile_save(d, &p));
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(org_may_leave(d, org, a), ORG_LEAVE_OK);
    assert_int_equal(org_may_leave(d, org, c), ORG_LEAVE_LEGAL_REP);
    for (int w = 0; w < ORG_LEAVE_COUNT; w++)
        assert_non_null(org_leave_reason((org_leave)w));
}

static void test_profile(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t a = user(d, "a@example.test"), stranger = user(d, "s@example.test");
    int64_t org;
    assert_true(org_create_named(d, "Rossi Srl", ORG_KIND_COMPANY, a, &org));
    org_profile p;
    assert_int_equal(org_profile_get(d, org, &p), 1);
    assert_false(p.personal);
    assert_int_equal(p.kind, ORG_KIND_COMPANY);
    assert_int_equal(p.legal_rep_user_id, a);
    assert_int_equal(org_profile_get(d, org + 1000, &p), 0);
    assert_int_equal(org_profile_get(d, org, &p), 1);
    const char *why;
    p.legal_rep_user_id = stranger;
    assert_string_equal(org_profile_check(d, &p, &why), "legal_representative_user_id");
    p.legal_rep_user_id = a;
    snprintf(p.vat_id, sizeof p.vat_id, " it 1234 5678 903");
    snprintf(p.fiscal_code, sizeof p.fiscal_code, "rssmra85t10a562s"); /* a sole trader's */
    snprintf(p.sdi_code, sizeof p.sdi_code, "0000000");
    assert_string_equal(org_profile_check(d, &p, &why), "pec");
    snprintf(p.pec, sizeof p.pec, "Rossi@PEC.example.it");
    assert_null(org_profile_check(d, &p, &why));
    assert_string_equal(p.vat_id, "IT12345678903");
    assert_string_equal(p.fiscal_code, "RSSMRA85T10A562S");
    assert_string_equal(p.pec, "rossi@pec.example.it");
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(org_profile_save(d, &p));
    assert_int_equal(db_commit(d), DB_OK);
    org_profile q;
    assert_int_equal(org_profile_get(d, org, &q), 1);
    assert_string_equal(q.vat_id, "IT12345678903");
    assert_string_equal(q.sdi_code, "0000000");
    p.kind = ORG_KIND_PUBLIC; /* a public body has neither a 16-character code nor a 7-character SDI code */
    assert_string_equal(org_profile_check(d, &p, &why), "fiscal_code");
    /* Two organizations for a: the list has both, oldest first. */
    int64_t personal = signup_org(d, a);
    json_t *list = org_list_json(d, a);
    assert_non_null(list);
    assert_int_equal(json_array_size(list), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), org);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "id")), personal);
    json_decref(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_leaving, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_profile, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
