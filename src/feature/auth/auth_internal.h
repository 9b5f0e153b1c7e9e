/* auth_internal.h - what the files of src/feature/auth share among themselves. */
#ifndef SALDO_AUTH_INTERNAL_H
#define SALDO_AUTH_INTERNAL_H

#include <stdint.h>

#include "http/router.h"

void auth_email_routes(router *rt);
void auth_token_routes(router *rt);
/* Rolls back and answers 500; returns false for `return store_failed(r)`. */
bool auth_store_failed(http_request *r);

#endif
