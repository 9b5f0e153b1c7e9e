/* test_outbox_retry.c - the outbox's retry schedule: doubling from 10 s, capped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mail/outbox.h"

static void test_schedule(void **state)
{
    (void)state;
    assert_int_equal(outbox_retry_delay_s(0), 10);
    assert_int_equal(outbox_retry_delay_s(1), 10);
    assert_int_equal(outbox_retry_delay_s(2), 20);
    assert_int_equal(outbox_retry_delay_s(3), 40);
    assert_int_equal(outbox_retry_delay_s(8), 1280);
    assert_int_equal(outbox_retry_delay_s(40), OUTBOX_RETRY_MAX_S);
    assert_int_equal(outbox_retry_delay_s(INT64_MAX), OUTBOX_RETRY_MAX_S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_schedule)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
