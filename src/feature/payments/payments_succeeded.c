/* payments_succeeded.c - the succeeded gateway top-ups of an organization,
 * for the refunds feature (what may still be sent back through the gateway). */
#include "feature/payments/payments.h"

#include <assert.h>

int payments_succeeded(db *d, int64_t org_id, payment *out, size_t max)
{
    assert(org_id > 0 && max > 0);
    db_stmt *s = db_prepare(d, "SELECT id FROM payments WHERE org_id = $1 AND status = 'succeeded'"
                               " AND method <> 'bank_transfer' AND gateway_id IS NOT NULL ORDER BY id DESC LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)max);
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW)
        out[n++].id = db_col_int64(s, 0);
    db_done(s);
    if (st != DB_DONE)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (payment_get(d, out[i].id, &out[i]) != 1)
            return -1;
    return (int)n;
}
