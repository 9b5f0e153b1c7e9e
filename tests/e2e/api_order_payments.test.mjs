// api_order_payments.test.mjs - orders and To pay selections paid by card or
// PayPal through a real `saldo gateway-sandbox`: the gateway's payment is
// created for the order's total and nothing of the order is written until the
// gateway confirms it; then the wallet is credited and the order placed from
// it in one transaction (the money goes gateway -> wallet -> revenue and the
// wallet ends where it was). A card turns auto-renew on where the product
// allows it and the mail says so; PayPal does not. A declined card places
// nothing; a replayed webhook or a forged return URL places one order; an
// order that became impossible meanwhile leaves the money as balance and the
// customer is told (a code used up, a product retired, a service
// terminated). The cart page posted twice makes one payment. The harness
// runs `saldo ledger verify` at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startPayments } from './lib/gateway.mjs';
import { signUp, staffLogin } from './lib/harness.mjs';
import { credit, DAY, product as renewable, service } from './lib/billing.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let payments;
let saldo;
let smtp;
let gw;
let relay;
let staff;
let doc;
before(async () => {
  payments = await startPayments();
  ({ saldo, gw, relay, smtp } = payments);
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(() => payments.stop());

const documented = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);

/** saldo.sql, retried while the server holds SQLite's write lock. */
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

const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
/** A product (its own category) at price + setup for 12 months in EUR. */
function product({ price = 1200, setup = 300, autoRenew = 1 } = {}) {
  seq += 1;
  const code = `op${process.pid}_${seq}`;
  sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('${code}', 'Cat', 'Cat', ${now()})`);
  sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
       VALUES ((SELECT id FROM catalog_categories WHERE code = '${code}'), '${code}', 'Product ${seq}', 'Prodotto ${seq}',
       ${autoRenew}, ${now()}, ${now()})`);
  const id = Number(sql(`SELECT id FROM catalog_products WHERE code = '${code}'`));
  sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
       VALUES (${id}, 'EUR', 12, ${price}, ${setup})`);
  return id;
}

let keyNo = 0;
const nextKey = () => `op-${process.pid}-${++keyNo}`;
const order = (u, body, { key = nextKey(), token = u.token } = {}) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, {
    token, headers: { 'Idempotency-Key': key },
    body: { currency: 'EUR', accept_terms: true, pay_with: 'card', ...body },
  });
const renew = (u, body, { key = nextKey(), token = u.token } = {}) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`, { token, body, headers: { 'Idempotency-Key': key } });
const getPayment = (u, id) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments/${id}`, { token: u.token });
const balance = async (u) => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === 'EUR')?.balance.minor ?? 0;
};
const gatewayId = (p) => /\/pay\/(pay_[0-9a-f]{24})$/.exec(p.redirect_url)[1];
const payCard = (p, number = '4242424242424242') =>
  gw.form(`/pay/${gatewayId(p)}`, { action: 'card', number, expiry: '12/39', cvc: '123', name: 'Ada' });
const orders = (u) => Number(sql(`SELECT count(*) FROM orders WHERE org_id = ${u.org.id}`));
const revenue = () => Number(sql(`SELECT COALESCE(sum(t.amount_minor), 0) FROM ledger_transfers t
  JOIN ledger_accounts a ON a.id = t.credit_account_id WHERE a.code = 'revenue' AND a.currency = 'EUR'`));

async function waitDecided(u, id) {
  for (let i = 0; i < 200; i++) {
    const r = await getPayment(u, id);
    if (r.body.payment.status !== 'pending') return r;
    await sleep(50);
  }
  throw new Error(`payment ${id} stayed pending`);
}

test('an order paid by card: nothing until paid, then placed from the balance it credited, auto-renew on, mail says so', async () => {
  const u = await signUp(saldo);
  await credit(saldo, staff, u.org.id, 700);
  const renews = product({ price: 1200, setup: 300 });
  const fixed = product({ price: 999, setup: 0, autoRenew: 0 });
  const revenueBefore = revenue();
  const key = nextKey();
  const items = [{ product_id: renews, period: 12, auto_renew: false }, { product_id: fixed, period: 12 }];
  const r = await order(u, { items }, { key });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/orders', r);
  assert.equal(r.body.order, null);
  const p = r.body.payment;
  assert.equal(p.status, 'pending');
  assert.equal(p.purpose, 'order');
  assert.equal(p.order_id, null);
  // The gateway charges the gross: the net 24.99 plus 22% VAT (an Italian consumer).
  assert.deepEqual([p.amount.minor, p.amount.currency], [2499 + 550, 'EUR']);
  const atGateway = await gw.api('GET', `/v1/payments/${gatewayId(p)}`);
  assert.equal(atGateway.body.method, 'card');
  assert.deepEqual(atGateway.body.amount, { currency: 'EUR', minor: 3049 });
  assert.equal(orders(u), 0, 'nothing of the order is written before the payment');
  // The same key again (a double click): the same payment.
  const again = await order(u, { items }, { key });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.payment.id, p.id);
  assert.equal(Number(sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id}`)), 1);

  assert.equal((await payCard(p)).status, 303);
  const done = await waitDecided(u, p.id);
  documented('GET', '/api/v1/orgs/{org_id}/payments/{payment_id}', done);
  assert.equal(done.body.payment.status, 'succeeded');
  assert.equal(done.body.payment.purpose_status, 'done');
  const orderId = done.body.payment.order_id;
  assert.ok(orderId > 0);
  assert.equal(orders(u), 1);
  assert.equal(await balance(u), 700, 'the wallet is back where it was');
  assert.equal(revenue() - revenueBefore, 2499, 'revenue got the order net total');
  const o = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/orders/${orderId}`, { token: u.token });
  assert.equal(o.status, 200);
  assert.equal(o.body.status, 'paid');
  assert.equal(o.body.total.minor, 2499);
  assert.equal(o.body.gross.minor, 3049);
  const inv = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${o.body.invoice_id}`, { token: u.token });
  assert.equal(inv.status, 200, inv.text);
  assert.deepEqual([inv.body.kind, inv.body.status, inv.body.payment_method, inv.body.gross.minor],
    ['invoice', 'paid', 'card', 3049], 'the invoice says it was paid by card');
  const renewOn = sql(`SELECT product_id || ':' || auto_renew FROM services WHERE order_id = ${orderId} ORDER BY product_id`);
  assert.equal(renewOn, `${renews}:1\n${fixed}:0`, 'auto-renew on where the product allows it, even if the item said no');
  const legs = sql(`SELECT a.code || ':' || t.amount_minor FROM ledger_transfers t JOIN ledger_accounts a
    ON a.id = t.debit_account_id WHERE t.reference IN ('payment:${p.id}', 'order:${orderId}') ORDER BY t.id`);
  assert.equal(legs, 'gateway:sandbox:3049\nwallet:2499\nwallet:550');
  const mail = await smtp.waitFor(u.email, (m) => m.subject === `Order ${orderId} confirmed`);
  assert.match(mail.text, /Product \d+, 12 months: €15\.00 \(auto-renew on\)/);
  assert.match(mail.text, /Paid by card: automatic renewal has been turned on/);
  assert.doesNotMatch(mail.text, /€9\.99 \(auto-renew on\)/);
});

test('an order paid by PayPal: placed, auto-renew as the customer chose', async () => {
  const u = await signUp(saldo);
  const renews = product();
  const r = await order(u, { pay_with: 'paypal', items: [{ product_id: renews, period: 12, auto_renew: false }] });
  assert.equal(r.status, 201, r.text);
  const p = r.body.payment;
  assert.equal(p.method, 'paypal');
  await gw.form(`/pay/${gatewayId(p)}`, { action: 'approve' });
  const done = await waitDecided(u, p.id);
  assert.equal(done.body.payment.purpose_status, 'done');
  const orderId = done.body.payment.order_id;
  assert.equal(sql(`SELECT auto_renew FROM services WHERE order_id = ${orderId}`), '0');
  const mail = await smtp.waitFor(u.email, (m) => m.subject === `Order ${orderId} confirmed`);
  assert.doesNotMatch(mail.text, /auto-renew on|Paid by card/);
  assert.equal(await balance(u), 0);
});

test('a declined card places nothing and charges nothing; a PayPal cancel neither', async () => {
  const u = await signUp(saldo);
  const id = product();
  const revenueBefore = revenue();
  const declined = (await order(u, { items: [{ product_id: id, period: 12 }] })).body.payment;
  await payCard(declined, '4000000000000002');
  const failed = await waitDecided(u, declined.id);
  assert.equal(failed.body.payment.status, 'failed');
  assert.equal(failed.body.payment.failure_code, 'card_declined');
  assert.equal(failed.body.payment.purpose_status, null);
  const canceled = (await order(u, { pay_with: 'paypal', items: [{ product_id: id, period: 12 }] })).body.payment;
  await gw.form(`/pay/${gatewayId(canceled)}`, { action: 'cancel' });
  assert.equal((await waitDecided(u, canceled.id)).body.payment.status, 'canceled');
  assert.equal(orders(u), 0);
  assert.equal(await balance(u), 0);
  assert.equal(revenue(), revenueBefore);
});

test('a replayed webhook and a forged return URL make one order', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const id = product();
  const p = (await order(u, { items: [{ product_id: id, period: 12 }] })).body.payment;
  // The return URL says paid before anything was paid: the gateway is asked, nothing happens.
  const forged = await web.get(`/billing/topups/${p.id}/return?payment_id=${gatewayId(p)}&status=succeeded`);
  assert.equal(forged.status, 200);
  assert.equal(orders(u), 0);
  await payCard(p);
  await waitDecided(u, p.id);
  const events = await gw.api('GET', '/v1/events?limit=100');
  const succeeded = events.body.data.find((e) => e.type === 'payment.succeeded' && e.data.id === gatewayId(p));
  assert.ok(succeeded);
  const delivered = relay.delivered.filter((d) => d.id === succeeded.id).length;
  assert.equal((await gw.api('POST', `/v1/sandbox/events/${succeeded.id}/resend`)).status, 202);
  for (let i = 0; i < 100 && relay.delivered.filter((d) => d.id === succeeded.id).length === delivered; i++) await sleep(50);
  assert.ok(relay.delivered.filter((d) => d.id === succeeded.id).length > delivered, 'the event came again');
  const page = await web.get(`/billing/topups/${p.id}/return?payment_id=${gatewayId(p)}`);
  assert.equal(page.status, 200);
  assert.equal(orders(u), 1);
  assert.equal(Number(sql(`SELECT count(*) FROM services WHERE org_id = ${u.org.id}`)), 1);
  assert.equal(await balance(u), 0);
});

test('an order impossible once paid (its code used up meanwhile): the money stays as balance and the customer is told', async () => {
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const id = product({ price: 2000, setup: 0 });
  const c = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token,
    body: { code: `ONCE${process.pid}`, kind: 'percent', percent_bp: 1000, max_uses: 1 } });
  assert.equal(c.status, 201, c.text);
  const r = await order(u, { items: [{ product_id: id, period: 12 }], discount_code: `once${process.pid}` });
  assert.equal(r.status, 201, r.text);
  const p = r.body.payment;
  assert.equal(p.amount.minor, 2196, '1800 net + 22% VAT');
  // Another organization uses the code up, from its balance, before this payment is made.
  await credit(saldo, staff, other.org.id, 5000);
  const used = await order(other, { pay_with: 'balance', items: [{ product_id: id, period: 12 }],
    discount_code: `ONCE${process.pid}` });
  assert.equal(used.status, 201, used.text);
  const revenueBefore = revenue();
  await payCard(p);
  const done = await waitDecided(u, p.id);
  documented('GET', '/api/v1/orgs/{org_id}/payments/{payment_id}', done);
  assert.equal(done.body.payment.status, 'succeeded');
  assert.equal(done.body.payment.purpose_status, 'refused');
  assert.equal(done.body.payment.purpose_error, 'discount_code_used_up');
  assert.equal(done.body.payment.order_id, null);
  assert.equal(orders(u), 0);
  assert.equal(await balance(u), 2196, 'the money is in the balance');
  assert.equal(revenue(), revenueBefore);
  assert.equal(sql(`SELECT count(*) FROM notifications WHERE org_id = ${u.org.id} AND kind = 'payment.purpose_refused'`), '1');
  const mail = await smtp.waitFor(u.email, (m) => /is in your balance/.test(m.subject));
  assert.match(mail.subject, /€21\.96/);
  assert.match(mail.text, /could no longer be placed/);
});

test('a To pay selection paid by card: renewed when paid, all together', async () => {
  const u = await signUp(saldo);
  const p = renewable(saldo, { prices: { 12: 1000, 24: 1800 } });
  const a = service(saldo, u.org.id, p, now() + 5 * DAY, { label: 'a.example' });
  const b = service(saldo, u.org.id, p, now() + 8 * DAY, { label: 'b.example' });
  const expiry = (id) => Number(sql(`SELECT expires_at FROM services WHERE id = ${id}`));
  const before = [expiry(a), expiry(b)];
  const r = await renew(u, { pay_with: 'card', items: [{ service_id: a, period: 12 }, { service_id: b, period: 24 }] });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/renewals', r);
  assert.deepEqual(r.body.renewals, []);
  assert.equal(r.body.total.minor, 2800);
  assert.equal(r.body.gross.minor, 2800 + 616, 'the card pays the net and 22% VAT');
  assert.equal(r.body.invoice_id, null, 'invoiced once paid');
  const pay = r.body.payment;
  assert.equal(pay.purpose, 'renewals');
  assert.equal(pay.amount.minor, 3416);
  assert.deepEqual([expiry(a), expiry(b)], before, 'nothing renewed before the payment');
  await payCard(pay);
  const done = await waitDecided(u, pay.id);
  assert.equal(done.body.payment.purpose_status, 'done');
  assert.ok(expiry(a) > before[0] && expiry(b) > before[1]);
  assert.equal(await balance(u), 0);
  assert.equal(sql(`SELECT kind || ':' || status || ':' || payment_method || ':' || gross_minor FROM documents
    WHERE org_id = ${u.org.id} AND kind = 'invoice'`), 'invoice:paid:card:3416');
});

test('a To pay selection renewed meanwhile: the card payment stays as balance', async () => {
  const u = await signUp(saldo);
  const p = renewable(saldo, { prices: { 12: 1000 } });
  const a = service(saldo, u.org.id, p, now() + 5 * DAY, { label: 'a.example' });
  const r = await renew(u, { pay_with: 'card', items: [{ service_id: a, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  sql(`UPDATE services SET status = 'terminated' WHERE id = ${a}`);
  await payCard(r.body.payment);
  const done = await waitDecided(u, r.body.payment.id);
  assert.equal(done.body.payment.purpose_status, 'refused');
  assert.equal(done.body.payment.purpose_error, 'not_renewable');
  assert.equal(await balance(u), 1220, 'the gross paid');
  await smtp.waitFor(u.email, (m) => /is in your balance: the renewal/.test(m.subject));
});

test('saved cards: saved while paying an order, then an order and a To pay selection charged to it at once', async () => {
  const u = await signUp(saldo);
  const id = product({ price: 1000, setup: 0 });
  const first = await order(u, { items: [{ product_id: id, period: 12 }], save_method: true });
  assert.equal(first.status, 201, first.text);
  await payCard(first.body.payment);
  assert.equal((await waitDecided(u, first.body.payment.id)).body.payment.purpose_status, 'done');
  const cards = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: u.token });
  assert.equal(cards.status, 200, cards.text);
  const list = cards.body.payment_methods;
  assert.equal(list.length, 1, cards.text);
  const card = list[0];
  assert.equal(card.last4, '4242');
  // Charged off-session: decided and placed within the request, no redirect.
  const before = orders(u);
  const second = await order(u, { items: [{ product_id: id, period: 12 }], payment_method_id: card.id });
  assert.equal(second.status, 201, second.text);
  documented('POST', '/api/v1/orgs/{org_id}/orders', second);
  assert.equal(second.body.payment.status, 'succeeded');
  assert.equal(second.body.payment.purpose_status, 'done');
  assert.ok(second.body.payment.order_id);
  assert.equal(second.body.payment.redirect_url, undefined);
  assert.equal(orders(u), before + 1);
  assert.equal(await balance(u), 0);
  const services = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/services`, { token: u.token });
  assert.ok(services.body.services.every((x) => x.auto_renew), 'paid by card: auto-renew on');
  // To pay, with the saved card.
  const p = renewable(saldo, { prices: { 12: 1000 } });
  const a = service(saldo, u.org.id, p, now() + 5 * DAY, { label: 'saved.example' });
  const expires = Number(sql(`SELECT expires_at FROM services WHERE id = ${a}`));
  const r = await renew(u, { pay_with: 'card', payment_method_id: card.id, items: [{ service_id: a, period: 12 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.payment.status, 'succeeded');
  assert.equal(r.body.payment.purpose_status, 'done');
  assert.ok(Number(sql(`SELECT expires_at FROM services WHERE id = ${a}`)) > expires);
  assert.equal(await balance(u), 0);
  // A saved card pays by card only, and only the organization's own.
  const paypal = await order(u, { pay_with: 'paypal', items: [{ product_id: id, period: 12 }], payment_method_id: card.id });
  assert.equal(paypal.status, 422, paypal.text);
  assert.equal(paypal.body.error.field, 'method');
  const other = await signUp(saldo);
  const foreign = await order(other, { items: [{ product_id: id, period: 12 }], payment_method_id: card.id });
  assert.equal(foreign.status, 422, foreign.text);
  assert.equal(foreign.body.error.field, 'payment_method_id');
  assert.equal(orders(other), 0);
});

test('bad pay_with, refusals as from the balance, and a member without the billing right', async () => {
  const u = await signUp(saldo);
  const id = product();
  const bad = await order(u, { pay_with: 'cheque', items: [{ product_id: id, period: 12 }] });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'pay_with');
  const terms = await order(u, { accept_terms: false, items: [{ product_id: id, period: 12 }] });
  assert.equal(terms.status, 422);
  assert.equal(terms.body.error.code, 'terms_not_accepted');
  const period = await order(u, { items: [{ product_id: id, period: 7 }] });
  assert.equal(period.status, 422);
  assert.equal(period.body.error.code, 'invalid_period');
  const chf = await order(u, { pay_with: 'paypal', currency: 'CHF', items: [{ product_id: id, period: 12 }] });
  assert.equal(chf.status, 422, 'no CHF price');
  const quote = await order(u, { wallet_currency: 'USD', items: [{ product_id: id, period: 12 }] });
  assert.equal(quote.status, 422);
  assert.equal(quote.body.error.field, 'wallet_currency');
  const badRenew = await renew(u, { pay_with: 'cash', items: [{ service_id: 1, period: 12 }] });
  assert.equal(badRenew.status, 422);
  assert.equal(badRenew.body.error.field, 'pay_with');
  const m = await signUp(saldo);
  sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${u.org.id}, ${m.user.id}, 'member', 0, 0)`);
  assert.equal((await order(u, { items: [{ product_id: id, period: 12 }] }, { token: m.token })).status, 404);
  assert.equal((await renew(u, { pay_with: 'card', items: [{ service_id: 1, period: 12 }] }, { token: m.token })).status, 404);
  assert.equal(Number(sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id}`)), 0);
  assert.equal(orders(u), 0);
});

test('a product retired once paid: the money stays as balance, the notification says so', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const id = product({ price: 1000, setup: 0 });
  const p = (await order(u, { pay_with: 'paypal', items: [{ product_id: id, period: 12 }] })).body.payment;
  sql(`UPDATE catalog_products SET retired_at = ${now()} WHERE id = ${id}`);
  await gw.form(`/pay/${gatewayId(p)}`, { action: 'approve' });
  const done = await waitDecided(u, p.id);
  assert.equal(done.body.payment.purpose_status, 'refused');
  assert.equal(done.body.payment.purpose_error, 'product_retired');
  assert.equal(await balance(u), 1220, 'the gross paid');
  assert.equal(orders(u), 0);
  const page = await web.get(`/billing/topups/${p.id}/return?payment_id=${gatewayId(p)}`);
  assert.match(page.text, /data-testid="purpose-refused"/);
  assert.match(page.text, /the order could no longer be placed: the amount is in your balance/);
  const list = await web.get('/notifications');
  assert.match(list.text, /Payment received and kept as balance/);
});

test('the cart page: Card posted twice makes one payment; the return page before paying says pending', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const id = product();
  const _csrf = await web.csrf('/cart');
  assert.equal((await web.post('/cart/items', { _csrf, product_id: String(id), period: '12', currency: 'EUR' })).status, 303);
  const cart = await web.get('/cart');
  assert.match(cart.text, /data-testid="pay-with-card"/);
  assert.match(cart.text, /data-testid="pay-with-paypal"/);
  const key = /name="key" value="([^"]+)"/.exec(cart.text)[1];
  const noTerms = await web.post('/cart/checkout', { _csrf, key, pay_with: 'card', wallet_currency: 'EUR' });
  assert.equal(noTerms.status, 422);
  assert.match(noTerms.text, /value="card" data-testid="pay-with-card" checked/, 'the choice is kept');
  const form = { _csrf, key, pay_with: 'card', accept_terms: '1', wallet_currency: 'EUR' };
  const first = await web.post('/cart/checkout', form);
  assert.equal(first.status, 303);
  const location = first.headers.get('location');
  assert.match(location, /^\/billing\/topups\/\d+$/);
  const second = await web.post('/cart/checkout', form);
  assert.equal(second.headers.get('location'), location);
  assert.equal(Number(sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id}`)), 1);
  const page = await web.get(location);
  assert.match(page.text, /your order is placed as soon as it is/);
  assert.match(page.text, /data-testid="topup-continue"/);
  assert.equal(orders(u), 0);
});

test('the cart and To pay pages offer the saved cards: chosen, charged at once, the order placed and the selection renewed', async () => {
  const u = await signUp(saldo);
  const id = product({ price: 1000, setup: 0 });
  const saving = await order(u, { items: [{ product_id: id, period: 12 }], save_method: true });
  await payCard(saving.body.payment);
  await waitDecided(u, saving.body.payment.id);
  const card = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: u.token })).body.payment_methods[0];
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const _csrf = await web.csrf('/cart');
  assert.equal((await web.post('/cart/items', { _csrf, product_id: String(id), period: '12', currency: 'EUR' })).status, 303);
  const cart = await web.get('/cart');
  assert.match(cart.text, new RegExp(`value="saved:${card.id}" data-testid="pay-with-saved:${card.id}"`));
  assert.match(cart.text, /•••• 4242/);
  assert.match(cart.text, /A new card/);
  const key = /name="key" value="([^"]+)"/.exec(cart.text)[1];
  const before = orders(u);
  const bad = await web.post('/cart/checkout', { _csrf, key, pay_with: 'saved:999999', accept_terms: '1', wallet_currency: 'EUR' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /This card cannot be used/);
  const r = await web.post('/cart/checkout', { _csrf, key, pay_with: `saved:${card.id}`, accept_terms: '1', wallet_currency: 'EUR' });
  assert.equal(r.status, 303, r.text);
  const page = await web.get(r.headers.get('location'));
  assert.match(page.text, /Order placed/);
  assert.equal(orders(u), before + 1);
  // To pay: a service due, renewed with the saved card from the page.
  const p = renewable(saldo, { prices: { 12: 1000 } });
  const a = service(saldo, u.org.id, p, now() + 5 * DAY, { label: 'page.example' });
  const expires = Number(sql(`SELECT expires_at FROM services WHERE id = ${a}`));
  const toPay = await web.get('/renewals');
  assert.match(toPay.text, new RegExp(`value="saved:${card.id}"`));
  const payKey = /name="key" value="([^"]+)"/.exec(toPay.text)[1];
  const expiresField = new RegExp(`name="expires_${a}" value="([^"]+)"`).exec(toPay.text)[1];
  const renewed = await web.post('/renewals', { _csrf, key: payKey, action: 'pay', pay_with: `saved:${card.id}`,
    [`period_${a}`]: '12', [`renew_${a}`]: '1', [`expires_${a}`]: expiresField });
  assert.equal(renewed.status, 303, renewed.text);
  assert.ok(Number(sql(`SELECT expires_at FROM services WHERE id = ${a}`)) > expires);
  assert.equal(await balance(u), 0);
});
