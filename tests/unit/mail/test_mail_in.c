/* test_mail_in.c - the incoming mail parser: addresses and tokens, quoted
 * history trimmed, HTML to text, auto-reply and bounce detection, bodies and
 * attachments of real RFC 5322 messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail_in.h"

static void test_addr_token(void **state)
{
    (void)state;
    char a[MAIL_IN_ADDR_MAX + 1], t[MAIL_IN_TOKEN_MAX + 1];
    mail_in_addr("Anna Rossi <Anna@Example.COM>", a);
    assert_string_equal(a, "anna@example.com");
    mail_in_addr("bob@example.com", a);
    assert_string_equal(a, "bob@example.com");
    mail_in_addr("no address here", a);
    assert_string_equal(a, "");
    assert_true(mail_in_token("support+0123abcdef@host.test", t));
    assert_string_equal(t, "0123abcdef");
    assert_false(mail_in_token("support+@host.test", t));
    assert_false(mail_in_token("support+xyz@host.test", t));
    assert_false(mail_in_token("billing@host.test", t));
}

static void trimmed(const char *in, const char *want)
{
    char *s = strdup(in);
    mail_in_trim_quotes(s);
    assert_string_equal(s, want);
    free(s);
}

static void test_trim_quotes(void **state)
{
    (void)state;
    trimmed("Thanks, it works.\n\nOn Mon, 3 Nov 2026 at 10:00, Support <s@x.test> wrote:\n> old\n> text\n",
            "Thanks, it works.");
    trimmed("Grazie!\n\nIl giorno lun 3 nov 2026, Assistenza ha scritto:\n> vecchio\n", "Grazie!");
    trimmed("Fine\nOn Mon, 3 Nov 2026 at 10:00, Support <s@x.test>\nwrote:\n> old\n", "Fine");
    trimmed("Top\n-----Original Message-----\nFrom: a\nold\n", "Top");
    trimmed("> quoted\nmine\n> more quoted\nalso mine\n", "mine\nalso mine");
    trimmed("Only text\n\n\n", "Only text");
    trimmed("", "");
}

static void html(const char *in, const char *want)
{
    char *s = mail_in_html_text(in, strlen(in));
    assert_string_equal(s, want);
    free(s);
}

static void test_html(void **state)
{
    (void)state;
    html("<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;<b>there</b></p>"
         "<p>Line&amp;two<br>three &lt;x&gt; &#232; &#x20AC;</p><script>alert(1)</script></body></html>",
         "Hello there\n\nLine&two\nthree <x> \xc3\xa8 \xe2\x82\xac");
    html("a &unknown; b & c", "a &unknown; b & c");
    html("<div>one</div>\n\n<div>two</div>", "one\n\ntwo");
}

static const char plain_reply[] =
    "Return-Path: <anna@example.com>\r\n"
    "From: Anna <Anna@Example.com>\r\n"
    "To: Support <support+00ff00ff00ff00ff00ff00ff00ff00ff@saldo.test>\r\n"
    "Subject: =?UTF-8?Q?Re:_perch=C3=A9?=\r\n"
    "Message-ID: <m1@example.com>\r\n"
    "In-Reply-To: <ticket-1@saldo.test>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "It works now.\r\n\r\nOn Tue, Support wrote:\r\n> Try again\r\n";

static void test_plain_reply(void **state)
{
    (void)state;
    mail_in m;
    assert_true(mail_in_parse(plain_reply, sizeof plain_reply - 1, &m));
    assert_string_equal(m.from, "anna@example.com");
    assert_string_equal(m.token, "00ff00ff00ff00ff00ff00ff00ff00ff");
    assert_string_equal(m.subject, "Re: perch\xc3\xa9");
    assert_string_equal(m.message_id, "m1@example.com");
    assert_string_equal(m.in_reply_to, "ticket-1@saldo.test");
    assert_false(m.is_auto);
    assert_string_equal(m.body, "It works now.");
    assert_int_equal(m.file_count, 0);
    mail_in_free(&m);
}

static const char multipart[] =
    "From: bob@example.com\n"
    "To: billing@saldo.test\n"
    "Delivered-To: billing@saldo.test\n"
    "Subject: Invoice question\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\n"
    "\n"
    "--XX\n"
    "Content-Type: multipart/alternative; boundary=\"YY\"\n"
    "\n"
    "--YY\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Perch=E8 due volte?\n"
    "--YY\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>Perch&egrave; due volte?</p>\n"
    "--YY--\n"
    "--XX\n"
    "Content-Type: text/plain; name=\"note.txt\"\n"
    "Content-Disposition: attachment; filename=\"note.txt\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "aGVsbG8gZmlsZQo=\n"
    "--XX--\n";

static void test_multipart(void **state)
{
    (void)state;
    mail_in m;
    assert_true(mail_in_parse(multipart, sizeof multipart - 1, &m));
    assert_string_equal(m.from, "bob@example.com");
    assert_int_equal(m.rcpt_count, 1);
    assert_string_equal(m.rcpt[0], "billing@saldo.test");
    assert_string_equal(m.token, "");
    assert_string_equal(m.body, "Perch\xc3\xa8 due volte?");
    assert_int_equal(m.file_count, 1);
    assert_string_equal(m.files[0].name, "note.txt");
    assert_int_equal(m.files[0].len, 11);
    assert_memory_equal(m.files[0].data, "hello file\n", 11);
    mail_in_free(&m);
}

static const char html_only[] =
    "From: carla@example.com\n"
    "To: support@saldo.test\n"
    "Subject: HTML\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<html><body><div>The site is <b>down</b></div><div>since 9:00</div></body></html>\n";

static void test_html_only(void **state)
{
    (void)state;
    mail_in m;
    assert_true(mail_in_parse(html_only, sizeof html_only - 1, &m));
    assert_string_equal(m.body, "The site is down\n\nsince 9:00");
    mail_in_free(&m);
}

static void auto_case(const char *headers, bool want)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "From: a@example.com\nTo: support@saldo.test\n%sSubject: x\n\nbody\n", headers);
    mail_in m;
    assert_true(mail_in_parse(buf, strlen(buf), &m));
    assert_int_equal(m.is_auto, want);
    mail_in_free(&m);
}

static const char bounce[] =
    "From: MAILER-DAEMON@mx.example.com\n"
    "To: support@saldo.test\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
    "\n"
    "--B\n"
    "Content-Type: text/plain\n"
    "\n"
    "Delivery failed.\n"
    "--B\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Final-Recipient: rfc822; x@example.com\n"
    "Action: failed\n"
    "--B--\n";

static void test_auto(void **state)
{
    (void)state;
    auto_case("", false);
    auto_case("Auto-Submitted: no\n", false);
    auto_case("Auto-Submitted: auto-replied\n", true);
    auto_case("Precedence: bulk\n", true);
    auto_case("Precedence: junk\n", true);
    auto_case("X-Autoreply: yes\n", true);
    auto_case("Return-Path: <>\n", true);
    mail_in m;
    assert_true(mail_in_parse(bounce, sizeof bounce - 1, &m));
    assert_true(m.is_auto);
    mail_in_free(&m);
}

static void test_not_a_message(void **state)
{
    (void)state;
    mail_in m;
    assert_false(mail_in_parse("", 0, &m));
    assert_false(mail_in_parse("just some text without headers", 30, &m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_token), cmocka_unit_test(test_trim_quotes), cmocka_unit_test(test_html),
        cmocka_unit_test(test_plain_reply), cmocka_unit_test(test_multipart), cmocka_unit_test(test_html_only),
        cmocka_unit_test(test_auto), cmocka_unit_test(test_not_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
