/* cmd_demo_catalog.c - the demo catalog of `saldo demo`: what an Italian
 * hosting provider sells (servers, VPS, licenses, IP addresses, domains, PEC,
 * SPID, e-invoicing, digital archiving, signatures, timestamps) with net EUR
 * prices (some in CHF and USD too), a setup fee on dedicated servers, a
 * promotional domain, one retired product, and a reseller. Written through
 * the catalog's own functions, so it passes the same checks as staff input. */
#include "cmd/cmd_demo.h"

#include <stdio.h>
#include <string.h>

#include "feature/catalog/catalog_admin.h"

typedef struct demo_category {
    const char *code, *name_en, *name_it, *desc_en, *desc_it;
} demo_category;

static const demo_category categories[] = {
    {"dedicated-servers", "Dedicated servers", "Server dedicati", "Bare-metal servers in our Milan data centre.",
     "Server fisici nel nostro data center di Milano."},
    {"vps", "VPS", "VPS", "Virtual private servers with NVMe storage and daily snapshots.",
     "Server privati virtuali con dischi NVMe e snapshot giornalieri."},
    {"licenses", "Licenses", "Licenze", "Software licenses for your servers.", "Licenze software per i tuoi server."},
    {"ip-addresses", "IP addresses", "Indirizzi IP", "Additional IPv4 addresses for servers and VPS.",
     "Indirizzi IPv4 aggiuntivi per server e VPS."},
    {"domains", "Domains", "Domini", "Register and renew domain names.", "Registra e rinnova nomi a dominio."},
    {"pec", "PEC mailboxes", "Caselle PEC", "Certified email (PEC) with legal value in Italy.",
     "Posta elettronica certificata con valore legale."},
    {"spid", "SPID", "SPID", "Italian public digital identity for people and professionals.",
     "Identità digitale SPID per persone e professionisti."},
    {"e-invoicing", "E-invoicing", "Fatturazione elettronica", "Send and receive e-invoices through the SdI.",
     "Invia e ricevi fatture elettroniche tramite lo SdI."},
    {"digital-archiving", "Digital archiving", "Conservazione digitale",
     "Legally compliant long-term archiving of invoices and documents.",
     "Conservazione a norma di fatture e documenti."},
    {"digital-signature", "Digital signature", "Firma digitale", "Qualified electronic signatures.",
     "Firme elettroniche qualificate."},
    {"timestamps", "Timestamps", "Marche temporali", "Qualified timestamps for your documents.",
     "Marche temporali qualificate per i tuoi documenti."},
};

enum { DEMO_PRICES_MAX = 8 };

typedef struct demo_product {
    const char *category, *code, *name_en, *name_it, *desc_en, *desc_it, *instr_en, *instr_it;
    bool auto_renew, promotional, retired;
    struct { const char *cur; int months; int64_t price, setup; } prices[DEMO_PRICES_MAX];
} demo_product;

#define PANEL_EN "Your service is active. Sign in to the customer area to see its details."
#define PANEL_IT "Il tuo servizio è attivo. Accedi all'area clienti per vederne i dettagli."

static const demo_product products[] = {
    {"dedicated-servers", "ds-xeon-e2388g", "Dedicated Xeon E-2388G", "Server dedicato Xeon E-2388G",
     "8 cores, 64 GB RAM, 2 x 960 GB NVMe, 1 Gbit/s unmetered.",
     "8 core, 64 GB RAM, 2 x 960 GB NVMe, 1 Gbit/s illimitato.",
     "Your server is ready. The root password was sent to the technical contact; the IPMI console is at\n"
     "https://ipmi.example.com with the same credentials.",
     "Il tuo server è pronto. La password di root è stata inviata al referente tecnico; la console IPMI è su\n"
     "https://ipmi.example.com con le stesse credenziali.",
     true, false, false,
     {{"EUR", 1, 14900, 9900}, {"EUR", 3, 43900, 9900}, {"EUR", 12, 164900, 0}, {"CHF", 1, 15900, 9900},
      {"CHF", 12, 174900, 0}}},
    {"dedicated-servers", "ds-epyc-9354", "Dedicated AMD EPYC 9354", "Server dedicato AMD EPYC 9354",
     "32 cores, 256 GB RAM, 4 x 3.84 TB NVMe, 10 Gbit/s.", "32 core, 256 GB RAM, 4 x 3,84 TB NVMe, 10 Gbit/s.",
     "Your server is ready; see the customer area for its IPMI access.",
     "Il tuo server è pronto; trovi l'accesso IPMI nell'area clienti.", true, false, false,
     {{"EUR", 1, 49900, 19900}, {"EUR", 12, 549900, 0}, {"USD", 1, 54900, 21900}}},
    {"vps", "vps-s", "VPS S", "VPS S", "2 vCPU, 4 GB RAM, 80 GB NVMe.", "2 vCPU, 4 GB RAM, 80 GB NVMe.",
     "Your VPS is running. Connect with SSH as root to the address shown in the customer area.",
     "La tua VPS è attiva. Collegati in SSH come root all'indirizzo indicato nell'area clienti.", true, false, false,
     {{"EUR", 1, 590, 0}, {"EUR", 3, 1690, 0}, {"EUR", 6, 3290, 0}, {"EUR", 12, 5900, 0}, {"USD", 1, 650, 0},
      {"USD", 12, 6500, 0}}},
    {"vps", "vps-m", "VPS M", "VPS M", "4 vCPU, 8 GB RAM, 160 GB NVMe.", "4 vCPU, 8 GB RAM, 160 GB NVMe.",
     "Your VPS is running. Connect with SSH as root to the address shown in the customer area.",
     "La tua VPS è attiva. Collegati in SSH come root all'indirizzo indicato nell'area clienti.", true, false, false,
     {{"EUR", 1, 1190, 0}, {"EUR", 3, 3390, 0}, {"EUR", 12, 11900, 0}, {"CHF", 12, 12900, 0}}},
    {"vps", "vps-l-2023", "VPS L (2023)", "VPS L (2023)", "The 2023 plan, replaced by VPS M.",
     "Il piano 2023, sostituito dalla VPS M.", PANEL_EN, PANEL_IT, true, false, true,
     {{"EUR", 1, 1490, 0}, {"EUR", 12, 14900, 0}}},
    {"licenses", "plesk-web-pro", "Plesk Web Pro", "Plesk Web Pro", "Control panel for up to 30 domains.",
     "Pannello di controllo fino a 30 domini.",
     "Your license key is in the customer area; enter it in Plesk under Tools > License.",
     "La chiave di licenza è nell'area clienti; inseriscila in Plesk in Strumenti > Licenza.", true, false, false,
     {{"EUR", 1, 1500, 0}, {"EUR", 12, 16500, 0}}},
    {"licenses", "windows-server-std", "Windows Server Standard (2 cores)", "Windows Server Standard (2 core)",
     "Microsoft SPLA license, per 2 cores.", "Licenza Microsoft SPLA, ogni 2 core.", PANEL_EN, PANEL_IT, true, false,
     false, {{"EUR", 1, 1800, 0}}},
    {"ip-addresses", "ipv4-extra", "Additional IPv4 address", "Indirizzo IPv4 aggiuntivo",
     "One more IPv4 address for a server or VPS, with reverse DNS.",
     "Un indirizzo IPv4 in più per server o VPS, con DNS inverso.",
     "The address is routed to your server; configure it on the network interface.",
     "L'indirizzo è instradato verso il tuo server; configuralo sull'interfaccia di rete.", true, false, false,
     {{"EUR", 1, 300, 0}, {"EUR", 12, 3000, 0}}},
    {"domains", "domain-it", ".it domain", "Dominio .it", "Registration or transfer of a .it domain.",
     "Registrazione o trasferimento di un dominio .it.",
     "Your domain is registered. Manage its DNS from the customer area.",
     "Il tuo dominio è registrato. Gestisci il DNS dall'area clienti.", true, false, false,
     {{"EUR", 12, 990, 0}, {"EUR", 24, 1890, 0}, {"EUR", 36, 2790, 0}, {"EUR", 60, 4490, 0}}},
    {"domains", "domain-com", ".com domain", "Dominio .com", "Registration or transfer of a .com domain.",
     "Registrazione o trasferimento di un dominio .com.",
     "Your domain is registered. Manage its DNS from the customer area.",
     "Il tuo dominio è registrato. Gestisci il DNS dall'area clienti.", true, false, false,
     {{"EUR", 12, 1290, 0}, {"EUR", 24, 2490, 0}, {"USD", 12, 1390, 0}}},
    {"domains", "domain-it-promo", ".it domain - launch offer", "Dominio .it - offerta lancio",
     "A .it domain at a launch price, for 1 or 2 years.", "Un dominio .it a prezzo di lancio, per 1 o 2 anni.",
     "Your domain is registered. Manage its DNS from the customer area.",
     "Il tuo dominio è registrato. Gestisci il DNS dall'area clienti.", false, true, false,
     {{"EUR", 12, 199, 0}, {"EUR", 24, 990, 0}}},
    {"pec", "pec-standard", "PEC mailbox Standard", "Casella PEC Standard", "2 GB certified mailbox.",
     "Casella di posta certificata da 2 GB.",
     "Your PEC mailbox is active. Webmail: https://webmail.pec.example.com\n"
     "IMAP/SMTP settings are in the customer area.",
     "La tua casella PEC è attiva. Webmail: https://webmail.pec.example.com\n"
     "I parametri IMAP/SMTP sono nell'area clienti.",
     true, false, false, {{"EUR", 12, 500, 0}, {"EUR", 24, 950, 0}, {"EUR", 36, 1350, 0}}},
    {"pec", "pec-pro", "PEC mailbox Pro", "Casella PEC Pro", "10 GB certified mailbox with archive and receipts.",
     "Casella certificata da 10 GB con archivio e ricevute.",
     "Your PEC mailbox is active. Webmail: https://webmail.pec.example.com",
     "La tua casella PEC è attiva. Webmail: https://webmail.pec.example.com", true, false, false,
     {{"EUR", 12, 2500, 0}, {"EUR", 24, 4800, 0}}},
    {"spid", "spid-personal", "SPID for individuals", "SPID persona fisica", "Level 2 SPID identity.",
     "Identità SPID di livello 2.",
     "Complete the identification by video call: the link is in the customer area.",
     "Completa il riconoscimento via videochiamata: il link è nell'area clienti.", true, false, false,
     {{"EUR", 12, 1990, 0}, {"EUR", 24, 3490, 0}}},
    {"spid", "spid-professional", "SPID for professionals", "SPID professionisti",
     "SPID identity for professional use (type 3).", "Identità SPID per uso professionale (tipo 3).",
     "Complete the identification by video call: the link is in the customer area.",
     "Completa il riconoscimento via videochiamata: il link è nell'area clienti.", true, false, false,
     {{"EUR", 12, 3490, 0}}},
    {"e-invoicing", "einvoice-1000", "E-invoicing 1,000", "Fatturazione elettronica 1.000",
     "Up to 1,000 invoices a year sent and received through the SdI.",
     "Fino a 1.000 fatture l'anno inviate e ricevute tramite lo SdI.",
     "Your e-invoicing service is active. Set your recipient code to the one shown in the customer area.",
     "Il servizio di fatturazione elettronica è attivo. Usa il codice destinatario indicato nell'area clienti.",
     true, false, false, {{"EUR", 12, 2900, 0}, {"EUR", 24, 5500, 0}}},
    {"digital-archiving", "archiving-10gb", "Digital archiving 10 GB", "Conservazione digitale 10 GB",
     "Legally compliant archiving of up to 10 GB of documents.", "Conservazione a norma fino a 10 GB di documenti.",
     "Your archive is ready. Upload documents from the customer area or through the API.",
     "Il tuo archivio è pronto. Carica i documenti dall'area clienti o tramite l'API.", true, false, false,
     {{"EUR", 12, 4900, 0}, {"EUR", 36, 13900, 0}}},
    {"digital-signature", "signature-remote", "Remote digital signature", "Firma digitale remota",
     "Qualified signature certificate valid 3 years, used from your phone.",
     "Certificato di firma qualificata valido 3 anni, usato dallo smartphone.",
     "Install the OTP app and activate the certificate with the code in the customer area.",
     "Installa l'app OTP e attiva il certificato con il codice presente nell'area clienti.", false, false, false,
     {{"EUR", 36, 4990, 0}}},
    {"digital-signature", "signature-token", "Digital signature USB token", "Firma digitale su token USB",
     "Qualified signature on a USB token, shipped to you; valid 3 years.",
     "Firma qualificata su token USB, spedito a casa; valida 3 anni.",
     "Your token is on its way; the PIN and PUK arrive in a separate letter.",
     "Il token è in spedizione; PIN e PUK arrivano con una lettera separata.", false, false, false,
     {{"EUR", 36, 6990, 0}}},
    {"timestamps", "timestamps-100", "100 timestamps", "100 marche temporali", "A pack of 100 qualified timestamps.",
     "Un pacchetto di 100 marche temporali qualificate.",
     "Your timestamps are available from the signing software with your account's credentials.",
     "Le marche temporali sono disponibili dal software di firma con le credenziali del tuo account.", false, false,
     false, {{"EUR", 12, 1800, 0}}},
    {"timestamps", "timestamps-500", "500 timestamps", "500 marche temporali", "A pack of 500 qualified timestamps.",
     "Un pacchetto di 500 marche temporali qualificate.",
     "Your timestamps are available from the signing software with your account's credentials.",
     "Le marche temporali sono disponibili dal software di firma con le credenziali del tuo account.", false, false,
     false, {{"EUR", 12, 7500, 0}}},
};

enum { DEMO_CATEGORY_COUNT = sizeof categories / sizeof categories[0] };

/* The id of the demo category code. */
static int64_t category_id(const int64_t *ids, const char *code)
{
    for (size_t i = 0; i < DEMO_CATEGORY_COUNT; i++)
        if (!strcmp(categories[i].code, code))
            return ids[i];
    return 0;
}

static bool report(catalog_result res, const catalog_error *err, const char *code)
{
    if (res == CATALOG_INVALID)
        fprintf(stderr, "saldo: demo catalog %s: %s %s\n", code, err->field, catalog_field_message(err->e));
    return res == CATALOG_OK;
}

static bool add_product(db *d, const demo_product *p, const int64_t *cat_ids)
{
    catalog_error err;
    int64_t id;
    catalog_product_in in = {.category_id = category_id(cat_ids, p->category), .code = p->code,
                              .name_en = p->name_en, .name_it = p->name_it, .description_en = p->desc_en,
                              .description_it = p->desc_it, .instructions_en = p->instr_en,
                              .instructions_it = p->instr_it, .provisioner = "manual",
                              .auto_renew = p->auto_renew, .promotional = p->promotional};
    for (size_t i = 0; i < DEMO_PRICES_MAX && p->prices[i].cur; i++)
        in.prices[in.price_count++] = (catalog_price_row){currency_find(p->prices[i].cur), p->prices[i].months,
                                                          p->prices[i].price, p->prices[i].setup};
    if (!report(catalog_product_save(d, NULL, 0, &in, &err, &id), &err, p->code))
        return false;
    return !p->retired || catalog_product_retire(d, NULL, id, true) == CATALOG_OK;
}

bool demo_catalog(db *d, int64_t reseller_org)
{
    int64_t ids[DEMO_CATEGORY_COUNT];
    catalog_error err;
    for (size_t i = 0; i < DEMO_CATEGORY_COUNT; i++) {
        const demo_category *c = &categories[i];
        catalog_category_in in = {c->code, c->name_en, c->name_it, c->desc_en, c->desc_it, (int64_t)i * 10};
        if (!report(catalog_category_save(d, NULL, 0, &in, &err, &ids[i]), &err, c->code))
            return false;
    }
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++)
        if (!add_product(d, &products[i], ids))
            return false;
    const catalog_discount discounts[] = {
        {category_id(ids, "domains"), 2000}, {category_id(ids, "pec"), 1500}, {category_id(ids, "vps"), 1000},
    };
    return report(catalog_reseller_set(d, NULL, reseller_org, discounts, 3, &err), &err, "reseller");
}
