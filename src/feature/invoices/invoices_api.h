/* invoices_api.h - the routes of documents (invoices_api.c). */
#ifndef SALDO_INVOICES_API_H
#define SALDO_INVOICES_API_H

#include "http/router.h"

void invoices_routes(router *rt);

#endif
