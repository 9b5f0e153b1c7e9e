/* support_internal.h - what the files of the support feature share and no
 * other feature needs: the staff's changes and the mails. */
#ifndef SALDO_SUPPORT_INTERNAL_H
#define SALDO_SUPPORT_INTERNAL_H

#include "feature/support/support.h"

/* support+<token>@<domain of mail_from>, in the request arena. */
const char *support_reply_to(http_request *r, const support_ticket *t);
/* Queues the staff answer body of t to the organization's support address,
 * inside the caller's write transaction. False on a store error. */
bool support_mail_reply(http_request *r, const support_ticket *t, const char *body);
/* The ticket a mail we sent with message_id (without <>) was about: 1 and
 * *ticket_id, 0 when we sent none with it, -1 on a store error. */
int support_ticket_by_message_id(db *d, const char *message_id, int64_t *ticket_id);

/* The staff's changes, each inside the caller's write transaction with an
 * audit entry by r->staff_id. False on a store error. */
struct support_file;
struct support_written;
bool support_staff_reply(http_request *r, const support_ticket *t, const char *body, bool internal,
                         int next_status, const struct support_file *files, size_t nfiles,
                         struct support_written *written);
/* Department and priority; the first-response due time follows the new
 * target (created_at + minutes). */
bool support_staff_move(http_request *r, const support_ticket *t, const support_department *dep,
                        support_priority priority);
/* assigned 0 = nobody. */
bool support_staff_assign(http_request *r, const support_ticket *t, int64_t assigned);
bool support_staff_status(http_request *r, const support_ticket *t, support_status st);
/* Moves the messages of dup into target, closes dup pointing to target. */
bool support_staff_merge(http_request *r, const support_ticket *dup, const support_ticket *target);

/* ---- Attachments (attachments.c) ---- */
enum { SUPPORT_FILES_MAX = 5, SUPPORT_FILE_MAX = 10 * 1024 * 1024, SUPPORT_FILE_NAME_MAX = 255 };

/* A file as uploaded; content_type is set by support_check_files. */
typedef struct support_file {
    const char *name, *data, *content_type;
    size_t len;
} support_file;

/* The files written so far (to remove them when the transaction fails). */
typedef struct support_written {
    size_t count;
    const char *paths[SUPPORT_FILES_MAX];
} support_written;

/* support.attachments_dir, or its default (next to the SQLite database, or
 * var/attachments). */
const char *support_attachments_dir(http_request *r);
/* NULL when files[0..n) may be attached (their names cleaned, their types
 * sniffed into content_type); else an English message starting with the
 * field (*field: "files" or "files[i]"). */
const char *support_check_files(http_request *r, support_file *files, size_t n, const char **field);
/* Writes checked files and their rows for message_id, inside the caller's
 * write transaction; written lists the files on disk. False on an I/O or
 * store error: the caller rolls back and calls support_unlink_written. */
bool support_store_files(http_request *r, int64_t message_id, const support_file *files, size_t n,
                         support_written *written);
void support_unlink_written(const support_written *written);
/* Answers the attachment's bytes as a download (Content-Disposition:
 * attachment), or 404 when it is not one of ticket_id's (or is on an
 * internal note and !staff). The caller checked the ticket. */
void support_send_attachment(http_request *r, int64_t ticket_id, int64_t attachment_id, bool staff);
/* {"<message id>": [{"id", "file_name", "content_type", "size", "sha256"}]}
 * of ticket_id's messages (internal ones only for staff); NULL on a store
 * error. */
json_t *support_attachments_json(http_request *r, int64_t ticket_id, bool staff);

/* The body as JSON, or a multipart/form-data body as the same JSON object
 * (empty fields left out, numbers and "internal" typed) with its "files"
 * parts in files[0..*n) (room for MULTIPART_PARTS_MAX). Answers 400/415/422
 * itself and returns false. */
bool support_read_body(http_request *r, json_t **out, support_file *files, size_t *n);

/* ---- Canned replies and departments (support_settings.c) ---- */
enum { SUPPORT_CANNED_MAX = 200, SUPPORT_CANNED_TITLE_MAX = 100 };
typedef struct support_canned {
    int64_t id;
    const char *title, *body; /* in the request arena */
} support_canned;
/* The live canned replies by title; how many, or -1 on a store error. */
int support_canned_list(http_request *r, support_canned *out, size_t max);
json_t *support_canned_json(const support_canned *c);
/* Adds a checked canned reply (audit "support.canned_add"); false on a store error. */
bool support_canned_add(http_request *r, const char *title, const char *body, int64_t *out_id);
/* Withdraws canned reply id: 1, 0 none, -1 store error. */
int support_canned_delete(http_request *r, int64_t id);
/* Adds a department whose code is not taken (the caller checked), audit
 * "support.department_add"; false on a store error. */
bool support_department_add(http_request *r, const support_department *dep);
/* Writes dep's targets and on-duty address (audit "support.department");
 * false on a store error. */
bool support_department_update(http_request *r, const support_department *dep);

/* The bounds [from, to) of month "YYYY-MM" in Italy (ZONE_PROVIDER, as the
 * pages show times); false when malformed. */
bool support_month_bounds(const char *month, int64_t *from, int64_t *to);
/* [{"department", "name", "tickets", "answered", "median_minutes",
 * "p95_minutes", "breaches"}] of the tickets opened in [from, to), one entry
 * per department (report.c); NULL on a store error. */
json_t *support_report(http_request *r, int64_t from, int64_t to);

#endif
