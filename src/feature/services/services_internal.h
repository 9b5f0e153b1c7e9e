/* services_internal.h - what the files of src/feature/services share and no
 * other feature needs: the mails' common data and language. */
#ifndef SALDO_SERVICES_INTERNAL_H
#define SALDO_SERVICES_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "feature/services/services.h"

/* {product, label, instructions, expires, link, period, provider} of s in
 * lang for a mail template; NULL on a store error. */
json_t *service_mail_data(http_request *r, const service *s, const char *lang);
/* Renders mail template name with data (stolen; NULL fails) in lang and
 * queues it to to in the outbox. */
bool service_mail_send(http_request *r, const char *to, const char *name, const char *lang, json_t *data);
/* The auto-renew confirmation of s (as it is now) to the billing address. */
bool service_mail_auto_renew(http_request *r, const service *s);

/* Answers the error of res (not SERVICE_OK) as JSON. */
void service_answer_result(http_request *r, service_result res);
/* Reads ?limit= (1-100, default 20) and ?cursor=; answers 422 itself. */
bool service_page_args(http_request *r, int64_t *after_id, size_t *limit);
/* {"services": [...], "next_cursor"} of one page of org_id's services that
 * user_id may see (0 = all, staff); NULL after answering an error. */
json_t *service_page_json(http_request *r, int64_t org_id, int64_t user_id, bool staff);

#endif
