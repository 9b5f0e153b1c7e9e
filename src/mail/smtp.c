/* smtp.c - see smtp.h. */
#include "mail/smtp.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { SMTP_TIMEOUT_S = 30 };

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\r' || *s == '\n')
            return false;
    return true;
}

/* RFC 2047 encoded-word for non-ASCII header text. */
static void put_header_text(buf *out, const char *text)
{
    if (is_ascii(text)) {
        buf_puts(out, text);
        return;
    }
    size_t len = strlen(text);
    char b64[1024];
    if (len > 700)
        len = 700;
    sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text, len, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out, "=?UTF-8?B?%s?=", b64);
}

static void put_base64_lines(buf *out, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i += 57) {
        char line[80];
        size_t n = len - i < 57 ? len - i : 57;
        sodium_bin2base64(line, sizeof line, (const unsigned char *)data + i, n, sodium_base64_VARIANT_ORIGINAL);
        buf_printf(out, "%s\r\n", line);
    }
}

static void put_attachment(buf *out, const char *boundary, const smtp_attachment *a)
{
    buf_printf(out, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n", boundary, a->content_type, a->filename, a->filename);
    size_t len = strlen(a->data_base64);
    for (size_t i = 0; i < len; i += 76) {
        buf_append(out, a->data_base64 + i, len - i < 76 ? len - i : 76);
        buf_puts(out, "\r\n");
    }
}

void smtp_build_message(buf *out, const char *from, const char *to, const char *reply_to, const char *message_id,
                        const char *subject, const char *body, const smtp_attachment *att, size_t n)
{
    char date[64], id[33];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
    const char *domain = strchr(from, '@') ? strchr(from, '@') + 1 : "localhost";
    if (message_id && *message_id)
        buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s>\r\n", date, from, to, message_id);
    else
        buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@%s>\r\n", date, from, to, id, domain);
    if (reply_to && *reply_to)
        buf_printf(out, "Reply-To: %s\r\n", reply_to);
    buf_puts(out, "Subject: ");
    put_header_text(out, subject);
    buf_puts(out, "\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
    /* "=_" never occurs in base64, the only encoding of the parts. */
    char boundary[48];
    snprintf(boundary, sizeof boundary, "=_saldo_%s", id);
    if (n)
        buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", boundary, boundary);
    buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    put_base64_lines(out, body, strlen(body));
    for (size_t i = 0; i < n; i++)
        put_attachment(out, boundary, &att[i]);
    if (n)
        buf_printf(out, "--%s--\r\n", boundary);
}

struct reader {
    const char *data;
    size_t left;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userp)
{
    struct reader *rd = userp;
    size_t n = size * nmemb < rd->left ? size * nmemb : rd->left;
    memcpy(ptr, rd->data, n);
    rd->data += n;
    rd->left -= n;
    return n;
}

bool smtp_send(const char *url, const char *from, const char *to, const char *reply_to, const char *message_id,
               const char *subject, const char *body, const smtp_attachment *att, size_t n, char *err,
               size_t err_size)
{
    buf msg;
    buf_init(&msg, 0);
    smtp_build_message(&msg, from, to, reply_to, message_id, subject, body, att, n);
    struct reader rd = {msg.data, msg.len};
    char from_path[300], errbuf[CURL_ERROR_SIZE] = "";
    snprintf(from_path, sizeof from_path, "<%s>", from);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    CURL *c = curl_easy_init();
    CURLcode rc = CURLE_FAILED_INIT;
    if (c && rcpt) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_path);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(c, CURLOPT_READDATA, &rd);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT_S);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        rc = curl_easy_perform(c);
    }
    if (rc != CURLE_OK)
        snprintf(err, err_size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_easy_cleanup(c);
    curl_slist_free_all(rcpt);
    buf_free(&msg);
    return rc == CURLE_OK;
}
