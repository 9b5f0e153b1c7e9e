/* support.h - support tickets: departments with first-response targets (SLA),
 * tickets with the details of an incident, their threads of messages, and who
 * may see them. Messages have an author kind (customer, staff, email, chat,
 * system) so that email-to-ticket and live chat add to the same threads.
 *
 * The customer API (support_api.c) and the staff API (support_staff_api.c)
 * both go through these calls; the ones that change something run their own
 * write transaction unless they say otherwise. */
#ifndef SALDO_SUPPORT_H
#define SALDO_SUPPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

enum {
    SUPPORT_SUBJECT_MAX = 200,
    SUPPORT_BODY_MAX = 20000,
    SUPPORT_ORDER_NUMBER_MAX = 64,
    SUPPORT_IP_MAX = 45,
    SUPPORT_TZ_MAX = 64,
    SUPPORT_TOKEN_HEX = 32,       /* 16 random bytes */
    SUPPORT_DEPT_CODE_MAX = 32,
    SUPPORT_DEPT_NAME_MAX = 100,
    SUPPORT_LIST_MAX = 200,       /* tickets per list */
    SUPPORT_THREAD_MAX = 500,     /* messages shown of one thread */
    SUPPORT_SLA_MIN_MAX = 10080,  /* a week, in minutes */
};

typedef enum { SUPPORT_NORMAL, SUPPORT_HIGH, SUPPORT_PRIORITY_COUNT } support_priority;
/* "normal", "high", then NULL (for jin_enum). */
extern const char *const support_priority_names[];

typedef enum { SUPPORT_OPEN, SUPPORT_ANSWERED, SUPPORT_WAITING, SUPPORT_CLOSED, SUPPORT_STATUS_COUNT } support_status;
/* "open", "answered", "waiting", "closed", then NULL. */
extern const char *const support_status_names[];

typedef struct support_department {
    int64_t id;
    char code[SUPPORT_DEPT_CODE_MAX + 1];
    char name_en[SUPPORT_DEPT_NAME_MAX + 1], name_it[SUPPORT_DEPT_NAME_MAX + 1];
    int sla_min[SUPPORT_PRIORITY_COUNT]; /* first-response target per priority, minutes */
    char duty_email[255];                /* "" = no SLA warnings */
    bool active;
} support_department;

/* Reads the department with code (active or not): 1, 0 none, -1 store error. */
int support_department_by_code(db *d, const char *code, support_department *out);
/* Up to max departments, by id; how many, or -1 on a store error. */
int support_department_list(db *d, support_department *out, size_t max);
/* {"code", "name", "sla_minutes": {"normal", "high"}} (plus "duty_email",
 * "active" for staff) of dep, the name in lang. */
json_t *support_department_json(const support_department *dep, const char *lang, bool staff);

/* A ticket row. */
typedef struct support_ticket {
    int64_t id, org_id, opened_by, department_id, service_id;
    int64_t problem_at;            /* UTC seconds, 0 = not given */
    int64_t assigned_staff_id;     /* 0 = nobody */
    int64_t created_at, updated_at, due_at;
    int64_t first_response_at, closed_at, merged_into; /* 0 = not yet / none */
    int rating;                    /* 0 = none */
    support_priority priority;
    support_status status;
    char department[SUPPORT_DEPT_CODE_MAX + 1];
    char subject[SUPPORT_SUBJECT_MAX + 1];
    char order_number[SUPPORT_ORDER_NUMBER_MAX + 1];
    char server_ip[SUPPORT_IP_MAX + 1];
    char problem_tz[SUPPORT_TZ_MAX + 1];
    char token[SUPPORT_TOKEN_HEX + 1];
} support_ticket;

typedef enum { SUPPORT_AUTHOR_CUSTOMER, SUPPORT_AUTHOR_STAFF, SUPPORT_AUTHOR_EMAIL, SUPPORT_AUTHOR_CHAT,
               SUPPORT_AUTHOR_SYSTEM, SUPPORT_AUTHOR_COUNT } support_author;
extern const char *const support_author_names[];

struct support_file;

/* What a customer opens. Strings checked by the caller (support_check_*). */
typedef struct support_new {
    int64_t org_id, user_id, service_id;
    const support_department *dep;
    support_priority priority;
    const char *subject, *body, *order_number, *server_ip, *problem_tz;
    int64_t problem_at;
    struct support_file *files; /* checked by support_check_files */
    size_t file_count;
    support_author author;      /* of the first message: customer (0) or email */
} support_new;

/* Opens a ticket with its first message and its files; due = now + the
 * department's target for the priority. *out_id its id. False on a store or
 * I/O error (nothing written). */
bool support_open(http_request *r, const support_new *n, int64_t *out_id);
/* The same without files inside the caller's write transaction, for other
 * features opening a ticket along with their own changes (live chat: the
 * first message is the transcript, author chat). False on a store error. */
bool support_open_in_tx(db *d, const support_new *n, int64_t *out_id);
/* Reads ticket id (of org_id, 0 = any, for staff): 1, 0 none, -1 store error. */
int support_get(db *d, int64_t org_id, int64_t id, support_ticket *out);

/* True when user_id may see t: a member of its organization with access to
 * all services, or to the ticket's service, or who opened it. */
bool support_user_may(http_request *r, int64_t user_id, const support_ticket *t);

typedef struct support_filter {
    int64_t org_id;            /* 0 = all organizations (staff) */
    int status;                /* a support_status, -1 = any; for staff -1 = any but closed */
    int priority;              /* -1 = any */
    int64_t department_id;     /* 0 = any */
    int64_t assigned_staff_id; /* 0 = any, -1 = nobody */
    bool breached_only;
    bool queue_order;          /* high first, then time left; else newest first */
} support_filter;

/* Up to max tickets matching f; how many, or -1 on a store error. */
int support_list(db *d, const support_filter *f, int64_t now, support_ticket *out, size_t max);

/* True when t was answered after its first-response target, or was closed
 * unanswered after it, or is still unanswered past it at now. */
bool support_breached(const support_ticket *t, int64_t now);

/* The ticket as JSON for a customer (staff adds token-free SLA details). */
json_t *support_ticket_json(http_request *r, const support_ticket *t, bool staff, int64_t now);

/* Adds a message to ticket t inside the caller's write transaction and moves
 * the status: a customer's (email, chat) message reopens (open), a staff
 * answer makes it answered (or next_status when >= 0) and sets the first
 * response, a system message sets next_status when >= 0; an internal note
 * changes nothing else. who: the user or staff id (0 = none). */
bool support_add_message(db *d, const support_ticket *t, support_author author, int64_t who, const char *body,
                         bool internal, int next_status, int64_t *out_id);
/* The thread of ticket id as a JSON array, oldest first; internal notes only
 * with staff. NULL on a store error. */
json_t *support_thread_json(http_request *r, int64_t id, bool staff);

/* Sets the status of t (closing sets closed_at, reopening clears it) inside
 * the caller's write transaction. */
bool support_set_status(db *d, int64_t id, support_status st);
/* The rating of a closed ticket (1..5). */
bool support_set_rating(db *d, int64_t id, int rating);

/* Text checks shared by the API and the pages: multi-line UTF-8 without
 * other control characters, min..max bytes after trimming. */
bool support_text_ok(const char *s, size_t min, size_t max);
/* A valid IPv4 or IPv6 address. */
bool support_ip_ok(const char *s);

/* ---- The SLA watch (sla_watch.c) ---- */
enum { SUPPORT_SLA_WARN_S = 120 }; /* warn this long before a target */
struct app;
typedef struct support_sla_watch support_sla_watch;
/* One check at now: marks and mails (to the department's duty_email) the
 * unanswered tickets within SUPPORT_SLA_WARN_S of their target ("due soon")
 * or past it ("breached"), each once. How many were marked, -1 on a store
 * error (rolled back). */
int support_sla_round(const struct app *ap, db *d, int64_t now);
/* The worker of `saldo serve` that runs support_sla_round every few seconds. */
support_sla_watch *support_sla_start(const struct app *ap, const char *db_url);
void support_sla_stop(support_sla_watch *s);

void support_routes(router *rt);
void support_staff_routes(router *rt);

#endif
