// api_orders.test.mjs - buying over the API: checkout from the balance (money
// moved, services pending, totals), insufficient funds changing nothing,
// idempotent replays, every reason a discount code is refused, percent and
// fixed codes, limits per organization, first order only, restrictions, free
// credits, the terms, cross-currency payment with a quote (and an expired
// one), retired products, who may order, the cart and its preview, and the
// confirmation mail. Catalog rows are inserted with SQL (the catalog API is
// another feature's).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

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

/** The answer matches its documented schema. */
function documented(method, template, answer) {
  assertAnswer(doc, method, template, answer);
}

/** saldo.sql, retried while the server's outbox worker holds SQLite's write
 * lock (the sqlite3 shell has no busy timeout). */
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

/** A category and a product with prices {currency: {period: [price, setup]}}. */
function product({ prices = { EUR: { 12: [1200, 500] } }, autoRenew = 1, category } = {}) {
  seq += 1;
  let cat = category;
  if (!cat) {
    sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('cat${seq}', 'Cat ${seq}', 'Cat ${seq}', ${now()})`);
    cat = Number(sql(`SELECT id FROM catalog_categories WHERE code = 'cat${seq}'`));
  }
  sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
             VALUES (${cat}, 'p${seq}', 'Product ${seq}', 'Prodotto ${seq}', ${autoRenew}, ${now()}, ${now()})`);
  const id = Number(sql(`SELECT id FROM catalog_products WHERE code = 'p${seq}'`));
  for (const [cur, periods] of Object.entries(prices)) {
    for (const [months, [price, setup]] of Object.entries(periods)) {
      sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
                 VALUES (${id}, '${cur}', ${months}, ${price}, ${setup})`);
    }
  }
  return { id, category: cat };
}

let keyNo = 0;
async function fund(org, minor, currency = 'EUR') {
  const r = await saldo.api('POST', `/api/v1/staff/orgs/${org}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': `fund-${++keyNo}` },
    body: { amount: { currency, minor }, reason: 'test funds' },
  });
  assert.equal(r.status, 201, r.text);
}

async function order(u, body, key = `order-${++keyNo}`) {
  return saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, {
    token: u.token, headers: { 'Idempotency-Key': key },
    body: { currency: 'EUR', accept_terms: true, pay_with: 'balance', ...body },
  });
}

async function balance(u, currency = 'EUR') {
  const r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  const w = (r.body.wallets || []).find((x) => x.balance.currency === currency || x.currency === currency);
  return w ? w.balance.minor : 0;
}

async function code(body) {
  const r = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token, body });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/staff/discount-codes', r);
  return r.body;
}

const counts = () => sql(`SELECT (SELECT COUNT(*) FROM orders) || ',' || (SELECT COUNT(*) FROM order_items)
  || ',' || (SELECT COUNT(*) FROM services) || ',' || (SELECT COUNT(*) FROM ledger_transfers)
  || ',' || (SELECT COUNT(*) FROM discount_redemptions) || ',' || (SELECT COUNT(*) FROM outbox)`);

test('an order from the balance moves the money, makes pending services and answers the order', async () => {
  const u = await signUp(saldo);
  const p = product();
  const q = product({ prices: { EUR: { 1: [999, 0] } }, autoRenew: 0 });
  await fund(u.org.id, 10000);
  const r = await order(u, { items: [{ product_id: p.id, period: 12 }, { product_id: q.id, period: 1 }] });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  const o = r.body.order;
  assert.equal(o.status, 'paid');
  assert.deepEqual(o.total, { currency: 'EUR', minor: 1200 + 500 + 999, display: o.total.display });
  assert.equal(o.subtotal.minor, 2699);
  assert.equal(o.discount.minor, 0);
  // Prices are net: an Italian consumer pays 22% VAT on top (rounded once).
  assert.deepEqual(o.vat, { scheme: 'domestic', rate_bp: 2200, rate: '22', mention_text: null,
    amount: { currency: 'EUR', minor: 594, display: o.vat.amount.display } });
  assert.equal(o.gross.minor, 2699 + 594);
  assert.equal(typeof o.invoice_id, 'number');
  assert.equal(o.terms_version, '2026-01');
  assert.equal(o.items.length, 2);
  assert.equal(r.body.services.length, 2);
  for (const s of r.body.services) assert.equal(s.status, 'pending');
  assert.equal(r.body.services[0].auto_renew, true);
  assert.equal(r.body.services[1].auto_renew, false, 'the product does not allow renewing by itself');
  assert.equal(await balance(u), 10000 - 3293);
  const transfers = sql(`SELECT kind || ':' || amount_minor || ':' || reference FROM ledger_transfers WHERE reference = 'order:${o.id}' ORDER BY id`);
  assert.equal(transfers, `purchase:2699:order:${o.id}\npurchase:594:order:${o.id}`);
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/orders`, { token: u.token });
  assert.equal(list.status, 200);
  documented('GET', '/api/v1/orgs/{org_id}/orders', list);
  assert.equal(list.body.orders[0].id, o.id);
  const one = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/orders/${o.id}`, { token: u.token });
  assert.equal(one.status, 200);
  documented('GET', '/api/v1/orgs/{org_id}/orders/{order_id}', one);
  assert.deepEqual(one.body, o);
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(`Order ${o.id}`));
  assert.match(mail.text, /Product \d+, 12 months: €17\.00/);
  assert.match(mail.text, /Net: €26\.99/);
  assert.match(mail.text, /VAT: €5\.94/);
  assert.match(mail.text, /Total \(VAT included\): €32\.93/);
  const audit = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/audit`, { token: u.token });
  const placed = audit.body.entries.find((e) => e.action === 'order.placed');
  assert.equal(placed.user.id, u.user.id);
  assert.deepEqual(placed.detail, { order_id: o.id, total: { currency: 'EUR', minor: 2699, display: '€26.99' },
    paid: { currency: 'EUR', minor: 3293, display: '€32.93' }, items: 2 });
});

test('too little balance: 422 insufficient_funds with the shortfall, and nothing written', async () => {
  const u = await signUp(saldo);
  const p = product();
  await fund(u.org.id, 1000);
  const before = counts();
  const r = await order(u, { items: [{ product_id: p.id, period: 12 }] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'insufficient_funds');
  assert.equal(r.body.shortfall.minor, 2074 - 1000, 'the gross: 1700 + 22% VAT');
  documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  assert.equal(counts(), before, 'no order, item, service, transfer, redemption or mail');
  assert.equal(await balance(u), 1000);
  const none = await signUp(saldo); // no wallet at all
  const r2 = await order(none, { items: [{ product_id: p.id, period: 12 }] });
  assert.equal(r2.body.error.code, 'insufficient_funds');
  assert.equal(r2.body.shortfall.minor, 2074);
});

test('the same Idempotency-Key replays the first answer; with another body it is 409', async () => {
  const u = await signUp(saldo);
  const p = product();
  await fund(u.org.id, 10000);
  const body = { items: [{ product_id: p.id, period: 12 }] };
  const a = await order(u, body, 'same-key');
  assert.equal(a.status, 201, a.text);
  const before = counts();
  const b = await order(u, body, 'same-key');
  assert.equal(b.status, 201);
  assert.deepEqual(b.body, a.body);
  assert.equal(counts(), before, 'a replay moves nothing');
  assert.equal(await balance(u), 10000 - 2074);
  const c = await order(u, { items: [{ product_id: p.id, period: 12, auto_renew: false }] }, 'same-key');
  assert.equal(c.status, 409, c.text);
  const d = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, {
    token: u.token, body: { ...body, currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  });
  assert.equal(d.status, 400, 'the key is required');
});

test('bad input names the field and changes nothing', async () => {
  const u = await signUp(saldo);
  const p = product();
  const retired = product();
  sql(`UPDATE catalog_products SET retired_at = ${now()} WHERE id = ${retired.id}`);
  await fund(u.org.id, 100000);
  const before = counts();
  const cases = [
    [{ items: [] }, 422, 'invalid_field', 'items'],
    [{ items: [{ period: 12 }] }, 422, 'invalid_field', 'items[0].product_id'],
    [{ items: [{ product_id: p.id }] }, 422, 'invalid_field', 'items[0].period'],
    [{ items: [{ product_id: p.id, period: 12 }], currency: 'XXX' }, 422, 'invalid_field', 'currency'],
    [{ items: [{ product_id: p.id, period: 12 }], pay_with: 'cheque' }, 422, 'invalid_field', 'pay_with'],
    [{ items: [{ product_id: p.id, period: 12 }], pay_with: 'card' }, 422, 'method_not_available', 'pay_with'], // no gateway configured
    [{ items: [{ product_id: 999999, period: 12 }] }, 422, 'unknown_product', 'items[0].product_id'],
    [{ items: [{ product_id: retired.id, period: 12 }] }, 422, 'product_retired', 'items[0].product_id'],
    [{ items: [{ product_id: p.id, period: 5 }] }, 422, 'invalid_period', 'items[0].period'],
    [{ items: [{ product_id: p.id, period: 1 }] }, 422, 'no_price', 'currency'],
    [{ items: [{ product_id: p.id, period: 12 }], currency: 'USD' }, 422, 'no_price', 'currency'],
    [{ items: [{ product_id: p.id, period: 12 }], accept_terms: false }, 422, 'terms_not_accepted', 'accept_terms'],
    [{ items: [{ product_id: p.id, period: 12 }], accept_terms: undefined }, 422, 'terms_not_accepted', 'accept_terms'],
    [{ items: [{ product_id: p.id, period: 12 }], billing_address_id: 999999 }, 422, 'invalid_address', 'billing_address_id'],
    [{ items: [{ product_id: p.id, period: 12, credit_id: 999999 }] }, 422, 'invalid_credit', 'items[0].credit_id'],
  ];
  for (const [body, status, errCode, field] of cases) {
    const r = await order(u, body);
    assert.equal(r.status, status, `${field}: ${r.text}`);
    assert.equal(r.body.error.code, errCode, r.text);
    assert.equal(r.body.error.field, field, r.text);
    documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  }
  assert.equal(counts(), before);
});

test('who may order: another organization 404, a member without billing 404, a limited member only their categories', async () => {
  const owner = await signUp(saldo);
  const other = await signUp(saldo);
  const p = product();
  const q = product();
  await fund(owner.org.id, 100000);
  let r = await order(other, { items: [{ product_id: p.id, period: 12 }] });
  assert.equal(r.status, 422, 'their own org has no money');
  r = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/orders`, {
    token: other.token, headers: { 'Idempotency-Key': 'x1' },
    body: { items: [{ product_id: p.id, period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  });
  assert.equal(r.status, 404);
  const t = now() + 1;
  sql(`INSERT INTO memberships (org_id, user_id, role, billing, access_all, created_at) VALUES (${owner.org.id}, ${other.user.id}, 'member', 0, 1, ${t})`);
  r = await saldo.api('GET', `/api/v1/orgs/${owner.org.id}/orders`, { token: other.token });
  assert.equal(r.status, 404, 'no billing right');
  sql(`UPDATE memberships SET billing = 1, access_all = 0 WHERE org_id = ${owner.org.id} AND user_id = ${other.user.id}`);
  sql(`INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES (${owner.org.id}, ${other.user.id}, 'category', ${p.category})`);
  r = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/orders`, {
    token: other.token, headers: { 'Idempotency-Key': 'x2' },
    body: { items: [{ product_id: q.id, period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'unknown_product', 'a category outside their scope');
  r = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/orders`, {
    token: other.token, headers: { 'Idempotency-Key': 'x3' },
    body: { items: [{ product_id: p.id, period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  });
  assert.equal(r.status, 201, r.text);
  r = await saldo.api('GET', `/api/v1/orgs/${other.org.id}/orders/${r.body.order.id}`, { token: other.token });
  assert.equal(r.status, 404, 'the order belongs to the other organization');
});

test('percent and fixed codes: half-up per line, spread, setup fees untouched, limits per organization', async () => {
  const u = await signUp(saldo);
  const p = product({ prices: { EUR: { 12: [1005, 500] } } });
  const q = product({ prices: { EUR: { 12: [15, 0] } } });
  await fund(u.org.id, 100000);
  const pc = await code({ code: `ten${seq}`, kind: 'percent', percent_bp: 1000, max_uses_per_org: 1 });
  assert.equal(pc.code, `TEN${seq}`);
  let r = await order(u, { items: [{ product_id: p.id, period: 12 }, { product_id: q.id, period: 12 }], discount_code: pc.code.toLowerCase() });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.order.items.map((i) => i.discount.minor), [101, 2]);
  assert.equal(r.body.order.total.minor, 1005 + 500 + 15 - 103);
  assert.equal(r.body.order.discount_code, pc.code);
  r = await order(u, { items: [{ product_id: p.id, period: 12 }], discount_code: pc.code });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'discount_code_used_up_org');
  assert.equal(r.body.error.field, 'discount_code');
  const fc = await code({ code: `five${seq}`, kind: 'fixed', amounts: [{ currency: 'EUR', minor: 500 }] });
  r = await order(u, { items: [{ product_id: p.id, period: 12 }, { product_id: q.id, period: 12 }], discount_code: fc.code });
  assert.equal(r.status, 201, r.text);
  const d = r.body.order.items.map((i) => i.discount.minor);
  assert.equal(d[0] + d[1], 500);
  assert.equal(r.body.order.total.minor, 1005 + 500 + 15 - 500);
  const big = await code({ code: `big${seq}`, kind: 'fixed', amounts: [{ currency: 'EUR', minor: 999999 }] });
  r = await order(u, { items: [{ product_id: q.id, period: 12 }], discount_code: big.code });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.order.total.minor, 0, 'never below zero');
});

test('every refusal of a code has its own reason', async () => {
  const u = await signUp(saldo);
  const v = await signUp(saldo);
  const p = product();
  const other = product();
  await fund(u.org.id, 100000);
  await fund(v.org.id, 100000);
  const s = seq;
  await code({ code: `FUTURE${s}`, kind: 'percent', percent_bp: 500, valid_from: '2099-01-01' });
  await code({ code: `PAST${s}`, kind: 'percent', percent_bp: 500, valid_from: '2020-01-01', valid_until: '2020-02-01T00:00:00Z' });
  await code({ code: `ONCE${s}`, kind: 'percent', percent_bp: 500, max_uses: 1 });
  await code({ code: `ONLY${s}`, kind: 'percent', percent_bp: 500, product_ids: [other.id] });
  await code({ code: `CAT${s}`, kind: 'percent', percent_bp: 500, category_ids: [p.category] });
  await code({ code: `FIRST${s}`, kind: 'percent', percent_bp: 500, first_order_only: true });
  await code({ code: `USD${s}`, kind: 'fixed', amounts: [{ currency: 'USD', minor: 100 }] });
  const items = [{ product_id: p.id, period: 12 }];
  let r = await order(v, { items, discount_code: `ONCE${s}` });
  assert.equal(r.status, 201, r.text);
  r = await order(u, { items, discount_code: `FIRST${s}` });
  assert.equal(r.status, 201, 'a first order may use it');
  const before = counts();
  const cases = [
    ['NOPE', 'discount_code_unknown'],
    [`FUTURE${s}`, 'discount_code_not_yet_valid'],
    [`PAST${s}`, 'discount_code_expired'],
    [`ONCE${s}`, 'discount_code_used_up'],
    [`ONLY${s}`, 'discount_code_not_for_products'],
    [`FIRST${s}`, 'discount_code_first_order_only'],
    [`USD${s}`, 'discount_code_wrong_currency'],
  ];
  const messages = new Set();
  for (const [c, errCode] of cases) {
    r = await order(u, { items, discount_code: c });
    assert.equal(r.status, 422, `${c}: ${r.text}`);
    assert.equal(r.body.error.code, errCode, r.text);
    assert.equal(r.body.error.field, 'discount_code');
    messages.add(r.body.error.message);
  }
  assert.equal(messages.size, cases.length, 'each reason has its own message');
  assert.equal(counts(), before, 'a refused code writes nothing');
  r = await order(u, { items, discount_code: `cat${s}` });
  assert.equal(r.status, 201, 'restricted to the category of the product');
  assert.equal(r.body.order.discount.minor, 60);
});

test('staff edit a code: limits change, the audit log records it, bad input is refused', async () => {
  const c = await code({ code: `EDIT${seq}`, kind: 'percent', percent_bp: 500 });
  let r = await saldo.api('PATCH', `/api/v1/staff/discount-codes/${c.id}`, {
    token: staff.token, body: { max_uses: 3, valid_until: '2099-12-31' },
  });
  assert.equal(r.status, 200, r.text);
  documented('PATCH', '/api/v1/staff/discount-codes/{code_id}', r);
  assert.equal(r.body.max_uses, 3);
  assert.equal(r.body.valid_until, '2099-12-31T00:00:00Z');
  r = await saldo.api('PATCH', `/api/v1/staff/discount-codes/${c.id}`, { token: staff.token, body: { valid_until: '2000-01-01' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'valid_until');
  r = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token, body: { code: c.code.toLowerCase(), kind: 'percent', percent_bp: 1 } });
  assert.equal(r.status, 409, 'codes are unique whatever the case');
  for (const [body, field] of [
    [{ code: 'x', kind: 'percent', percent_bp: 10 }, 'code'],
    [{ code: 'GOOD1', kind: 'percent', percent_bp: 0 }, 'percent_bp'],
    [{ code: 'GOOD1', kind: 'fixed' }, 'amounts'],
    [{ code: 'GOOD1', kind: 'other' }, 'kind'],
    [{ code: 'GOOD1', kind: 'percent', percent_bp: 10, product_ids: [999999] }, 'product_ids'],
  ]) {
    r = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token, body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, field);
  }
  r = await saldo.api('GET', '/api/v1/staff/discount-codes', { token: staff.token });
  assert.equal(r.status, 200);
  documented('GET', '/api/v1/staff/discount-codes', r);
  assert.ok(r.body.codes.some((x) => x.id === c.id));
  assert.equal(r.body.codes.filter((x) => x.code === 'GOOD1').length, 0, 'nothing half-written');
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  assert.ok(audit.body.entries.some((e) => e.action === 'discount.update' && e.target_id === c.id));
});

test('free credit: staff grant it, checkout uses it (promotions pays), it works once; staff revoke', async () => {
  const u = await signUp(saldo);
  const p = product();
  const q = product({ prices: { EUR: { 12: [300, 0] } } });
  await fund(u.org.id, 1000);
  let r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/credits`, {
    token: staff.token, body: { product_id: p.id, period: 12, reason: 'welcome gift' },
  });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/staff/orgs/{org_id}/credits', r);
  const credit = r.body;
  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/credits`, { token: u.token });
  documented('GET', '/api/v1/orgs/{org_id}/credits', r);
  assert.deepEqual(r.body.credits.map((c) => c.id), [credit.id]);
  r = await order(u, { items: [{ product_id: q.id, period: 12, credit_id: credit.id }] });
  assert.equal(r.body.error.code, 'invalid_credit', 'a credit is for its product only');
  r = await order(u, { items: [{ product_id: p.id, period: 12, credit_id: credit.id }, { product_id: q.id, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.order.credit.minor, 1700);
  assert.equal(r.body.order.total.minor, 300);
  assert.equal(r.body.order.gross.minor, 366, 'VAT on what is paid, not on the credit');
  assert.equal(r.body.order.items[0].credit_id, credit.id);
  assert.equal(await balance(u), 1000 - 366);
  const promo = sql(`SELECT t.amount_minor FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id
    WHERE a.code = 'promotions' AND t.reference = 'order:${r.body.order.id}'`);
  assert.equal(promo, '1700');
  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/credits`, { token: u.token });
  assert.deepEqual(r.body.credits, []);
  r = await order(u, { items: [{ product_id: p.id, period: 12, credit_id: credit.id }] });
  assert.equal(r.body.error.code, 'invalid_credit', 'used once');
  r = await saldo.api('DELETE', `/api/v1/staff/credits/${credit.id}`, { token: staff.token });
  assert.equal(r.status, 404, 'a used credit cannot be revoked');
  const c2 = (await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/credits`, {
    token: staff.token, body: { product_id: p.id, reason: 'any period' },
  })).body;
  assert.equal(c2.period, null);
  r = await saldo.api('DELETE', `/api/v1/staff/credits/${c2.id}`, { token: staff.token });
  assert.equal(r.status, 204);
  r = await order(u, { items: [{ product_id: p.id, period: 12, credit_id: c2.id }] });
  assert.equal(r.body.error.code, 'invalid_credit', 'revoked');
  r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/credits`, { token: staff.token, body: { product_id: p.id, period: 5, reason: 'bad' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'period');
});

test('paying from a wallet in another currency needs a quote; the quote holds, then expires', async () => {
  const u = await signUp(saldo);
  const p = product({ prices: { EUR: { 12: [1000, 0] } } });
  sql(`INSERT INTO fx_rates (source, rate_date, currency, rate_units, imported_at)
             VALUES ('ecb', '2026-01-02', 'USD', 1100000000000, ${now()}) ON CONFLICT DO NOTHING`);
  await fund(u.org.id, 5000, 'USD');
  const items = [{ product_id: p.id, period: 12 }];
  let r = await order(u, { items, wallet_currency: 'USD' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'quote_required');
  r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/quotes`, {
    token: u.token, body: { wallet_currency: 'USD', amount: { currency: 'EUR', minor: 1220 } },
  });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/quotes', r);
  const quote = r.body;
  assert.equal(quote.rate, '1.1');
  assert.equal(quote.source, 'ecb');
  assert.equal(quote.date, '2026-01-02');
  assert.equal(quote.converted.minor, 1342, 'the gross: 1000 + 22% VAT, at 1.1');
  assert.ok(Date.parse(quote.expires_at) - Date.parse(quote.created_at) === 300000);
  r = await order(u, { items, wallet_currency: 'USD', quote_id: quote.id });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.order.paid.currency, r.body.order.paid.minor], ['USD', 1342]);
  assert.equal(r.body.order.quote_id, quote.id);
  assert.equal(await balance(u, 'USD'), 5000 - 1342);
  const legs = sql(`SELECT a.code || ':' || t.amount_minor || ':' || t.currency FROM ledger_transfers t
    JOIN ledger_accounts a ON a.id = t.credit_account_id WHERE t.reference = 'order:${r.body.order.id}' ORDER BY t.id`);
  assert.equal(legs, 'fx:USD:1342:USD\nrevenue:1000:EUR\nvat_payable:220:EUR');
  r = await order(u, { items, wallet_currency: 'USD', quote_id: quote.id });
  assert.equal(r.body.error.code, 'quote_used');
  const q2 = (await saldo.api('POST', `/api/v1/orgs/${u.org.id}/quotes`, {
    token: u.token, body: { wallet_currency: 'USD', amount: { currency: 'EUR', minor: 1220 } },
  })).body;
  sql(`UPDATE fx_quotes SET created_at = created_at - 600, expires_at = expires_at - 600 WHERE id = ${q2.id}`);
  const before = counts();
  r = await order(u, { items, wallet_currency: 'USD', quote_id: q2.id });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'quote_expired');
  assert.equal(counts(), before);
  const q3 = (await saldo.api('POST', `/api/v1/orgs/${u.org.id}/quotes`, {
    token: u.token, body: { wallet_currency: 'USD', amount: { currency: 'EUR', minor: 999 } },
  })).body;
  r = await order(u, { items, wallet_currency: 'USD', quote_id: q3.id });
  assert.equal(r.body.error.code, 'quote_mismatch');
  r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/quotes`, {
    token: u.token, body: { wallet_currency: 'JPY', amount: { currency: 'EUR', minor: 1000 } },
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'no_rate');
});

test('the cart: add, list, preview with a code and the reason it is refused, remove', async () => {
  const u = await signUp(saldo);
  const p = product();
  const retired = product();
  sql(`UPDATE catalog_products SET retired_at = ${now()} WHERE id = ${retired.id}`);
  await fund(u.org.id, 1000);
  const base = `/api/v1/orgs/${u.org.id}/cart`;
  let r = await saldo.api('GET', `${base}/items`, { token: u.token });
  assert.deepEqual(r.body, { currency: null, discount_code: '', items: [] });
  r = await saldo.api('POST', `${base}/items`, { token: u.token, body: { product_id: p.id, period: 12, currency: 'EUR' } });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/cart/items', r);
  const item = r.body;
  r = await saldo.api('POST', `${base}/items`, { token: u.token, body: { product_id: retired.id, period: 12, currency: 'EUR' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'product_id');
  r = await saldo.api('POST', `${base}/items`, { token: u.token, body: { product_id: p.id, period: 5, currency: 'EUR' } });
  assert.equal(r.body.error.field, 'period');
  r = await saldo.api('POST', `${base}/items`, { token: u.token, body: { product_id: p.id, period: 3, currency: 'EUR' } });
  assert.equal(r.body.error.code, 'no_price');
  r = await saldo.api('GET', `${base}/items`, { token: u.token });
  documented('GET', '/api/v1/orgs/{org_id}/cart/items', r);
  assert.equal(r.body.currency, 'EUR');
  assert.deepEqual(r.body.items.map((i) => i.id), [item.id]);
  const c = await code({ code: `CART${seq}`, kind: 'percent', percent_bp: 5000 });
  r = await saldo.api('POST', `${base}/preview`, { token: u.token, body: { discount_code: c.code } });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/cart/preview', r);
  assert.equal(r.body.discount.minor, 600);
  assert.equal(r.body.total.minor, 1100);
  assert.equal(r.body.vat.amount.minor, 242);
  assert.equal(r.body.gross.minor, 1342);
  assert.equal(r.body.discount_code.applies, true);
  assert.equal(r.body.wallet.sufficient, false);
  assert.equal(r.body.wallet.shortfall.minor, 342, 'the wallet must cover the gross');
  r = await saldo.api('POST', `${base}/preview`, { token: u.token, body: { discount_code: 'WRONG' } });
  assert.equal(r.body.discount_code.applies, false);
  assert.equal(r.body.discount_code.reason, 'unknown');
  assert.equal(r.body.total.minor, 1700);
  r = await saldo.api('DELETE', `${base}/items/${item.id}`, { token: u.token });
  assert.equal(r.status, 204);
  r = await saldo.api('DELETE', `${base}/items/${item.id}`, { token: u.token });
  assert.equal(r.status, 404);
  r = await saldo.api('POST', `${base}/preview`, { token: u.token });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'empty_cart');
});

test('concurrent orders: one wallet is never overdrawn, the last use of a code is taken once', async () => {
  const u = await signUp(saldo);
  const p = product();
  await fund(u.org.id, 2074 + 300); // one order's gross, and 300
  const items = [{ product_id: p.id, period: 12 }];
  // Three first orders in a currency nobody used before create its "revenue"
  // account at the same moment: each finds the one that won.
  const sek = product({ prices: { SEK: { 12: [5000, 0] } } });
  const firsts = [await signUp(saldo), await signUp(saldo), await signUp(saldo)];
  for (const b of firsts) await fund(b.org.id, 6100, 'SEK');
  let rs = await Promise.all(firsts.map((b) => order(b, { items: [{ product_id: sek.id, period: 12 }], currency: 'SEK' })));
  assert.deepEqual(rs.map((r) => r.status), [201, 201, 201], rs.map((r) => r.text).join('\n'));
  assert.equal(sql("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'revenue' AND currency = 'SEK'"), '1');

  rs = await Promise.all([order(u, { items }), order(u, { items }), order(u, { items })]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 422, 422], rs.map((r) => r.text).join('\n'));
  for (const r of rs.filter((x) => x.status === 422)) assert.equal(r.body.error.code, 'insufficient_funds');
  assert.equal(await balance(u), 300);

  const c = await code({ code: `LAST${seq}`, kind: 'percent', percent_bp: 1000, max_uses: 1 });
  const buyers = await Promise.all([signUp(saldo), signUp(saldo), signUp(saldo)]);
  for (const b of buyers) await fund(b.org.id, 5000);
  rs = await Promise.all(buyers.map((b) => order(b, { items, discount_code: c.code })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 422, 422], rs.map((r) => r.text).join('\n'));
  for (const r of rs.filter((x) => x.status === 422)) assert.equal(r.body.error.code, 'discount_code_used_up');
  assert.equal(sql(`SELECT COUNT(*) FROM discount_redemptions WHERE code_id = ${c.id}`), '1');
});
