/* reports.h - the staff's figures from the issued documents, as CSV:
 * revenue per month and currency of a year (invoices minus credit notes:
 * net, VAT, gross), and the OSS return of a quarter (the consumer sales to
 * other member states, scheme "oss": member state, rate, currency, net,
 * VAT). Credit notes count negative in the month or quarter they are issued.
 * Served to the staff API (bearer) and to the back office (session). */
#ifndef SALDO_REPORTS_H
#define SALDO_REPORTS_H

#include "http/http.h"

/* GET ...?year=2026: "month,currency,net,vat,gross", one row per month and
 * currency with documents, oldest first. 422 invalid_field "year". */
void reports_answer_revenue(http_request *r);
/* GET ...?quarter=2026-Q3: "member_state,rate,currency,net,vat" by member
 * state then rate. 422 invalid_field "quarter". */
void reports_answer_oss(http_request *r);

#endif
