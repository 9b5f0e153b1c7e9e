// invoice_fixture.mjs - an invoice written straight into the store, for the
// tests of what is done with invoices (credit notes, pages) while nothing in
// the API issues one yet.
import { insertId } from './catalog_fixture.mjs';

/** An invoice of 2020 written under the API (nothing in the API issues one
 * yet): 1000 + 500 at 22%, VAT 330, gross 1830, to an Italian consumer. */
export function pastInvoice(saldo, orgId, seq) {
  const cols = `org_id, kind, status, series, year, seq, number, issue_date, paid_date, payment_method, language,
    currency, seller_name, seller_vat_id, seller_fiscal_code, seller_street, seller_extra, seller_postal_code,
    seller_city, seller_province, seller_country, buyer_name, buyer_vat_id, buyer_fiscal_code, buyer_street,
    buyer_extra, buyer_postal_code, buyer_city, buyer_province, buyer_country, buyer_kind, buyer_sdi_code, buyer_pec,
    vat_seller_country, vat_buyer_country, vat_buyer_business, vat_buyer_vat_id, vat_scheme, vat_mention,
    vat_decided_on, net_minor, vat_minor, gross_minor, created_at`;
  const number = `2020/${String(seq).padStart(6, '0')}`;
  const id = insertId(saldo, `INSERT INTO documents (${cols}) VALUES (${orgId}, 'invoice', 'paid', 'invoice', 2020,
    ${seq}, '${number}', '2020-06-30', '2020-06-30', 'balance', 'en', 'EUR', 'Saldo Hosting S.r.l.', 'IT12345670017',
    '', 'Via Roma 1', '', '', '', '', 'IT', 'Ada Rossi', '', '', 'Via Dante 12', '', '20121', 'Milano', 'MI', 'IT',
    'person', '', '', 'IT', 'IT', 0, '', 'domestic', 'none', '2020-06-30', 1500, 330, 1830, 0) RETURNING id`);
  saldo.sql(`INSERT INTO document_lines (document_id, position, description, quantity, unit_net_minor, net_minor,
    discount_minor, rate_bp) VALUES (${id}, 0, 'Hosting', 1, 1000, 1000, 0, 2200),
    (${id}, 1, 'Backup', 1, 500, 500, 0, 2200)`);
  saldo.sql(`INSERT INTO document_totals (document_id, rate_bp, net_minor, vat_minor) VALUES (${id}, 2200, 1500, 330)`);
  return { id, number };
}
