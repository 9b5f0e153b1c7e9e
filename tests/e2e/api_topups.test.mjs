// api_topups.test.mjs - top-ups through a real `saldo gateway-sandbox`: the
// gateway's webhooks reach saldo through a relay that can hold them back (to
// deliver them late, twice or out of order); the wallet is credited once,
// only when the gateway confirms the payment, whatever a return URL or a
// webhook body claims. Balances are checked after each attack and the
// harness runs `saldo ledger verify` at the end.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { statement } from './lib/camt053.mjs';
import { API_KEY, WEBHOOK_SECRET, startPayments } from './lib/gateway.mjs';
import { signUp, tempDir } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sign = (body, t = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET) =>
  `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

let payments;
let saldo;
let smtp;
let gw;
let relay;
let doc;
before(async () => {
  payments = await startPayments();
  ({ saldo, gw, relay, smtp } = payments);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(() => payments.stop());

let keyNo = 0;
const money = (minor, currency = 'EUR') => ({ currency, minor });
const topup = (u, body, key = `t-${process.pid}-${++keyNo}`) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token, body, headers: { 'Idempotency-Key': key } });
const getPayment = (u, id) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments/${id}`, { token: u.token });
const balance = async (u, currency = 'EUR') => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === currency)?.balance.minor ?? 0;
};
const gatewayId = (p) => /\/pay\/(pay_[0-9a-f]{24})$/.exec(p.redirect_url)[1];
const payCard = (p, number = '4242424242424242') =>
  gw.form(`/pay/${gatewayId(p)}`, { action: 'card', number, expiry: '12/39', cvc: '123', name: 'Ada' });
const conforms = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);

async function waitStatus(u, id, status) {
  for (let i = 0; i < 200; i++) {
    const r = await getPayment(u, id);
    if (r.body.payment.status === status) return r;
    await sleep(50);
  }
  throw new Error(`payment ${id} never became ${status}: ${JSON.stringify((await getPayment(u, id)).body)}`);
}

async function webUser() {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { ...u, web };
}

test('a card top-up: redirect to the gateway, paid there, credited once by the webhook, mail and notification', async () => {
  const u = await signUp(saldo);
  const r = await topup(u, { amount: money(2500), method: 'card' });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/orgs/{org_id}/topups', r);
  const p = r.body.payment;
  assert.equal(p.status, 'pending');
  assert.equal(p.settlement, 'immediate');
  assert.match(p.redirect_url, new RegExp(`^${gw.url}/pay/pay_`));
  const atGateway = await gw.api('GET', `/v1/payments/${gatewayId(p)}`);
  assert.equal(atGateway.body.customer, `org_${u.org.id}`);
  assert.deepEqual(atGateway.body.amount, money(2500));
  assert.equal(atGateway.body.return_url, `${saldo.url}/billing/topups/${p.id}/return`);
  assert.equal(await balance(u), 0);
  assert.equal((await payCard(p)).status, 303);
  const done = await waitStatus(u, p.id, 'succeeded');
  conforms('GET', '/api/v1/orgs/{org_id}/payments/{payment_id}', done);
  assert.equal(done.body.payment.redirect_url, undefined);
  assert.equal(await balance(u), 2500);
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments`, { token: u.token });
  conforms('GET', '/api/v1/orgs/{org_id}/payments', list);
  assert.deepEqual(list.body.payments.map((x) => [x.id, x.status]), [[p.id, 'succeeded']]);
  const mail = await smtp.waitFor(u.email, (m) => /received your payment/.test(m.subject));
  assert.match(mail.subject, /25\.00/);
  assert.equal(saldo.sql(`SELECT count(*) FROM notifications WHERE org_id = ${u.org.id} AND kind = 'payment.received'`), '1');
  assert.equal(saldo.sql(`SELECT count(*) FROM org_audit WHERE org_id = ${u.org.id} AND action = 'payment.received'`), '1');
  assert.equal(saldo.sql(`SELECT idempotency_key FROM ledger_transfers WHERE id = (SELECT transfer_id FROM payments WHERE id = ${p.id})`),
    `payment:${p.id}`);
});

test('a declined card fails and credits nothing; PayPal approve credits, PayPal cancel does not', async () => {
  const u = await signUp(saldo);
  const declined = (await topup(u, { amount: money(1000), method: 'card' })).body.payment;
  await payCard(declined, '4000000000000002');
  const failed = await waitStatus(u, declined.id, 'failed');
  assert.equal(failed.body.payment.failure_code, 'card_declined');
  const approve = (await topup(u, { amount: money(1200), method: 'paypal' })).body.payment;
  await gw.form(`/pay/${gatewayId(approve)}`, { action: 'approve' });
  await waitStatus(u, approve.id, 'succeeded');
  const cancel = (await topup(u, { amount: money(1300), method: 'paypal' })).body.payment;
  await gw.form(`/pay/${gatewayId(cancel)}`, { action: 'cancel' });
  assert.equal((await waitStatus(u, cancel.id, 'canceled')).body.payment.failure_code, 'canceled_by_customer');
  assert.equal(await balance(u), 1200);
});

test('Apple Pay / Google Pay is immediate; Bitcoin is credited only after the network confirmations', async () => {
  const u = await signUp(saldo);
  const w = (await topup(u, { amount: money(900), method: 'wallet' })).body.payment;
  assert.equal(w.settlement, 'immediate');
  await gw.form(`/pay/${gatewayId(w)}`, { action: 'google_pay' });
  await waitStatus(u, w.id, 'succeeded');
  const c = (await topup(u, { amount: money(1500, 'USD'), method: 'crypto' })).body.payment;
  assert.equal(c.settlement, 'after network confirmation');
  await gw.form(`/pay/${gatewayId(c)}`, { action: 'send' });
  for (let i = 0; i < 2; i++) {
    assert.equal((await gw.api('POST', `/v1/sandbox/payments/${gatewayId(c)}/confirm`)).status, 200);
  }
  await sleep(300);
  assert.equal((await getPayment(u, c.id)).body.payment.status, 'pending');
  assert.equal(await balance(u, 'USD'), 0);
  assert.equal((await gw.api('POST', `/v1/sandbox/payments/${gatewayId(c)}/confirm`)).status, 200);
  await waitStatus(u, c.id, 'succeeded');
  assert.equal(await balance(u, 'USD'), 1500);
  assert.equal(await balance(u), 900);
});

test('the return page asks the gateway: a forged payment id or a changed amount in its URL credits nothing', async () => {
  const u = await webUser();
  const other = await webUser();
  const p = (await topup(u, { amount: money(1500), method: 'card' })).body.payment;
  // A payment of 9999.99 paid at the gateway directly, for this customer, but not saldo's top-up.
  const big = await gw.api('POST', '/v1/payments', { body: { amount: money(999999), method: 'card',
    customer: `org_${u.org.id}`, return_url: `${saldo.url}/billing/topups/${p.id}/return` } });
  await gw.form(`/pay/${big.body.id}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123' });
  const forged = await u.web.get(`/billing/topups/${p.id}/return?payment_id=${big.body.id}&amount=999999&status=succeeded`);
  assert.equal(forged.status, 200);
  assert.match(forged.text, /data-testid="topup-pending"/);
  assert.match(forged.text, /data-testid="topup-continue"/);
  assert.equal((await getPayment(u, p.id)).body.payment.status, 'pending');
  assert.equal(await balance(u), 0);
  // Someone else's payment page, or an id that is not a payment: 404.
  assert.equal((await other.web.get(`/billing/topups/${p.id}/return`)).status, 404);
  assert.equal((await u.web.get('/billing/topups/999999/return')).status, 404);
  assert.equal(await balance(other), 0);
});

test('the return page credits when the gateway says paid, and the late webhook then changes nothing', async () => {
  const u = await webUser();
  relay.hold = true;
  relay.held.length = 0;
  try {
    const p = (await topup(u, { amount: money(4200), method: 'card' })).body.payment;
    await payCard(p);
    const page = await u.web.get(`/billing/topups/${p.id}/return?payment_id=${gatewayId(p)}`);
    assert.match(page.text, /data-testid="topup-done"/);
    assert.equal(await balance(u), 4200);
    const isSucceeded = (e) => JSON.parse(e.body).type === 'payment.succeeded' && JSON.parse(e.body).data.id === gatewayId(p);
    for (let i = 0; i < 100 && !relay.held.some(isSucceeded); i++) await sleep(50);
    relay.hold = false;
    const succeeded = relay.held.find(isSucceeded);
    assert.ok(succeeded, 'the gateway sent payment.succeeded');
    assert.equal((await relay.send(succeeded)).status, 200);
    assert.equal(await balance(u), 4200);
    // One in-app notification: counted in the layout, listed, marked read by the button.
    const billing = await u.web.get('/billing');
    assert.match(billing.text, /data-testid="notifications-count">1</);
    const list = await u.web.get('/notifications');
    assert.equal((list.text.match(/data-testid="notification"/g) || []).length, 1);
    assert.match(list.text, /42\.00/);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)[1];
    assert.equal((await u.web.post('/notifications/read', { _csrf })).status, 303);
    assert.doesNotMatch((await u.web.get('/billing')).text, /notifications-count/);
  } finally {
    relay.hold = false;
  }
});

test('forged webhooks are 400 and change nothing; a correctly signed but false event changes nothing either', async () => {
  const u = await signUp(saldo);
  const p = (await topup(u, { amount: money(3000), method: 'card' })).body.payment;
  const body = JSON.stringify({ id: `evt_${crypto.randomBytes(12).toString('hex')}`, object: 'event', type: 'payment.succeeded',
    created: Math.floor(Date.now() / 1000), data: { id: gatewayId(p), status: 'succeeded', amount: money(3000) } });
  const now = Math.floor(Date.now() / 1000);
  for (const signature of [undefined, 'garbage', sign(body, now, 'whsec_wrong_secret'), sign(body, now - 600),
    sign(body, now + 600), sign(`${body} `, now), sign(body, now).replace(/v1=(.)/, (_, c) => `v1=${c === '0' ? '1' : '0'}`)]) {
    const r = await relay.send({ body, signature });
    assert.equal(r.status, 400, `${signature}: ${r.text}`);
    conforms('POST', '/api/v1/webhooks/gateway', { status: r.status, body: JSON.parse(r.text) });
  }
  // Signed with the secret, but the gateway says the payment is not paid: the gateway wins.
  const signed = await relay.send({ body, signature: sign(body) });
  assert.equal(signed.status, 200);
  assert.equal((await getPayment(u, p.id)).body.payment.status, 'pending');
  assert.equal(await balance(u), 0);
  assert.equal(saldo.sql(`SELECT count(*) FROM payment_events WHERE event_id = '${JSON.parse(body).id}'`), '1');
});

test('a replayed or resent webhook is a no-op; events delivered out of order credit once', async () => {
  const u = await signUp(saldo);
  relay.hold = true;
  relay.held.length = 0;
  let p;
  try {
    p = (await topup(u, { amount: money(5000), method: 'card' })).body.payment;
    await payCard(p);
    const mine = () => relay.held.filter((e) => JSON.parse(e.body).data.id === gatewayId(p));
    for (let i = 0; i < 100 && mine().length < 2; i++) await sleep(50);
    const events = mine();
    assert.deepEqual(events.map((e) => JSON.parse(e.body).type), ['payment.created', 'payment.succeeded']);
    relay.hold = false;
    // Out of order: succeeded first, then created.
    for (const e of [...events].reverse()) assert.equal((await relay.send(e)).status, 200);
    assert.equal((await getPayment(u, p.id)).body.payment.status, 'succeeded');
    assert.equal(await balance(u), 5000);
    // The same delivery again (a replay within the tolerance): 200, nothing moves.
    assert.equal((await relay.send(events[1])).status, 200);
    // The gateway resending it for real.
    const before = relay.delivered.length;
    const evId = JSON.parse(events[1].body).id;
    assert.equal((await gw.api('POST', `/v1/sandbox/events/${evId}/resend`)).status, 202);
    for (let i = 0; i < 100 && relay.delivered.length === before; i++) await sleep(50);
    assert.equal(relay.delivered.at(-1).id, evId);
    assert.equal(relay.delivered.at(-1).status, 200);
    assert.equal(await balance(u), 5000);
    assert.equal(saldo.sql(`SELECT count(*) FROM ledger_transfers WHERE idempotency_key = 'payment:${p.id}'`), '1');
  } finally {
    relay.hold = false;
  }
});

test('a double-clicked pay button makes one payment; the same key for another top-up is 409', async () => {
  const u = await signUp(saldo);
  const key = `double-${Date.now()}`;
  const body = { amount: money(2000), method: 'card' };
  const [a, b] = await Promise.all([topup(u, body, key), topup(u, body, key)]);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.equal(a.body.payment.id, b.body.payment.id);
  assert.equal(a.body.payment.redirect_url, b.body.payment.redirect_url);
  const again = await topup(u, body, key);
  assert.equal(again.body.payment.id, a.body.payment.id);
  const conflict = await topup(u, { amount: money(2001), method: 'card' }, key);
  assert.equal(conflict.status, 409);
  conforms('POST', '/api/v1/orgs/{org_id}/topups', conflict);
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments`, { token: u.token });
  assert.equal(list.body.payments.length, 1);
  await payCard(a.body.payment);
  await waitStatus(u, a.body.payment.id, 'succeeded');
  assert.equal(await balance(u), 2000);
});

test('the Top up page: the same form posted twice makes one payment; a bad amount is shown next to the field', async () => {
  const u = await webUser();
  const form = await u.web.get('/billing/topup?currency=USD');
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /value="bank_transfer"/);
  assert.match(form.text, /data-testid="method-crypto"/);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)[1];
  const key = /name="key" value="([A-Za-z0-9_-]{43})"/.exec(form.text)[1];
  const fields = { _csrf, key, currency: 'USD', amount: '12.34', method: 'card' };
  const [a, b] = await Promise.all([u.web.post('/billing/topup', fields), u.web.post('/billing/topup', fields)]);
  assert.equal(a.status, 303);
  assert.equal(a.headers.get('location'), b.headers.get('location'));
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments`, { token: u.token });
  assert.equal(list.body.payments.length, 1);
  assert.deepEqual(list.body.payments[0].amount.minor, 1234);
  const page = await u.web.get(a.headers.get('location'));
  assert.match(page.text, /data-testid="topup-continue"/);
  const bad = await u.web.post('/billing/topup', { ...fields, key: 'f'.repeat(43), amount: '1' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="amount-error"/);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments`, { token: u.token })).body.payments.length, 1);
});

test('bad input: limits, methods per currency, missing key, other organizations; nothing recorded', async () => {
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const cases = [
    [{ amount: money(2000, 'GBP'), method: 'crypto' }, 422, 'method'],
    [{ amount: money(2000, 'USD'), method: 'bank_transfer' }, 422, 'method'],
    [{ amount: money(499), method: 'card' }, 422, 'amount'],
    [{ amount: money(1000001), method: 'card' }, 422, 'amount'],
    [{ amount: money(2000, 'JPY'), method: 'card' }, 422, 'amount'],
    [{ amount: money(2000), method: 'cheque' }, 422, 'method'],
    [{ amount: money(2000) }, 422, 'method'],
    [{ method: 'card' }, 422, 'amount'],
  ];
  for (const [body, status, field] of cases) {
    const r = await topup(u, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
    conforms('POST', '/api/v1/orgs/{org_id}/topups', r);
  }
  const noKey = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token, body: { amount: money(2000), method: 'card' } });
  assert.equal(noKey.status, 400);
  const foreign = await topup(other, { amount: money(2000), method: 'card' }, 'k');
  assert.equal(foreign.status, 201);
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${other.org.id}/topups`, { token: u.token,
    body: { amount: money(2000), method: 'card' }, headers: { 'Idempotency-Key': 'x' } })).status, 404);
  assert.equal((await getPayment(u, foreign.body.payment.id)).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments`, { token: u.token })).body.payments.length, 0);
});

test('bank transfer answers the instructions instead of a redirect', async () => {
  const u = await signUp(saldo);
  const r = await topup(u, { amount: money(10000), method: 'bank_transfer' });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/orgs/{org_id}/topups', r);
  assert.equal(r.body.payment.redirect_url, undefined);
  assert.equal(r.body.payment.settlement, '1-3 business days');
  assert.match(r.body.payment.instructions.reference, /^RF\d{2}/);
  assert.match(r.body.payment.instructions.epc_qr_payload, /^BCD\n/);
  assert.equal(r.body.payment.status, 'pending');

  // The statement bringing the transfer settles the pending top-up it answers.
  const file = path.join(tempDir('saldo-topup-'), 'statement.xml');
  fs.writeFileSync(file, statement({ id: `TOPUP-${process.pid}-${u.org.id}`, entries: [
    { ref: `TOPUP-${u.org.id}`, amount: '100.00', structured: r.body.payment.instructions.reference }] }));
  const imported = saldo.run(['import-statement', file]);
  assert.equal(imported.status, 0, imported.stderr);
  const settled = await getPayment(u, r.body.payment.id);
  assert.equal(settled.body.payment.status, 'succeeded', settled.text);
  assert.equal(await balance(u), 10000);
});

test('a payment whose webhook never came is settled by `saldo sync-payments`, once', async () => {
  const u = await signUp(saldo);
  relay.hold = true;
  relay.held.length = 0;
  try {
    const p = (await topup(u, { amount: money(3100), method: 'card' })).body.payment;
    await payCard(p);
    const isSucceeded = (e) => JSON.parse(e.body).type === 'payment.succeeded' && JSON.parse(e.body).data.id === gatewayId(p);
    for (let i = 0; i < 100 && !relay.held.some(isSucceeded); i++) await sleep(50);
    assert.ok(relay.held.some(isSucceeded), 'the gateway sent payment.succeeded (held back)');
    assert.equal((await getPayment(u, p.id)).body.payment.status, 'pending');
    assert.equal(await balance(u), 0);
    const sync = (age) => saldo.run(['sync-payments', '--min-age', age, '--log-level', 'warn', '--gateway-url', gw.url,
      '--gateway-api-key', API_KEY, '--gateway-webhook-secret', WEBHOOK_SECRET]);
    const young = sync('3600'); // the payment is younger than an hour: left to the webhook
    assert.equal(young.status, 0, young.stderr);
    assert.equal(await balance(u), 0);
    const r = sync('0');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sync-payments: [1-9]\d* checked, [1-9]\d* settled, 0 not answered/);
    assert.equal((await getPayment(u, p.id)).body.payment.status, 'succeeded');
    assert.equal(await balance(u), 3100);
    assert.equal(sync('0').status, 0);
    relay.hold = false;
    assert.equal((await relay.send(relay.held.find(isSucceeded))).status, 200);
    assert.equal(await balance(u), 3100, 'credited once whatever comes after');
  } finally {
    relay.hold = false;
  }
  const bad = saldo.run(['sync-payments', '--min-age', 'soon', '--gateway-url', gw.url]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--min-age: bad value 'soon'/);
});

test('each member reads the organization\'s notifications for themselves', async () => {
  const a = await webUser();
  const b = await webUser();
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at)
             VALUES (${a.org.id}, ${b.user.id}, 'member', 1, ${Math.floor(Date.now() / 1000)})`);
  const csrf = await b.web.csrf('/profile');
  assert.equal((await b.web.post('/orgs/switch', { _csrf: csrf, org_id: String(a.org.id), next: '/' })).status, 303);
  const p = (await topup(a, { amount: money(1500), method: 'card' })).body.payment;
  await payCard(p);
  await waitStatus(a, p.id, 'succeeded');
  const count = async (u) => /data-testid="notifications-count">(\d+)</.exec((await u.web.get('/billing')).text)?.[1];
  assert.equal(await count(a), '1');
  assert.equal(await count(b), '1');
  const list = await a.web.get('/notifications');
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)[1];
  assert.equal((await a.web.post('/notifications/read', { _csrf })).status, 303);
  assert.equal(await count(a), undefined, 'read by a');
  assert.equal(await count(b), '1', 'still unread for b');
  const listB = await b.web.get('/notifications');
  assert.match(listB.text, /data-testid="notification"/);
  const second = (await topup(a, { amount: money(1600), method: 'card' })).body.payment;
  await payCard(second);
  await waitStatus(a, second.id, 'succeeded');
  assert.equal(await count(a), '1', 'a new one is unread again');
  assert.equal(await count(b), '2');
});
