/* gw_card.h - the card numbers the sandbox accepts: Luhn and expiry checks,
 * the brand from the number, and what each test card does. */
#ifndef SALDO_GW_CARD_H
#define SALDO_GW_CARD_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    GW_CARD_SUCCEEDS,
    GW_CARD_NEEDS_3DS,
    GW_CARD_DECLINED,
    GW_CARD_INSUFFICIENT_FUNDS,
    GW_CARD_EXPIRED,
    GW_CARD_BEHAVIOR_COUNT
} gw_card_behavior;

struct gw_card {
    char number[20]; /* digits only */
    char brand[16];  /* "visa", "mastercard", "amex", "unknown" */
    char last4[5];
    int exp_month, exp_year;
    gw_card_behavior behavior;
};

/* Card error of one field: field name and message, or field NULL when fine. */
typedef struct gw_card_error {
    const char *field;
    const char *message;
} gw_card_error;

/* Parses the typed number (spaces and dashes allowed) and expiry "MM/YY" or
 * "MM/YYYY" against today (year, month); the CVC must be 3 or 4 digits. */
gw_card_error gw_card_parse(const char *number, const char *expiry, const char *cvc, int year_now, int month_now,
                            struct gw_card *out);
/* Luhn check of a digit string. */
bool gw_luhn_ok(const char *digits);
/* The sandbox wallet card (Apple Pay / Google Pay): a succeeding Visa. */
void gw_card_wallet(struct gw_card *out, int year_now);
const char *gw_card_behavior_name(gw_card_behavior b);
gw_card_behavior gw_card_behavior_from(const char *name);

#endif
