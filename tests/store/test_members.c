/* test_members.c - the rule of org_user_may_service (orgs.h) on a real store:
 * administrators and members with access to all services may act on any
 * service; a limited member only on their services and on the services of
 * their product categories; nobody outside the organization. Also that
 * members_join keeps an administrator's rights whole. The catalog issue
 * calls org_user_may_service wherever a customer meets a service. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>

#include "feature/auth/auth.h"
#include "feature/orgs/members.h"
#include "feature/orgs/orgs.h"
#include "store_fixture.h"

static int64_t user(db *d, const char *email)
{
    int64_t id;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(auth_user_create_verified(d, email, "hash", "U", "IT", "en", &id), DB_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

static void join(db *d, int64_t org, int64_t u, const member_rights *m)
{
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(members_join(d, org, u, m), DB_OK);
    assert_int_equal(db_commit(d), DB_OK);
}

static void test_may_service(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = fixture_org(d, "Acme"), other = fixture_org(d, "Other");
    int64_t admin = user(d, "admin@example.test"), all = user(d, "all@example.test");
    int64_t limited = user(d, "limited@example.test"), none = user(d, "none@example.test");
    int64_t stranger = user(d, "stranger@example.test");
    member_rights a = {.admin = true, .access = {.all = false, .service_count = 1, .services = {1}}};
    member_rights every = {.access = {.all = true}};
    member_rights some = {.access = {.service_count = 2, .services = {10, 11}, .category_count = 1,
                                     .categories = {3}}};
    member_rights nothing = {.access = {.all = false}};
    join(d, org, admin, &a);
    join(d, org, all, &every);
    join(d, org, limited, &some);
    join(d, org, none, &nothing);
    join(d, other, stranger, &every);
    /* administrators: everything, whatever was asked for them */
    assert_true(org_user_may_service(d, admin, org, 99, 0));
    assert_true(org_user_may_service(d, admin, org, 0, 42));
    /* all services */
    assert_true(org_user_may_service(d, all, org, 99, 7));
    /* a limited member: their services, or any service of their categories */
    assert_true(org_user_may_service(d, limited, org, 10, 0));
    assert_true(org_user_may_service(d, limited, org, 11, 9));
    assert_true(org_user_may_service(d, limited, org, 500, 3));
    assert_true(org_user_may_service(d, limited, org, 0, 3));
    assert_false(org_user_may_service(d, limited, org, 12, 0));
    assert_false(org_user_may_service(d, limited, org, 12, 4));
    assert_false(org_user_may_service(d, limited, org, 0, 0));
    /* an empty scope sees nothing */
    assert_false(org_user_may_service(d, none, org, 10, 3));
    /* outside the organization: never, even with access to all in their own */
    assert_false(org_user_may_service(d, stranger, org, 10, 3));
    assert_true(org_user_may_service(d, stranger, other, 10, 3));
    assert_false(org_user_may_service(d, limited, other, 10, 3));
    /* nonsense ids */
    assert_false(org_user_may_service(d, 0, org, 10, 0));
    assert_false(org_user_may_service(d, limited, 0, 10, 0));
    assert_false(org_user_may_service(d, limited, org, -10, 0));
    /* members_get reads back what was stored; an administrator has all */
    member_rights got;
    assert_true(members_get(d, org, admin, &got));
    assert_true(got.admin && got.billing && got.access.all);
    assert_true(members_get(d, org, limited, &got));
    assert_false(got.admin || got.billing || got.access.all);
    assert_int_equal(got.access.service_count, 2);
    assert_int_equal(got.access.services[0], 10);
    assert_int_equal(got.access.categories[0], 3);
    assert_false(members_get(d, org, stranger, &got));
}

static void test_join_twice_is_a_constraint(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = fixture_org(d, "Acme"), u = user(d, "twice@example.test");
    member_rights m = {.access = {.all = true}};
    join(d, org, u, &m);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(members_join(d, org, u, &m), DB_CONSTRAINT);
    db_rollback(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_may_service, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_twice_is_a_constraint, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
