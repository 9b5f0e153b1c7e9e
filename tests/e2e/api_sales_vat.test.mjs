// api_sales_vat.test.mjs - VAT charged on sales (catalog prices are net): an
// Italian consumer's order charges the gross and issues its invoice at 22%
// with the evidence, revenue gets the net and vat_payable the VAT; a German
// business with a valid VAT ID is reverse charged at 0% with the mention and
// charged the net; a Swiss customer is not subject; a discount code and a
// setup fee on one invoice (the fee its own line, the discount on its line);
// a French consumer pays French VAT and the OSS report shows the sale; an
// order whose member state has no rate is refused and changes nothing; a To
// pay selection gets a pro-forma (VAT, due date, IBAN, RF reference), a newer
// one cancels it, paying exactly its selection makes it paid with the final
// invoice, renewing its service otherwise cancels it. Card orders
// (api_order_payments), To pay selections (api_renewals) and the billing run
// (billing_run, twice: one invoice per renewal) check their VAT and invoices
// in their own suites.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import fs from 'node:fs';
import path from 'node:path';

import { statement } from './lib/camt053.mjs';
import { providerDay, signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import * as billing from './lib/billing.mjs';

let saldo;
let smtp;
let staff;
let doc;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => { await saldo.stop(); await smtp.stop(); });

function documented(method, template, answer) {
  assertAnswer(doc, method, template, answer);
}

/** saldo.sql, retried while the server's outbox worker holds SQLite's write lock. */
function sql(q) {
  for (let i = 0; ; i++) {
    try {
      return saldo.sql(q);
    } catch (e) {
      if (i > 100 || !/locked|busy/.test(String(e))) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

let seq = 0;
const now = () => Math.floor(Date.now() / 1000);

/** A product sold for 12 months at price + setup (EUR, net). */
function product(price, setup = 0) {
  seq += 1;
  sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('vcat${seq}', 'Cat', 'Cat', ${now()})`);
  const cat = Number(sql(`SELECT id FROM catalog_categories WHERE code = 'vcat${seq}'`));
  sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
       VALUES (${cat}, 'vp${seq}', 'Hosting ${seq}', 'Hosting IT ${seq}', 1, ${now()}, ${now()})`);
  const id = Number(sql(`SELECT id FROM catalog_products WHERE code = 'vp${seq}'`));
  sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
       VALUES (${id}, 'EUR', 12, ${price}, ${setup})`);
  return id;
}

let keyNo = 0;
async function fund(u, minor) {
  const r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': `vfund-${++keyNo}` }, body: { amount: { currency: 'EUR', minor }, reason: 'test funds' },
  });
  assert.equal(r.status, 201, r.text);
}

async function balance(u) {
  const r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  const w = (r.body.wallets || []).find((x) => x.currency === 'EUR');
  return w ? w.balance.minor : 0;
}

const order = (u, body) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, {
  token: u.token, headers: { 'Idempotency-Key': `vorder-${++keyNo}` },
  body: { currency: 'EUR', accept_terms: true, pay_with: 'balance', ...body },
});
const address = (u, country) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, {
  token: u.token,
  body: { recipient: 'Buyer', street: 'Street 1', postal_code: country === 'IT' ? '20121' : '12345', city: 'City', country,
    ...(country === 'IT' ? { province: 'MI' } : {}) } });
const profile = (u, body) => saldo.api('PATCH', `/api/v1/orgs/${u.org.id}`, { token: u.token, body });
const invoice = (u, id) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${id}`, { token: u.token });

/** Credits of the order's transfers by account: {revenue: n, vat_payable: n}. */
function credited(orderId) {
  const rows = sql(`SELECT a.code || '=' || t.amount_minor FROM ledger_transfers t JOIN ledger_accounts a
    ON a.id = t.credit_account_id WHERE t.reference = 'order:${orderId}' ORDER BY t.id`);
  return Object.fromEntries(rows.split('\n').filter(Boolean).map((x) => x.split('=')).map(([k, v]) => [k, Number(v)]));
}

test('an Italian consumer pays 22% on top: charged the gross, invoiced with the evidence, revenue net and VAT payable', async () => {
  const u = await signUp(saldo);
  assert.equal((await address(u, 'IT')).status, 201);
  const p = product(1999);
  await fund(u, 5000);
  const r = await order(u, { items: [{ product_id: p, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  const o = r.body.order;
  assert.equal(o.total.minor, 1999);
  assert.deepEqual([o.vat.scheme, o.vat.rate, o.vat.amount.minor, o.gross.minor], ['domestic', '22', 440, 2439]);
  assert.equal(await balance(u), 5000 - 2439);
  assert.deepEqual(credited(o.id), { revenue: 1999, vat_payable: 440 });
  const inv = await invoice(u, o.invoice_id);
  assert.equal(inv.status, 200, inv.text);
  documented('GET', '/api/v1/orgs/{org_id}/invoices/{invoice_id}', inv);
  const d = inv.body;
  assert.deepEqual([d.kind, d.status, d.payment_method, d.paid_date], ['invoice', 'paid', 'balance', d.issue_date]);
  assert.match(d.number, /^\d{4}\/\d{6}$/);
  assert.deepEqual(d.lines.map((l) => [l.description, l.quantity, l.unit_net.minor, l.discount.minor, l.net.minor, l.rate_bp]),
    [[`Hosting ${seq}`, 1, 1999, 0, 1999, 2200]]);
  assert.ok(d.lines[0].period_start && d.lines[0].period_end > d.lines[0].period_start, 'the service period');
  assert.deepEqual(d.totals.map((t) => [t.rate, t.net.minor, t.vat.minor]), [['22', 1999, 440]]);
  assert.deepEqual([d.net.minor, d.vat_total.minor, d.gross.minor], [1999, 440, 2439]);
  assert.deepEqual([d.vat.scheme, d.vat.buyer_country, d.vat.buyer_business, d.vat.mention], ['domestic', 'IT', false, 'none']);
  await smtp.waitFor(u.email, (m) => m.subject.includes(d.number));
  const one = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/orders/${o.id}`, { token: u.token });
  assert.deepEqual(one.body, o, 'the order keeps its net, VAT and gross');
});

test('a German business with a valid VAT ID is reverse charged: 0% with the mention, charged the net', async () => {
  const u = await signUp(saldo);
  assert.equal((await address(u, 'DE')).status, 201);
  assert.equal((await profile(u, { kind: 'company', vat_id: 'DE136695976' })).status, 200);
  const p = product(5000);
  await fund(u, 5000);
  const r = await order(u, { items: [{ product_id: p, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  const o = r.body.order;
  assert.deepEqual([o.vat.scheme, o.vat.rate_bp, o.vat.amount.minor, o.gross.minor], ['reverse_charge', 0, 0, 5000]);
  assert.match(o.vat.mention_text, /[Rr]everse charge/);
  assert.equal(await balance(u), 0, 'exactly the net');
  assert.deepEqual(credited(o.id), { revenue: 5000 });
  const d = (await invoice(u, o.invoice_id)).body;
  assert.deepEqual([d.vat.scheme, d.vat.buyer_country, d.vat.buyer_business, d.vat.buyer_vat_id, d.vat.mention],
    ['reverse_charge', 'DE', true, 'DE136695976', 'reverse_charge']);
  assert.ok(d.vat.mention_text);
  assert.deepEqual([d.lines[0].rate_bp, d.vat_total.minor, d.gross.minor], [0, 0, 5000]);
});

test('a Swiss customer is not subject to EU VAT', async () => {
  const u = await signUp(saldo);
  assert.equal((await address(u, 'CH')).status, 201);
  const p = product(1000);
  await fund(u, 1000);
  const r = await order(u, { items: [{ product_id: p, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  const o = r.body.order;
  assert.deepEqual([o.vat.scheme, o.vat.amount.minor, o.gross.minor], ['not_subject', 0, 1000]);
  assert.ok(o.vat.mention_text);
  const d = (await invoice(u, o.invoice_id)).body;
  assert.deepEqual([d.vat.scheme, d.vat.mention, d.vat.buyer_country], ['not_subject', 'not_subject_eservice', 'CH']);
});

test('a discount code and a setup fee: the fee its own line, the discount on its line, VAT on what is paid', async () => {
  const u = await signUp(saldo);
  const p = product(1000, 500);
  const c = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token,
    body: { code: `VAT${seq}`, kind: 'percent', percent_bp: 1000 } });
  assert.equal(c.status, 201, c.text);
  await fund(u, 10000);
  const r = await order(u, { items: [{ product_id: p, period: 12 }], discount_code: c.body.code });
  assert.equal(r.status, 201, r.text);
  const o = r.body.order;
  // 10.00 - 10% + 5.00 setup = 14.00 net; 22% = 3.08.
  assert.deepEqual([o.subtotal.minor, o.discount.minor, o.total.minor, o.vat.amount.minor, o.gross.minor], [1500, 100, 1400, 308, 1708]);
  const d = (await invoice(u, o.invoice_id)).body;
  assert.deepEqual(d.lines.map((l) => [l.unit_net.minor, l.discount.minor, l.net.minor, l.rate_bp]),
    [[1000, 100, 900, 2200], [500, 0, 500, 2200]]);
  assert.match(d.lines[1].description, /^Setup fee: Hosting/);
  assert.deepEqual([d.net.minor, d.vat_total.minor, d.gross.minor], [1400, 308, 1708]);
  assert.equal(await balance(u), 10000 - 1708);
});

test('a French consumer pays French VAT, and the OSS return shows the sale', async () => {
  const u = await signUp(saldo);
  assert.equal((await address(u, 'FR')).status, 201);
  const p = product(2500);
  await fund(u, 5000);
  const r = await order(u, { items: [{ product_id: p, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  const o = r.body.order;
  assert.deepEqual([o.vat.scheme, o.vat.rate, o.vat.amount.minor, o.gross.minor], ['oss', '20', 500, 3000]);
  const d = (await invoice(u, o.invoice_id)).body;
  const [year, month] = d.issue_date.split('-').map(Number);
  const oss = await saldo.api('GET', `/api/v1/staff/reports/oss?quarter=${year}-Q${Math.ceil(month / 3)}`, { token: staff.token });
  assert.equal(oss.status, 200, oss.text);
  assert.match(oss.text, /"FR",20,"EUR",25\.00,5\.00\r\n/);
});

test('no rate for the billing country on the date: the order is refused and nothing is written', async () => {
  const u = await signUp(saldo);
  assert.equal((await address(u, 'MT')).status, 201);
  sql("DELETE FROM vat_rates WHERE country = 'MT'"); // a member state without a rate in force
  const p = product(1000);
  await fund(u, 5000);
  const counts = () => sql(`SELECT (SELECT COUNT(*) FROM orders) || ',' || (SELECT COUNT(*) FROM documents)
    || ',' || (SELECT COUNT(*) FROM ledger_transfers)`);
  const before = counts();
  const r = await order(u, { items: [{ product_id: p, period: 12 }] });
  assert.equal(r.status, 422, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  assert.equal(r.body.error.code, 'vat_undecided');
  assert.equal(r.body.error.field, 'billing_address_id');
  assert.equal(counts(), before);
  assert.equal(await balance(u), 5000);
});

test('a pro-forma for To pay: VAT, due date, IBAN and RF reference; a newer one cancels it; paying the selection pays it', async () => {
  const u = await signUp(saldo);
  const p = billing.product(saldo, { prices: { 12: 1000, 24: 1800 } });
  const at = now();
  const a = billing.service(saldo, u.org.id, p, at + 5 * billing.DAY, { label: 'a.example' });
  const b = billing.service(saldo, u.org.id, p, at + 8 * billing.DAY, { label: 'b.example' });
  const items = [{ service_id: a, period: 12 }, { service_id: b, period: 12 }];
  const ask = (body, token = u.token) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/proformas`, { token, body });
  const docs = () => sql(`SELECT COUNT(*) FROM documents WHERE org_id = ${u.org.id}`);
  for (const [body, status, field] of [[{}, 422, 'items'], [{ items: [] }, 422, 'items'],
    [{ items: [{ service_id: a, period: 5 }] }, 422, 'items[0].period'], [{ items: [{ service_id: 999999, period: 12 }] }, 404, 'items[0].service_id']]) {
    const r = await ask(body);
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.field, field);
  }
  assert.equal(docs(), '0', 'a refused request issues nothing');
  const first = await ask({ items });
  assert.equal(first.status, 201, first.text);
  documented('POST', '/api/v1/orgs/{org_id}/proformas', first);
  const pf = first.body;
  assert.deepEqual([pf.kind, pf.status, pf.paid_date, pf.payment_method], ['proforma', 'unpaid', null, null]);
  assert.match(pf.number, /^PF-\d{4}\/\d{6}$/);
  assert.equal(pf.due_date, providerDay((at + 5 * billing.DAY) * 1000), 'the earliest expiry');
  assert.match(pf.reference, /^RF\d\dSALDO\d{8}$/);
  assert.ok(pf.iban, 'the provider IBAN to pay it by transfer');
  assert.deepEqual(pf.lines.map((l) => [l.net.minor, l.rate_bp]), [[1000, 2200], [1000, 2200]]);
  assert.deepEqual([pf.net.minor, pf.vat_total.minor, pf.gross.minor], [2000, 440, 2440]);
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices`, { token: u.token });
  assert.ok(JSON.stringify(list.body).includes(pf.number), 'listed with the invoices');

  const second = (await ask({ items })).body;
  assert.equal((await invoice(u, pf.id)).body.status, 'cancelled', 'superseded by the newer one');
  assert.equal((await invoice(u, second.id)).body.status, 'unpaid');

  await fund(u, 2440);
  const paid = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`, {
    token: u.token, headers: { 'Idempotency-Key': `vrenew-${++keyNo}` }, body: { items } });
  assert.equal(paid.status, 201, paid.text);
  const done = (await invoice(u, second.id)).body;
  assert.deepEqual([done.status, done.payment_method, done.paid_date], ['paid', 'balance', done.issue_date]);
  const inv = (await invoice(u, paid.body.invoice_id)).body;
  assert.deepEqual([inv.kind, inv.status, inv.gross.minor], ['invoice', 'paid', 2440], 'the final invoice once paid');
  assert.deepEqual(inv.lines.map((l) => [l.period_start, l.period_end]), pf.lines.map((l) => [l.period_start, l.period_end]));

  // A pro-forma for a alone, then a renewed for another period: cancelled.
  const third = (await ask({ items: [{ service_id: a, period: 12 }] })).body;
  await fund(u, 2196);
  const other = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`, {
    token: u.token, headers: { 'Idempotency-Key': `vrenew-${++keyNo}` }, body: { items: [{ service_id: a, period: 24 }] } });
  assert.equal(other.status, 201, other.text);
  assert.equal((await invoice(u, third.id)).body.status, 'cancelled', 'renewed otherwise');
});

/** Imports a statement with one credit of amount (text, "24.40") carrying u's RF reference. */
const statements = tempDir('saldo-vat-bank-');
function transfer(u, reference, amount) {
  const id = `${process.pid}-${++keyNo}`;
  const file = path.join(statements, `s${id}.xml`);
  fs.writeFileSync(file, statement({ id: `PF-${id}`, entries: [{ ref: `pf-${id}`, amount, structured: reference }] }));
  const r = saldo.run(['import-statement', file]);
  assert.equal(r.status, 0, r.stderr);
}

test('a bank transfer of exactly a pro-forma\'s total pays it; any other amount stays as balance', async () => {
  const u = await signUp(saldo);
  const p = billing.product(saldo, { prices: { 12: 1000 } });
  const at = now();
  const a = billing.service(saldo, u.org.id, p, at + 5 * billing.DAY, { label: 'pa.example' });
  const b = billing.service(saldo, u.org.id, p, at + 9 * billing.DAY, { label: 'pb.example' });
  const ask = (items) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/proformas`, { token: u.token, body: { items } });
  const pfA = (await ask([{ service_id: a, period: 12 }])).body;
  const pfB = (await ask([{ service_id: b, period: 12 }])).body;
  assert.equal(pfA.gross.minor, 1220);
  const expiry = (id) => Number(sql(`SELECT expires_at FROM services WHERE id = ${id}`));
  const beforeB = expiry(b);

  transfer(u, pfA.reference, '12.21'); // a cent more: not this pro-forma
  assert.equal((await invoice(u, pfA.id)).body.status, 'unpaid');
  assert.equal(await balance(u), 1221, 'the money stays as balance');
  assert.equal(expiry(b), beforeB);

  transfer(u, pfB.reference, '12.20');
  const paid = (await invoice(u, pfA.id)).body;
  assert.deepEqual([paid.status, paid.payment_method], ['paid', 'bank_transfer'], 'the oldest pro-forma of that total');
  assert.equal((await invoice(u, pfB.id)).body.status, 'unpaid');
  assert.equal(await balance(u), 1221, 'credited 12.20, then spent on the renewal');
  const docs = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices?kind=invoice`, { token: u.token })).body.documents;
  assert.equal(docs.length, 1);
  const inv = (await invoice(u, docs[0].id)).body;
  assert.deepEqual([inv.status, inv.payment_method, inv.gross.minor], ['paid', 'bank_transfer', 1220]);
  assert.equal(expiry(b), beforeB, 'only the pro-forma paid was renewed');
  assert.ok(expiry(a) > at + 300 * billing.DAY, 'its service renewed for its period');
  await smtp.waitFor(u.email, (m) => m.subject.includes(inv.number));

  // Paid from To pay meanwhile: a transfer of its total is then only balance.
  await fund(u, 1220);
  const other = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`, {
    token: u.token, headers: { 'Idempotency-Key': `vrenew-${++keyNo}` }, body: { items: [{ service_id: b, period: 12 }] } });
  assert.equal(other.status, 201, other.text);
  const left = await balance(u);
  transfer(u, pfB.reference, '12.20');
  assert.equal((await invoice(u, pfB.id)).body.status, 'paid', 'paid by the To pay selection');
  assert.equal(await balance(u), left + 1220);
});
