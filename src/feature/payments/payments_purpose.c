/* payments_purpose.c - hands a payment that succeeded to the feature that
 * owns its purpose (orders for "order", renewals for "renewals"), with the
 * JSON kept when it started; payment_sync (payments.c) calls it right after
 * crediting the wallet, inside its transaction. */
#include "feature/payments/payments.h"

#include <assert.h>
#include <string.h>

#include "feature/orders/orders.h"
#include "feature/renewals/renewals.h"
#include "store/db.h"

payment_purpose_result payment_purpose_settle(db *d, const struct app *ap, arena *a, const payment *p, int64_t *ref,
                                              const char **why)
{
    assert(db_in_tx(d) && strcmp(p->purpose, "topup"));
    *ref = 0;
    payment_purpose_in in = {p, payment_purpose_data(d, p->id)};
    if (!in.data)
        return PURPOSE_ERROR;
    payment_purpose_result res;
    if (!strcmp(p->purpose, "order"))
        res = order_settle_payment(d, ap, a, &in, ref, why);
    else
        res = renewals_settle_payment(d, ap, a, &in, why);
    json_decref(in.data);
    return res;
}
