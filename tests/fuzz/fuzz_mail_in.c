/* fuzz_mail_in.c - incoming mail parsing (mail_in_parse, and through it the
 * HTML to text and quote trimming): never crashes; what it returns keeps the
 * limits (files, their sizes, recipients, tokens of hex digits). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mail/mail_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mail_in m;
    if (!mail_in_parse((const char *)data, size, &m))
        return 0;
    assert(m.subject && m.message_id && m.in_reply_to && m.body);
    assert(m.file_count <= MAIL_IN_FILES_MAX && m.rcpt_count <= MAIL_IN_RCPT_MAX);
    for (size_t i = 0; i < m.file_count; i++)
        assert(m.files[i].len > 0 && m.files[i].len <= MAIL_IN_FILE_MAX && m.files[i].name);
    assert(strspn(m.token, "0123456789abcdef") == strlen(m.token));
    assert(strlen(m.from) <= MAIL_IN_ADDR_MAX);
    mail_in_free(&m);
    return 0;
}
