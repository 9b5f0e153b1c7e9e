/* cmd_demo_services.c - the demo customers' services, so that the client
 * area of `saldo demo` has something to show: running services with their
 * renewal dates (one due within the renewal window, for the "To pay" page and
 * the billing run), and a service waiting for activation by staff. Priced
 * through the catalog, so a reseller's services cost the reseller's price. */
#include "cmd/cmd_demo.h"

#include <stdio.h>

#include "core/period.h"
#include "feature/catalog/catalog.h"
#include "feature/services/services.h"

typedef struct demo_service {
    int customer;         /* index into the demo customers' organizations */
    const char *product;  /* catalog code */
    const char *label;
    int months;
    int days_left;        /* until expiry, about: the service started a period before */
    bool auto_renew, active;
} demo_service;

static const demo_service services[] = {
    {0, "pec-standard", "mario.rossi@pec.example.it", 12, 10, true, true}, /* renewed by the first billing run */
    {0, "domain-com", "rossi-impianti.com", 12, 240, true, true},
    {0, "vps-s", "vps1.rossi-impianti.com", 1, 12, false, true},
    {0, "vps-m", "vps2.rossi-impianti.com", 1, 30, false, false},
    {1, "spid-personal", "Anna Schmidt", 12, 25, true, true},
};

/* The demo service ds for org_id. */
static bool add_service(db *d, const demo_service *ds, int64_t org_id, int64_t now)
{
    catalog_product p;
    catalog_price price;
    int64_t product_id = catalog_product_id(d, ds->product), id;
    if (product_id <= 0 || catalog_product_get(d, product_id, &p) != 1 ||
        catalog_price_for(d, org_id, &p, "EUR", ds->months, &price) != 1)
        return false;
    /* Started one period (as long as one from 1970) before: it expires
     * days_left from now, give or take the day a leap year adds. */
    int64_t starts = now + (int64_t)ds->days_left * 86400 - period_add(0, ds->months);
    service_new n = {.org_id = org_id, .product_id = product_id, .label = ds->label, .currency = "EUR",
                     .period_months = ds->months, .price_minor = price.price_minor,
                     .auto_renew = ds->auto_renew && p.auto_renew, .active = ds->active,
                     .starts_at = ds->active ? starts : now};
    return service_create(d, &n, &id);
}

bool demo_services(db *d, const int64_t *orgs, int64_t now)
{
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
        if (!add_service(d, &services[i], orgs[services[i].customer], now)) {
            fprintf(stderr, "saldo: demo service %s could not be added\n", services[i].product);
            return false;
        }
    return true;
}
