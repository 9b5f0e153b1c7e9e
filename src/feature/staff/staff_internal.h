/* staff_internal.h - handlers shared between the files of src/feature/staff. */
#ifndef SALDO_STAFF_INTERNAL_H
#define SALDO_STAFF_INTERNAL_H

#include "http/http.h"

/* POST /api/v1/staff/orgs/{org_id}/adjustments */
void staff_post_adjustment(http_request *r);
/* GET /api/v1/staff/audit */
void staff_get_audit(http_request *r);

#endif
