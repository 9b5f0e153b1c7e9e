/* test_support.c - support tickets in a real store (SQLite, or PostgreSQL with
 * STORE_TEST_PG_URL): the seeded departments, the queue order (high priority
 * first, then unanswered by due time, then answered), the breached filter, the
 * status flow of messages (a customer's reopens, a staff answer sets the first
 * response once, an internal note changes nothing, a system message keeps the
 * status unless told), closing and reopening, rating only closed tickets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "feature/support/support.h"
#include "store_fixture.h"

/* A ticket of org opened by user, due at due, first answered at answered (0 = not yet). */
static int64_t ticket(db *d, int64_t org, int64_t user, const char *priority, int64_t due, int64_t answered)
{
    static int n;
    char token[33];
    snprintf(token, sizeof token, "%032d", ++n);
    db_stmt *s = db_prepare(d,
        "INSERT INTO support_tickets (org_id, opened_by, department_id, priority, subject, status, token, created_at,"
        " updated_at, first_response_due_at, first_response_at)"
        " VALUES ($1, $2, (SELECT id FROM support_departments WHERE code = 'technical'), $3, 'subject', 'open', $4,"
        " 0, 0, $5, $6) RETURNING id");
    assert_non_null(s);
    db_bind_int64(s, 1, org);
    db_bind_int64(s, 2, user);
    db_bind_text(s, 3, priority);
    db_bind_text(s, 4, token);
    db_bind_int64(s, 5, due);
    if (answered) db_bind_int64(s, 6, answered); else db_bind_null(s, 6);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

static void setup_people(db *d, int64_t *org, int64_t *user, int64_t *staff)
{
    *org = fixture_org(d, "Tickets S.r.l.");
    *user = fixture_value(d, "INSERT INTO users (email, password_hash, name, country, language, created_at)"
                      " VALUES ('t@example.test', 'x', 'T', 'IT', 'en', 0) RETURNING id");
    *staff = fixture_value(d, "INSERT INTO staff (email, password_hash, name, created_at)"
                       " VALUES ('ops@saldo.test', 'x', 'Ops', 0) RETURNING id");
}

static void test_departments_seeded(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    support_department deps[4];
    assert_int_equal(support_department_list(d, deps, 4), 2);
    assert_string_equal(deps[0].code, "technical");
    assert_string_equal(deps[1].name_it, "Amministrazione");
    assert_int_equal(deps[0].sla_min[SUPPORT_NORMAL], 10);
    assert_int_equal(deps[0].sla_min[SUPPORT_HIGH], 10);
    support_department one;
    assert_int_equal(support_department_by_code(d, "billing", &one), 1);
    assert_int_equal(support_department_by_code(d, "sales", &one), 0);
}

static void test_queue_order_and_breaches(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org, user, staff, now = 1000000;
    setup_people(d, &org, &user, &staff);
    int64_t normal_late = ticket(d, org, user, "normal", now + 600, 0);
    int64_t normal_soon = ticket(d, org, user, "normal", now + 60, 0);
    int64_t high = ticket(d, org, user, "high", now + 900, 0);
    int64_t answered = ticket(d, org, user, "normal", now + 100, now - 50);
    int64_t overdue = ticket(d, org, user, "normal", now - 30, 0);
    int64_t answered_late = ticket(d, org, user, "normal", now - 500, now - 10);
    support_ticket list[10];
    support_filter f = {.status = -1, .priority = -1, .queue_order = true};
    assert_int_equal(support_list(d, &f, now, list, 10), 6);
    int64_t want[] = {high, overdue, normal_soon, normal_late, answered_late, answered};
    for (int i = 0; i < 6; i++)
        assert_int_equal(list[i].id, want[i]);
    f.breached_only = true;
    assert_int_equal(support_list(d, &f, now, list, 10), 2);
    assert_int_equal(list[0].id, overdue);
    assert_int_equal(list[1].id, answered_late);
    assert_true(support_breached(&list[0], now));
    assert_true(support_breached(&list[1], now));
    support_ticket t;
    assert_int_equal(support_get(d, org, answered, &t), 1);
    assert_false(support_breached(&t, now));
    assert_int_equal(support_get(d, org + 1, answered, &t), 0);
}

static void test_status_flow(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org, user, staff;
    setup_people(d, &org, &user, &staff);
    support_ticket t;
    int64_t id = ticket(d, org, user, "normal", time(NULL) + 600, 0);
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(support_add_message(d, &t, SUPPORT_AUTHOR_STAFF, staff, "note", true, -1, NULL));
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.status, SUPPORT_OPEN);
    assert_int_equal(t.first_response_at, 0);

    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(support_add_message(d, &t, SUPPORT_AUTHOR_STAFF, staff, "answer", false, SUPPORT_WAITING, NULL));
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.status, SUPPORT_WAITING);
    int64_t first = t.first_response_at;
    assert_true(first > 0);

    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(support_add_message(d, &t, SUPPORT_AUTHOR_EMAIL, user, "by mail", false, -1, NULL));
    assert_true(support_add_message(d, &t, SUPPORT_AUTHOR_SYSTEM, 0, "system", false, -1, NULL));
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.status, SUPPORT_OPEN);
    assert_int_equal(t.first_response_at, first);

    assert_true(support_set_rating(d, id, 5)); /* runs, but touches only closed tickets */
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.rating, 0); /* not closed: no rating */
    assert_true(support_set_status(d, id, SUPPORT_CLOSED));
    assert_true(support_set_rating(d, id, 4));
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.status, SUPPORT_CLOSED);
    assert_true(t.closed_at > 0);
    assert_int_equal(t.rating, 4);
    assert_true(support_set_status(d, id, SUPPORT_OPEN));
    assert_int_equal(support_get(d, org, id, &t), 1);
    assert_int_equal(t.closed_at, 0);
}

static void test_text_and_ip(void **state)
{
    (void)state;
    assert_true(support_text_ok("line one\r\n\tline two", 1, 100));
    assert_false(support_text_ok("  \n ", 1, 100));
    assert_false(support_text_ok("bell \a", 1, 100));
    assert_false(support_text_ok("too long", 1, 3));
    assert_true(support_ip_ok("192.0.2.1"));
    assert_true(support_ip_ok("2001:db8::1"));
    assert_false(support_ip_ok("192.0.2.256"));
    assert_false(support_ip_ok("example.org"));
    assert_false(support_ip_ok(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_departments_seeded, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_queue_order_and_breaches, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_status_flow, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_and_ip, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
