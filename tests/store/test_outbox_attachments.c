/* test_outbox_attachments.c - a message with an attached file, end to end:
 * enqueued in a transaction (an invoice's PDF rendered by pdf_document), sent
 * by the outbox worker to the real test SMTP server
 * (tests/e2e/lib/smtp_server.py) as multipart/mixed, its text and its
 * attachment decoding back to the very same PDF bytes; an attachment with a
 * bad name, type or size is refused and writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doc_fixture.h"
#include "mail/outbox.h"
#include "render/pdf_document.h"
#include "store_fixture.h"

static void test_bad_attachments_write_nothing(void **state)
{
    store_fixture *f = *state;
    const char pdf[] = "%PDF-1.5 tiny";
    const outbox_attachment bad[] = {
        {"", "application/pdf", pdf, sizeof pdf},
        {"../invoice.pdf", "application/pdf", pdf, sizeof pdf},
        {".invoice.pdf", "application/pdf", pdf, sizeof pdf},
        {"invoice\r\nBcc: x@example.com.pdf", "application/pdf", pdf, sizeof pdf},
        {"fattura \"1\".pdf", "application/pdf", pdf, sizeof pdf},
        {"invoice.pdf", "pdf", pdf, sizeof pdf},
        {"invoice.pdf", "Application/PDF", pdf, sizeof pdf},
        {"invoice.pdf", "application/pdf\r\nX: y", pdf, sizeof pdf},
        {"invoice.pdf", "application/pdf", pdf, 0},
        {"invoice.pdf", "application/pdf", pdf, OUTBOX_ATTACHMENT_BYTES_MAX + 1},
        {"invoice.pdf", "application/pdf", NULL, 10},
    };
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(outbox_attachment_ok(&bad[i]));
        assert_false(outbox_enqueue_with_attachment(f->d, "a@example.com", "Invoice", "text", &bad[i]));
    }
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM outbox"), 0);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM outbox_attachments"), 0);
    outbox_attachment good = {"Fattura_2026-000123.pdf", "application/pdf", pdf, sizeof pdf};
    assert_true(outbox_attachment_ok(&good));
}

typedef struct smtp_server {
    pid_t pid;
    int in;          /* the server's stdin: closing it stops it */
    int out;         /* its stdout, open until it stops (a write to a closed pipe would kill it) */
    char dir[64];
    char url[64];
} smtp_server;

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    close(s);
    return ntohs(a.sin_port);
}

static void smtp_start(smtp_server *m)
{
    snprintf(m->dir, sizeof m->dir, "/tmp/saldo-mail-XXXXXX");
    assert_non_null(mkdtemp(m->dir));
    int port = free_port();
    snprintf(m->url, sizeof m->url, "smtp://127.0.0.1:%d", port);
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    m->pid = fork();
    assert_true(m->pid >= 0);
    if (m->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        char p[16];
        snprintf(p, sizeof p, "%d", port);
        execl("/usr/bin/python3", "python3", "tests/e2e/lib/smtp_server.py", p, m->dir, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    m->in = in[1];
    m->out = out[0];
    char ready[64] = "";
    size_t got = 0;
    ssize_t n;
    while (got < sizeof ready - 1 && !strchr(ready, '\n') && (n = read(m->out, ready + got, sizeof ready - 1 - got)) > 0)
        got += (size_t)n;
    assert_non_null(strstr(ready, "ready\n"));
}

static void smtp_stop(smtp_server *m)
{
    close(m->in);
    close(m->out);
    int st = 0;
    assert_int_equal(waitpid(m->pid, &st, 0), m->pid);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", m->dir);
    assert_int_equal(system(cmd), 0);
}

/* The first message the server received, waiting up to 15 s. */
static json_t *first_message(const smtp_server *m)
{
    char path[128];
    snprintf(path, sizeof path, "%s/000001.json", m->dir);
    for (int i = 0; i < 150; i++) {
        json_t *j = json_load_file(path, 0, NULL);
        if (j)
            return j;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    fail_msg("no mail received");
    return NULL;
}

static void test_pdf_attachment_goes_out_as_multipart(void **state)
{
    store_fixture *f = *state;
    document doc;
    doc_line lines[5];
    doc_fixture(&doc, lines, 5, DOC_INVOICE, "it");
    buf pdf;
    buf_init(&pdf, 0);
    assert_true(pdf_document(&doc, NULL, &pdf));
    outbox_attachment a = {"Fattura_2026-000123.pdf", "application/pdf", pdf.data, pdf.len};
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_true(outbox_enqueue_with_attachment(f->d, "billing@rossi.example", "Fattura 2026/000123",
                                               "In allegato la fattura 2026/000123.", &a));
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM outbox_attachments"), 1);

    smtp_server m;
    smtp_start(&m);
    outbox_worker *w = outbox_worker_start(f->url, m.url, "billing@saldo.example", NULL, NULL);
    assert_non_null(w);
    json_t *msg = first_message(&m);
    outbox_worker_stop(w);

    assert_string_equal(json_string_value(json_object_get(msg, "subject")), "Fattura 2026/000123");
    assert_non_null(strstr(json_string_value(json_object_get(msg, "text")), "In allegato la fattura 2026/000123."));
    const char *ctype = json_string_value(json_object_get(json_object_get(msg, "headers"), "Content-Type"));
    assert_non_null(ctype);
    assert_non_null(strstr(ctype, "multipart/mixed"));
    json_t *files = json_object_get(msg, "attachments");
    assert_int_equal(json_array_size(files), 1);
    json_t *file = json_array_get(files, 0);
    assert_string_equal(json_string_value(json_object_get(file, "filename")), "Fattura_2026-000123.pdf");
    assert_string_equal(json_string_value(json_object_get(file, "content_type")), "application/pdf");
    const char *b64 = json_string_value(json_object_get(file, "base64"));
    size_t cap = strlen(b64), len = 0;
    unsigned char *bytes = malloc(cap);
    assert_int_equal(sodium_base642bin(bytes, cap, b64, cap, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(len, pdf.len);
    assert_memory_equal(bytes, pdf.data, pdf.len);
    free(bytes);
    json_decref(msg);
    smtp_stop(&m);
    buf_free(&pdf);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_attachments_write_nothing, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pdf_attachment_goes_out_as_multipart, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
