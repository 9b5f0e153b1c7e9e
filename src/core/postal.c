/* postal.c - see postal.h. The table is sorted for binary search. */
#include "core/postal.h"

#include <stdlib.h>
#include <string.h>

/* The 107 sigle in use (provinces, metropolitan cities, free consortia and
 * Sud Sardegna) plus the abolished Sardinian CI, OG, OT and VS: 111, sorted. */
static const char provinces[][3] = {
    "AG", "AL", "AN", "AO", "AP", "AQ", "AR", "AT", "AV", "BA", "BG", "BI", "BL", "BN", "BO", "BR",
    "BS", "BT", "BZ", "CA", "CB", "CE", "CH", "CI", "CL", "CN", "CO", "CR", "CS", "CT", "CZ", "EN",
    "FC", "FE", "FG", "FI", "FM", "FR", "GE", "GO", "GR", "IM", "IS", "KR", "LC", "LE", "LI", "LO",
    "LT", "LU", "MB", "MC", "ME", "MI", "MN", "MO", "MS", "MT", "NA", "NO", "NU", "OG", "OR", "OT",
    "PA", "PC", "PD", "PE", "PG", "PI", "PN", "PO", "PR", "PT", "PU", "PV", "PZ", "RA", "RC", "RE",
    "RG", "RI", "RM", "RN", "RO", "SA", "SI", "SO", "SP", "SR", "SS", "SU", "SV", "TA", "TE", "TN",
    "TO", "TP", "TR", "TS", "TV", "UD", "VA", "VB", "VC", "VE", "VI", "VR", "VS", "VT", "VV",
};

static int cmp(const void *key, const void *elem)
{
    return strcmp(key, elem);
}

bool postal_it_cap_valid(const char *cap)
{
    if (!cap || strlen(cap) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (cap[i] < '0' || cap[i] > '9')
            return false;
    return true;
}

bool postal_it_province_valid(const char *code)
{
    if (!code || strlen(code) != 2)
        return false;
    return bsearch(code, provinces, sizeof provinces / sizeof provinces[0], sizeof provinces[0], cmp) != NULL;
}

size_t postal_it_province_count(void)
{
    return sizeof provinces / sizeof provinces[0];
}
