/* address_check.c - the rules a billing address must follow, the same for the
 * API and the pages: length limits and plain text everywhere, the ISO country
 * code, and in Italy the CAP and the province sigla (core/postal.h). */
#include "feature/addresses/addresses.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/country.h"
#include "core/postal.h"

/* Copies v without surrounding spaces into out (size bytes); false when it
 * does not fit. */
static bool copy_trimmed(const char *v, char *out, size_t size)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= size)
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

static void upper_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* One text field: trimmed into out (size bytes: the limit plus one). */
static address_field_error text_field(const char *v, bool required, char *out, size_t size)
{
    if (!v)
        v = "";
    if (!field_text_ok(v, strlen(v)))
        return ADDRESS_FIELD_CHARS;
    if (!copy_trimmed(v, out, size))
        return ADDRESS_FIELD_TOO_LONG;
    return required && !out[0] ? ADDRESS_FIELD_REQUIRED : ADDRESS_FIELD_OK;
}

address_field_error address_check(const address_in *in, address_fields *out, const char **field)
{
    assert(in && out && field);
    memset(out, 0, sizeof *out);
    char country[8];
    const struct {
        const char *name, *value;
        bool required;
        char *dst;
        size_t size;
    } fields[] = {
        {"recipient", in->recipient, true, out->recipient, sizeof out->recipient},
        {"street", in->street, true, out->street, sizeof out->street},
        {"extra", in->extra, false, out->extra, sizeof out->extra},
        {"postal_code", in->postal_code, false, out->postal_code, sizeof out->postal_code},
        {"city", in->city, true, out->city, sizeof out->city},
        {"province", in->province, false, out->province, sizeof out->province},
        {"country", in->country, true, country, sizeof country},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        *field = fields[i].name;
        address_field_error e = text_field(fields[i].value, fields[i].required, fields[i].dst, fields[i].size);
        if (e != ADDRESS_FIELD_OK)
            return e == ADDRESS_FIELD_TOO_LONG && !strcmp(*field, "country") ? ADDRESS_FIELD_COUNTRY : e;
    }
    upper_ascii(country);
    *field = "country";
    if (!country_valid(country))
        return ADDRESS_FIELD_COUNTRY;
    memcpy(out->country, country, 3); /* two letters and the NUL: country_valid checked the length */
    if (strcmp(out->country, "IT"))
        return ADDRESS_FIELD_OK;
    *field = "postal_code";
    if (!out->postal_code[0])
        return ADDRESS_FIELD_REQUIRED;
    if (!postal_it_cap_valid(out->postal_code))
        return ADDRESS_FIELD_CAP;
    *field = "province";
    upper_ascii(out->province);
    if (!out->province[0])
        return ADDRESS_FIELD_REQUIRED;
    return postal_it_province_valid(out->province) ? ADDRESS_FIELD_OK : ADDRESS_FIELD_PROVINCE;
}

const char *address_field_message(address_field_error e)
{
    switch (e) {
    case ADDRESS_FIELD_REQUIRED: return "is required";
    case ADDRESS_FIELD_TOO_LONG: return "is too long";
    case ADDRESS_FIELD_CHARS: return "contains characters that are not allowed";
    case ADDRESS_FIELD_COUNTRY: return "must be an ISO 3166 code such as IT";
    case ADDRESS_FIELD_CAP: return "an Italian postal code (CAP) has five digits";
    case ADDRESS_FIELD_PROVINCE: return "must be the two-letter code of an Italian province, such as MI";
    default: return "is not valid";
    }
}
