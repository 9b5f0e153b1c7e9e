/* gw_card.c - checks of a typed card and the test cards' behaviors. */
#include "gateway/gw.h"
#include "gateway/gw_card.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *number;
    gw_card_behavior behavior;
} test_cards[] = {
    {"4000000000003220", GW_CARD_NEEDS_3DS},
    {"4000000000000002", GW_CARD_DECLINED},
    {"4000000000009995", GW_CARD_INSUFFICIENT_FUNDS},
    {"4000000000000069", GW_CARD_EXPIRED},
};

static const char *const behavior_names[GW_CARD_BEHAVIOR_COUNT] = {
    "succeeds", "needs_3ds", "declined", "insufficient_funds", "expired"};

const char *gw_card_behavior_name(gw_card_behavior b)
{
    assert(b < GW_CARD_BEHAVIOR_COUNT);
    return behavior_names[b];
}

gw_card_behavior gw_card_behavior_from(const char *name)
{
    for (int b = 0; b < GW_CARD_BEHAVIOR_COUNT; b++)
        if (name && !strcmp(name, behavior_names[b]))
            return (gw_card_behavior)b;
    return GW_CARD_SUCCEEDS;
}

bool gw_luhn_ok(const char *digits)
{
    size_t n = strlen(digits);
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digits[n - 1 - i] - '0';
        assert(d >= 0 && d <= 9);
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return n > 0 && sum % 10 == 0;
}

static const char *brand_of(const char *digits)
{
    if (digits[0] == '4')
        return "visa";
    if (digits[0] == '5' && digits[1] >= '1' && digits[1] <= '5')
        return "mastercard";
    if (digits[0] == '3' && (digits[1] == '4' || digits[1] == '7'))
        return "amex";
    return "unknown";
}

static bool digits_only(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; *in; in++) {
        if (*in == ' ' || *in == '-')
            continue;
        if (!isdigit((unsigned char)*in) || n + 1 >= size)
            return false;
        out[n++] = *in;
    }
    out[n] = '\0';
    return true;
}

static gw_card_error parse_number(const char *number, struct gw_card *out)
{
    if (!number || !*number)
        return (gw_card_error){"number", "Enter the card number."};
    if (!digits_only(number, out->number, sizeof out->number) || strlen(out->number) < 12 ||
        strlen(out->number) > 19)
        return (gw_card_error){"number", "The card number must be 12 to 19 digits."};
    if (!gw_luhn_ok(out->number))
        return (gw_card_error){"number", "The card number is not valid (check digit)."};
    snprintf(out->brand, sizeof out->brand, "%s", brand_of(out->number));
    snprintf(out->last4, sizeof out->last4, "%s", out->number + strlen(out->number) - 4);
    out->behavior = GW_CARD_SUCCEEDS;
    for (size_t i = 0; i < sizeof test_cards / sizeof test_cards[0]; i++)
        if (!strcmp(out->number, test_cards[i].number))
            out->behavior = test_cards[i].behavior;
    return (gw_card_error){NULL, NULL};
}

static gw_card_error parse_expiry(const char *expiry, int year_now, int month_now, struct gw_card *out)
{
    unsigned m = 0, y = 0;
    char extra;
    if (!expiry || sscanf(expiry, "%2u/%4u%c", &m, &y, &extra) != 2 || m < 1 || m > 12)
        return (gw_card_error){"expiry", "Enter the expiry as MM/YY."};
    if (y < 100)
        y += 2000;
    if (y < 2000 || y > 2099)
        return (gw_card_error){"expiry", "Enter the expiry as MM/YY."};
    if ((int)y < year_now || ((int)y == year_now && (int)m < month_now))
        return (gw_card_error){"expiry", "The card has expired."};
    if ((int)y > year_now + 20)
        return (gw_card_error){"expiry", "The expiry year is too far ahead."};
    out->exp_month = (int)m;
    out->exp_year = (int)y;
    return (gw_card_error){NULL, NULL};
}

gw_card_error gw_card_parse(const char *number, const char *expiry, const char *cvc, int year_now, int month_now,
                            struct gw_card *out)
{
    assert(out && year_now >= 2000 && month_now >= 1 && month_now <= 12);
    memset(out, 0, sizeof *out);
    gw_card_error e = parse_number(number, out);
    if (e.field)
        return e;
    e = parse_expiry(expiry, year_now, month_now, out);
    if (e.field)
        return e;
    size_t n = cvc ? strlen(cvc) : 0;
    if (n < 3 || n > 4 || strspn(cvc, "0123456789") != n)
        return (gw_card_error){"cvc", "The security code is 3 or 4 digits."};
    return (gw_card_error){NULL, NULL};
}

void gw_card_wallet(struct gw_card *out, int year_now)
{
    memset(out, 0, sizeof *out);
    snprintf(out->number, sizeof out->number, "4242424242424242");
    snprintf(out->brand, sizeof out->brand, "visa");
    snprintf(out->last4, sizeof out->last4, "4242");
    out->exp_month = 12;
    out->exp_year = year_now + 3;
    out->behavior = GW_CARD_SUCCEEDS;
}
