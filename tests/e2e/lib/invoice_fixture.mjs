// invoice_fixture.mjs - an invoice written straight into the store, for the
// tests of what is done with invoices (credit notes, pages, reports) while
// nothing in the API issues one yet.
import { insertId } from './catalog_fixture.mjs';

/** An invoice dated `date` (its year is the series year: keep it apart from
 * the current year's numbers) of two lines, 1000 and 500 net at `rate_bp`,
 * VAT half up on their sum; by default an Italian consumer at 22%:
 * VAT 330, gross 1830. */
export function pastInvoice(saldo, orgId, seq, { date = '2020-06-30', scheme = 'domestic', country = 'IT',
  rate = 2200, nets = [1000, 500], kind = 'invoice' } = {}) {
  const proforma = kind === 'proforma'; // unpaid, its own series
  const net = nets.reduce((a, b) => a + b, 0);
  const vat = Math.round((net * rate) / 10000);
  const year = Number(date.slice(0, 4));
  const number = `${proforma ? 'PF-' : ''}${year}/${String(seq).padStart(6, '0')}`;
  const cols = `org_id, kind, status, series, year, seq, number, issue_date, paid_date, payment_method, language,
    currency, seller_name, seller_vat_id, seller_fiscal_code, seller_street, seller_extra, seller_postal_code,
    seller_city, seller_province, seller_country, buyer_name, buyer_vat_id, buyer_fiscal_code, buyer_street,
    buyer_extra, buyer_postal_code, buyer_city, buyer_province, buyer_country, buyer_kind, buyer_sdi_code, buyer_pec,
    vat_seller_country, vat_buyer_country, vat_buyer_business, vat_buyer_vat_id, vat_scheme, vat_mention,
    vat_decided_on, net_minor, vat_minor, gross_minor, created_at`;
  const id = insertId(saldo, `INSERT INTO documents (${cols}) VALUES (${orgId}, '${kind}', '${proforma ? 'unpaid' : 'paid'}',
    '${proforma ? 'proforma' : 'invoice'}', ${year}, ${seq}, '${number}', '${date}', '${proforma ? '' : date}',
    '${proforma ? '' : 'balance'}', 'en', 'EUR', 'Saldo Hosting S.r.l.', 'IT12345670017',
    '', 'Via Roma 1', '', '', '', '', 'IT', 'Ada Rossi', '', '', 'Via Dante 12', '', '20121', 'Milano', '', '${country}',
    'person', '', '', 'IT', '${country}', 0, '', '${scheme}', 'none', '${date}', ${net}, ${vat}, ${net + vat}, 0)
    RETURNING id`);
  const names = ['Hosting', 'Backup'];
  saldo.sql(`INSERT INTO document_lines (document_id, position, description, quantity, unit_net_minor, net_minor,
    discount_minor, rate_bp) VALUES ${nets.map((n, i) => `(${id}, ${i}, '${names[i] || `Line ${i}`}', 1, ${n}, ${n}, 0, ${rate})`).join(', ')}`);
  saldo.sql(`INSERT INTO document_totals (document_id, rate_bp, net_minor, vat_minor) VALUES (${id}, ${rate}, ${net}, ${vat})`);
  return { id, number, net, vat };
}
