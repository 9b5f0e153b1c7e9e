/* test_provision.c - the parts of provisioning that need no server: reading a
 * provisioner's answer, the retry schedule, the kind chosen for a product's
 * provisioner name, and the exec transport against real small programs
 * (/bin/sh scripts written here): success, refusal, exit status, garbage, a
 * missing program and one that overruns its output limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feature/services/provision.h"

static void test_parse_answer(void **state)
{
    (void)state;
    char msg[64];
    const char *ok = "{\"ok\": true, \"message\": \"vm 7\"}";
    assert_int_equal(provision_parse_answer(ok, strlen(ok), msg, sizeof msg), PROVISION_DONE);
    assert_string_equal(msg, "vm 7");
    const char *no = "{\"ok\": false}";
    assert_int_equal(provision_parse_answer(no, strlen(no), msg, sizeof msg), PROVISION_FAILED);
    assert_string_equal(msg, "");
    static const char *const bad[] = {"", "[]", "{\"ok\": 1}", "{\"message\": \"x\"}", "not json"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(provision_parse_answer(bad[i], strlen(bad[i]), msg, sizeof msg), PROVISION_FAILED);
        assert_non_null(strstr(msg, "not {\"ok\""));
    }
}

static void test_retry_schedule(void **state)
{
    (void)state;
    assert_int_equal(provision_retry_delay_s(1), 30);
    assert_int_equal(provision_retry_delay_s(2), 60);
    assert_int_equal(provision_retry_delay_s(4), 240);
    assert_int_equal(provision_retry_delay_s(1000), 30 << 10); /* bounded */
}

static void test_kinds(void **state)
{
    (void)state;
    saldo_config c;
    char err[256];
    const config_provisioner *conf;
    config_defaults(&c);
    assert_true(config_set(&c, "provisioner.vm", "exec:/bin/true", NULL, err, sizeof err));
    assert_ptr_equal(provision_kind_for(&c, "manual", &conf), &provision_manual);
    assert_null(conf);
    assert_ptr_equal(provision_kind_for(&c, "vm", &conf), &provision_command);
    assert_string_equal(conf->target, "/bin/true");
    assert_ptr_equal(provision_kind_for(&c, "ghost", &conf), &provision_command);
    assert_null(conf);
    char msg[128];
    assert_int_equal(provision_command.run(NULL, "{}", msg, sizeof msg), PROVISION_FAILED);
    assert_int_equal(provision_manual.run(NULL, "{}", msg, sizeof msg), PROVISION_WAITS_FOR_STAFF);
}

/* Writes an executable /bin/sh script with body; its path in out. */
static void script(char out[64], const char *body)
{
    snprintf(out, 64, "/tmp/saldo-prov-XXXXXX");
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(out, 0700);
}

static void test_exec(void **state)
{
    (void)state;
    char ok[64], refuse[64], status[64], flood[64], msg[256];
    script(ok, "read line; echo \"{\\\"ok\\\": true, \\\"message\\\": \\\"got ${#line} bytes\\\"}\"");
    script(refuse, "cat >/dev/null; echo '{\"ok\": false, \"message\": \"full\"}'");
    script(status, "cat >/dev/null; echo '{\"ok\": true}'; exit 3");
    script(flood, "cat >/dev/null; yes x");
    assert_int_equal(provision_exec_run(ok, "{\"service\":1}\n", msg, sizeof msg), PROVISION_DONE);
    assert_string_equal(msg, "got 13 bytes");
    assert_int_equal(provision_exec_run(refuse, "{}", msg, sizeof msg), PROVISION_FAILED);
    assert_string_equal(msg, "full");
    assert_int_equal(provision_exec_run(status, "{}", msg, sizeof msg), PROVISION_FAILED);
    assert_string_equal(msg, "exit status 3");
    assert_int_equal(provision_exec_run(flood, "{}", msg, sizeof msg), PROVISION_FAILED);
    assert_non_null(strstr(msg, "no complete answer"));
    assert_int_equal(provision_exec_run("/nonexistent/program", "{}", msg, sizeof msg), PROVISION_FAILED);
    assert_non_null(strstr(msg, "cannot run /nonexistent/program"));
    unlink(ok), unlink(refuse), unlink(status), unlink(flood);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_answer),
        cmocka_unit_test(test_retry_schedule),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_exec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
