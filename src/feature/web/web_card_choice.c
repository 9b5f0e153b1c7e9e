/* web_card_choice.c - the organization's saved cards as choices of the pages
 * that take a payment (top-up, cart checkout, To pay), and a posted choice
 * read back: "saved:<id>" pays with that card off-session, "card" with a new
 * card on the gateway's page (saved too when the "save_method" box is
 * ticked). */
#include "feature/web/web_internal.h"

#include <string.h>
#include <time.h>

#include "core/number_text.h"
#include "feature/cards/cards.h"
#include "feature/payments/payments.h"

static const char *brand_label(http_request *r, const char *brand)
{
    static const struct { const char *code, *label; } t[] = {
        {"visa", "Visa"}, {"mastercard", "Mastercard"}, {"amex", "American Express"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, brand))
            return t[i].label;
    return _("Card");
}

size_t web_saved_card_choices(http_request *r, int64_t org, const char *chosen, json_t *list)
{
    saved_card *cards = arena_alloc(r->a, CARDS_MAX * sizeof *cards);
    int n = cards_list(r->db, org, cards, CARDS_MAX);
    size_t added = 0;
    for (int i = 0; i < n; i++) {
        if (cards_expired(&cards[i], (int64_t)time(NULL)))
            continue;
        const char *code = arena_printf(r->a, "saved:%lld", (long long)cards[i].id);
        const char *label = arena_printf(r->a, "%s •••• %s (%02d/%d)", brand_label(r, cards[i].brand), cards[i].last4,
                                         cards[i].exp_month, cards[i].exp_year);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", code, "label", label,
                                              "settlement", _("immediate"), "checked",
                                              chosen ? !strcmp(chosen, code) : cards[i].is_default, "saved", 1));
        added++;
    }
    return added;
}

bool web_card_choice(http_request *r, int64_t org, const form *f, const char *choice, payment *card)
{
    memset(card, 0, sizeof *card);
    snprintf(card->method, sizeof card->method, "card");
    if (strncmp(choice, "saved:", 6)) {
        card->save_method = form_get(f, "save_method") != NULL;
        return true;
    }
    int64_t id;
    saved_card c;
    if (!int_text_id(choice + 6, &id) || cards_get(r->db, org, id, &c) != 1 || cards_expired(&c, (int64_t)time(NULL)))
        return false;
    snprintf(card->card_token, sizeof card->card_token, "%s", c.token);
    return true;
}
