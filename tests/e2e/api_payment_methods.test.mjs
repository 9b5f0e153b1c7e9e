// api_payment_methods.test.mjs - saved cards through a real `saldo
// gateway-sandbox`: a card saved while topping up, listed, charged
// off-session for a top-up, made the default, removed (here and at the
// gateway, and when removed at the gateway the webhook removes it here);
// rights (another organization's card, a member without billing) and bad
// input change nothing; the billing run charges the default card for a short
// balance once, and a declined card fails the renewal with its mail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { API_KEY, WEBHOOK_SECRET, startPayments } from './lib/gateway.mjs';
import { dayOf, product, service } from './lib/billing.mjs';
import { signUp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
const topup = (u, body, key = `pm-${process.pid}-${++keyNo}`) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token, body, headers: { 'Idempotency-Key': key } });
const methods = (u, org = u.org) => saldo.api('GET', `/api/v1/orgs/${org.id}/payment-methods`, { token: u.token });
const balance = async (u, currency = 'EUR') => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === currency)?.balance.minor ?? 0;
};
const gatewayId = (p) => /\/pay\/(pay_[0-9a-f]{24})$/.exec(p.redirect_url)[1];
const conforms = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);

async function waitFor(what, fn) {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await sleep(50);
  }
  throw new Error(`timed out: ${what}`);
}

/** Tops up amount by typing number on the gateway's card page with "save this card". */
async function saveCard(u, number = '4242424242424242', expiry = '12/39', amount = 1000) {
  const r = await topup(u, { amount: money(amount), method: 'card', save_method: true });
  assert.equal(r.status, 201, r.text);
  const p = r.body.payment;
  const atGateway = await gw.api('GET', `/v1/payments/${gatewayId(p)}`);
  assert.equal(atGateway.body.save_method, true);
  const paid = await gw.form(`/pay/${gatewayId(p)}`, { action: 'card', number, expiry, cvc: '123', name: 'Ada' });
  assert.equal(paid.status, 303);
  if (number === '4000000000003220') {
    const page = await gw.page(`/pay/${gatewayId(p)}/3ds`);
    const otp = /id="otp">(\d{6})</.exec(page.text)[1];
    await gw.form(`/pay/${gatewayId(p)}/3ds`, { code: otp });
  }
  // The return page settles it as the webhook would.
  return waitFor(`payment ${p.id} succeeded`, async () => {
    const g = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments/${p.id}`, { token: u.token });
    return g.body.payment.status === 'succeeded' ? g.body.payment : null;
  });
}

async function memberWithoutBilling(owner) {
  const inv = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/invitations`,
    { token: owner.token, body: { email: `nobill${Date.now()}@example.test`, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(inv.body.invitation.email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const acc = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: 'No Billing', password: 'a long password', country: 'IT', language: 'en' } });
  assert.equal(acc.status, 201, acc.text);
  const s = await saldo.api('POST', '/api/v1/sessions', { body: { email: inv.body.invitation.email, password: 'a long password' } });
  return { token: s.body.token, org: owner.org, email: inv.body.invitation.email, password: 'a long password' };
}

test('a card saved while topping up is listed (token kept, never the number) and becomes the default', async () => {
  const u = await signUp(saldo);
  const empty = await methods(u);
  assert.equal(empty.status, 200, empty.text);
  conforms('GET', '/api/v1/orgs/{org_id}/payment-methods', empty);
  assert.deepEqual(empty.body.payment_methods, []);
  await saveCard(u, '5555555555554444', '03/38');
  const list = await methods(u);
  conforms('GET', '/api/v1/orgs/{org_id}/payment-methods', list);
  assert.equal(list.body.payment_methods.length, 1);
  const [c] = list.body.payment_methods;
  assert.deepEqual({ ...c, id: 0 }, { id: 0, brand: 'mastercard', last4: '4444', exp_month: 3, exp_year: 2038,
    default: true, expired: false });
  const token = saldo.sql(`SELECT token FROM payment_methods WHERE id = ${c.id}`);
  assert.match(token, /^pm_[0-9a-f]{24}$/);
  const atGateway = await gw.api('GET', `/v1/customers/org_${u.org.id}/payment-methods`);
  assert.deepEqual(atGateway.body.data.map((m) => m.id), [token]);
  assert.equal(saldo.sql(`SELECT count(*) FROM payment_methods WHERE org_id = ${u.org.id}`), '1', 'recorded once');
  assert.equal(await balance(u), 1000);
});

test('a top-up with a saved card is charged off-session and credited in the same request; a declined one credits nothing', async () => {
  const u = await signUp(saldo);
  await saveCard(u);
  const [c] = (await methods(u)).body.payment_methods;
  const r = await topup(u, { amount: money(2500), method: 'card', payment_method_id: c.id });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/orgs/{org_id}/topups', r);
  assert.equal(r.body.payment.status, 'succeeded');
  assert.equal(r.body.payment.redirect_url, undefined);
  assert.equal(await balance(u), 3500);
  // A 3-D Secure card cannot be charged off-session: the failure is shown, nothing credited.
  await saveCard(u, '4000000000003220');
  const cards = (await methods(u)).body.payment_methods;
  assert.equal(cards.length, 2);
  const secure = cards.find((x) => x.last4 === '3220');
  assert.equal(secure.default, false, 'the first card stays the default');
  const before3ds = await balance(u);
  const f = await topup(u, { amount: money(700), method: 'card', payment_method_id: secure.id });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.body.payment.status, 'failed');
  assert.equal(f.body.payment.failure_code, 'authentication_required');
  assert.equal(await balance(u), before3ds);
  assert.equal(saldo.sql(`SELECT count(*) FROM payment_methods WHERE org_id = ${u.org.id}`), '2',
    'an off-session charge records no new card');
  // The Top up page: the saved card is charged at once and the failure is shown with its reason.
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const form = await web.get('/billing/topup');
  assert.match(form.text, new RegExp(`value="saved:${c.id}" data-testid="method-saved:${c.id}" checked`), 'the default is preselected');
  const key = /name="key" value="([A-Za-z0-9_-]{43})"/.exec(form.text)[1];
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)[1];
  const posted = await web.post('/billing/topup', { _csrf, key, currency: 'EUR', amount: '8.00', method: `saved:${secure.id}` });
  assert.equal(posted.status, 303, posted.text);
  const shown = await web.get(posted.headers.get('location'));
  assert.match(shown.text, /data-testid="topup-failed"/);
  assert.match(shown.text, /The bank asks you to confirm this payment|La banca chiede di confermare/);
  assert.equal(await balance(u), before3ds);
  const otherCard = await web.post('/billing/topup', { _csrf, key: 'a'.repeat(32), currency: 'EUR', amount: '8.00',
    method: `saved:${secure.id + 1000}` });
  assert.equal(otherCard.status, 422);
  assert.match(otherCard.text, /This card cannot be used|Questa carta non può essere usata/);
});

test('the default moves; removing the default makes the newest remaining card the default; removed at the gateway too', async () => {
  const u = await signUp(saldo);
  await saveCard(u, '4242424242424242');
  await saveCard(u, '5555555555554444');
  await saveCard(u, '378282246310005');
  let cards = (await methods(u)).body.payment_methods;
  assert.deepEqual(cards.map((c) => [c.brand, c.default]), [['visa', true], ['mastercard', false], ['amex', false]]);
  const [visa, mc, amex] = cards;
  const p = await saldo.api('PATCH', `/api/v1/orgs/${u.org.id}/payment-methods/${mc.id}`, { token: u.token, body: { default: true } });
  assert.equal(p.status, 200, p.text);
  conforms('PATCH', '/api/v1/orgs/{org_id}/payment-methods/{method_id}', p);
  assert.equal(p.body.payment_method.default, true);
  cards = (await methods(u)).body.payment_methods;
  assert.deepEqual(cards.map((c) => c.default), [false, true, false]);
  const tokenOf = (id) => saldo.sql(`SELECT token FROM payment_methods WHERE id = ${id}`);
  const mcToken = tokenOf(mc.id);
  const d = await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}/payment-methods/${mc.id}`, { token: u.token });
  assert.equal(d.status, 204, d.text);
  cards = (await methods(u)).body.payment_methods;
  assert.deepEqual(cards.map((c) => [c.id, c.default]), [[visa.id, false], [amex.id, true]], 'the newest remaining');
  const atGateway = await gw.api('GET', `/v1/customers/org_${u.org.id}/payment-methods`);
  assert.ok(!atGateway.body.data.some((m) => m.id === mcToken), 'deleted at the gateway');
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}/payment-methods/${mc.id}`, { token: u.token })).status, 404);
  assert.equal(saldo.sql(`SELECT count(*) FROM org_audit WHERE org_id = ${u.org.id} AND action LIKE 'payment_method.%'`), '2');
  // Removed at the gateway (another channel): the webhook payment_method.deleted removes it here.
  const amexToken = tokenOf(amex.id);
  assert.equal((await gw.api('DELETE', `/v1/payment-methods/${amexToken}`)).status, 200);
  await waitFor('the webhook removal', async () => (await methods(u)).body.payment_methods.length === 1);
  cards = (await methods(u)).body.payment_methods;
  assert.deepEqual(cards.map((c) => [c.id, c.default]), [[visa.id, true]]);
  // The last one removed: none is left, none is default.
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}/payment-methods/${visa.id}`, { token: u.token })).status, 204);
  assert.deepEqual((await methods(u)).body.payment_methods, []);
  assert.equal(saldo.sql(`SELECT count(*) FROM payment_methods WHERE org_id = ${u.org.id} AND is_default = 1`), '0');
});

test('rights: another organization\'s card is 404; a member without billing gets 404; nothing changes', async () => {
  const owner = await signUp(saldo);
  await saveCard(owner);
  const [c] = (await methods(owner)).body.payment_methods;
  const other = await signUp(saldo);
  const member = await memberWithoutBilling(owner);
  for (const who of [other, member]) {
    assert.equal((await methods(who, owner.org)).status, 404);
    assert.equal((await saldo.api('PATCH', `/api/v1/orgs/${owner.org.id}/payment-methods/${c.id}`,
      { token: who.token, body: { default: true } })).status, 404);
    assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${owner.org.id}/payment-methods/${c.id}`, { token: who.token })).status, 404);
  }
  // An id of another organization under one's own organization.
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${other.org.id}/payment-methods/${c.id}`, { token: other.token })).status, 404);
  assert.equal((await saldo.api('PATCH', `/api/v1/orgs/${other.org.id}/payment-methods/${c.id}`,
    { token: other.token, body: { default: true } })).status, 404);
  const cross = await topup(other, { amount: money(1000), method: 'card', payment_method_id: c.id });
  assert.equal(cross.status, 422);
  assert.equal(cross.body.error.field, 'payment_method_id');
  assert.equal((await methods(owner)).body.payment_methods.length, 1);
  assert.equal(await balance(other), 0);
  // The pages likewise: 404 pages for the member without billing and for another organization's card.
  const memberWeb = new WebClient(saldo.url);
  assert.equal((await memberWeb.login(member.email, member.password)).status, 303);
  assert.equal((await memberWeb.get('/billing/payment-methods')).status, 404);
  assert.equal((await memberWeb.get(`/billing/payment-methods/${c.id}/remove`)).status, 404);
  const otherWeb = new WebClient(saldo.url);
  assert.equal((await otherWeb.login(other.email, other.password)).status, 303);
  assert.equal((await otherWeb.get('/billing/payment-methods')).status, 200);
  assert.equal((await otherWeb.get(`/billing/payment-methods/${c.id}/remove`)).status, 404);
  const _csrf = await otherWeb.csrf('/billing/payment-methods');
  assert.equal((await otherWeb.post(`/billing/payment-methods/${c.id}/remove`, { _csrf })).status, 404);
  assert.equal((await otherWeb.post(`/billing/payment-methods/${c.id}/default`, { _csrf })).status, 404);
  const ownerWeb = new WebClient(saldo.url);
  assert.equal((await ownerWeb.login(owner.email, owner.password)).status, 303);
  assert.equal((await ownerWeb.post(`/billing/payment-methods/${c.id}/remove`, { _csrf: 'wrong' })).status, 403);
  assert.equal((await methods(owner)).body.payment_methods.length, 1, 'nothing removed');
});

test('bad input is a 422 naming the field and changes nothing', async () => {
  const u = await signUp(saldo);
  await saveCard(u);
  const [c] = (await methods(u)).body.payment_methods;
  const payments = saldo.sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id}`);
  const cases = [
    [{ amount: money(1000), method: 'paypal', save_method: true }, 'save_method'],
    [{ amount: money(1000), method: 'crypto', save_method: true }, 'save_method'],
    [{ amount: money(1000), method: 'card', save_method: 'yes' }, 'save_method'],
    [{ amount: money(1000), method: 'paypal', payment_method_id: c.id }, 'method'],
    [{ amount: money(1000), method: 'card', payment_method_id: c.id, save_method: true }, 'save_method'],
    [{ amount: money(1000), method: 'card', payment_method_id: 999999 }, 'payment_method_id'],
    [{ amount: money(1000), method: 'card', payment_method_id: 'x' }, 'payment_method_id'],
  ];
  for (const [body, field] of cases) {
    const r = await topup(u, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  for (const body of [{ default: false }, { default: 'yes' }, {}]) {
    const r = await saldo.api('PATCH', `/api/v1/orgs/${u.org.id}/payment-methods/${c.id}`, { token: u.token, body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, 'default');
  }
  // An expired card cannot be charged.
  saldo.sql(`UPDATE payment_methods SET exp_year = 2020 WHERE id = ${c.id}`);
  const listed = (await methods(u)).body.payment_methods[0];
  assert.equal(listed.expired, true);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  assert.match((await web.get('/billing/payment-methods')).text, /data-testid="card-expired"/);
  assert.doesNotMatch((await web.get('/billing/topup')).text, /method-saved:/, 'an expired card is not offered');
  const exp = await topup(u, { amount: money(1000), method: 'card', payment_method_id: c.id });
  assert.equal(exp.status, 422);
  assert.equal(exp.body.error.field, 'payment_method_id');
  assert.equal(saldo.sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id}`), payments);
  assert.equal((await saldo.api('PATCH', `/api/v1/orgs/${u.org.id}/payment-methods/abc`, { token: u.token, body: { default: true } })).status, 404);
});

const setupId = (url) => /\/setup\/(set_[0-9a-f]{24})$/.exec(url)[1];

/** Starts "add a card" through the API and types number on the gateway's verification page. */
async function addCard(u, number, expiry = '11/37') {
  const r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: u.token, body: {} });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/orgs/{org_id}/payment-methods', r);
  assert.ok(r.body.redirect_url.startsWith(`${gw.url}/setup/set_`), r.body.redirect_url);
  const id = setupId(r.body.redirect_url);
  const typed = await gw.form(`/setup/${id}`, { action: 'card', number, expiry, cvc: '123', name: 'Ada' });
  assert.equal(typed.status, 303);
  if (number === '4000000000003220') {
    const page = await gw.page(`/setup/${id}/3ds`);
    await gw.form(`/setup/${id}/3ds`, { code: 'wrong!' });
    const again = await gw.page(`/setup/${id}/3ds?wrong=1`);
    assert.match(again.text, /Tries left: 2/);
    await gw.form(`/setup/${id}/3ds`, { code: /id="otp">(\d{6})</.exec(page.text)[1] });
  }
  return id;
}

test('add another card without a payment: a verification at the gateway (3-D Secure included) records it, nothing is charged', async () => {
  const u = await signUp(saldo);
  await saveCard(u, '4242424242424242');
  const id = await addCard(u, '4000000000003220');
  const atGateway = await gw.api('GET', `/v1/setups/${id}`);
  assert.equal(atGateway.body.status, 'succeeded');
  assert.match(atGateway.body.payment_method, /^pm_/);
  // The webhook setup.succeeded records it (the API client has no return page).
  const cards = await waitFor('the verified card', async () => {
    const l = (await methods(u)).body.payment_methods;
    return l.length === 2 ? l : null;
  });
  assert.deepEqual(cards.map((c) => [c.last4, c.exp_month, c.exp_year, c.default]),
    [['4242', 12, 2039, true], ['3220', 11, 2037, false]]);
  assert.equal(await balance(u), 1000, 'nothing charged');
  assert.equal(saldo.sql(`SELECT count(*) FROM org_audit WHERE org_id = ${u.org.id} AND action = 'payment_method.added'`), '1');
  // A declined card is not saved; the first card of an organization becomes its default.
  const v = await signUp(saldo);
  const declined = await addCard(v, '4000000000000002');
  assert.equal((await gw.api('GET', `/v1/setups/${declined}`)).body.failure_code, 'card_declined');
  await addCard(v, '5555555555554444');
  const vs = await waitFor('v\'s card', async () => {
    const l = (await methods(v)).body.payment_methods;
    return l.length ? l : null;
  });
  assert.deepEqual(vs.map((c) => [c.last4, c.default]), [['4444', true]]);
  assert.equal(await balance(v), 0);
  // The return page asks the gateway: another organization's verification is 404, its own is recorded once.
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(v.email, v.password)).status, 303);
  const mine = await web.get(`/billing/payment-methods/return?setup_id=${declined}`);
  assert.equal(mine.status, 303);
  assert.equal(mine.headers.get('location'), '/billing/payment-methods');
  const shown = await web.get('/billing/payment-methods');
  assert.match(shown.text, /could not be verified/);
  assert.equal((await web.get(`/billing/payment-methods/return?setup_id=${id}`)).status, 404);
  assert.equal((await web.get('/billing/payment-methods/return?setup_id=set_000000000000000000000000')).status, 404);
  assert.equal((await methods(v)).body.payment_methods.length, 1);
  assert.equal((await methods(u)).body.payment_methods.length, 2);
});

test('add a card: bad input is a 422, other organizations and members without billing 404, nothing started', async () => {
  const u = await signUp(saldo);
  const bad = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: u.token, body: { number: '4242' } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.error.field, 'number');
  const other = await signUp(saldo);
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: other.token, body: {} })).status, 404);
  const member = await memberWithoutBilling(u);
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${u.org.id}/payment-methods`, { token: member.token, body: {} })).status, 404);
  assert.equal(saldo.sql(`SELECT count(*) FROM payment_method_setups WHERE org_id = ${u.org.id}`), '0');
});

test('gateway sandbox: a setup needs its key, validates, replays, refuses a wrong card on the page and a second action', async () => {
  const body = { customer: 'org_gwtest', return_url: 'http://127.0.0.1:9/back?x=1' };
  assert.equal((await gw.api('POST', '/v1/setups', { body, idem: null })).status, 400);
  const bad = await gw.api('POST', '/v1/setups', { body: { ...body, return_url: 'ftp://x' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'return_url');
  assert.equal((await gw.api('POST', '/v1/setups', { body: { return_url: body.return_url } })).body.error.field, 'customer');
  const a = await gw.api('POST', '/v1/setups', { body, idem: 'setup-key-1' });
  assert.equal(a.status, 201);
  assert.equal(a.body.status, 'requires_action');
  const again = await gw.api('POST', '/v1/setups', { body, idem: 'setup-key-1' });
  assert.equal(again.body.id, a.body.id);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const typo = await gw.form(`/setup/${a.body.id}`, { action: 'card', number: '4242424242424241', expiry: '12/39', cvc: '123' });
  assert.equal(typo.status, 422);
  assert.match(typo.text, /id="error-number"/);
  assert.equal((await gw.api('GET', `/v1/setups/${a.body.id}`)).body.status, 'requires_action');
  await gw.form(`/setup/${a.body.id}`, { action: 'card', number: '4000000000000069', expiry: '12/39', cvc: '123' });
  const failed = (await gw.api('GET', `/v1/setups/${a.body.id}`)).body;
  assert.deepEqual([failed.status, failed.failure_code, failed.payment_method, failed.redirect_url],
    ['failed', 'expired_card', null, null]);
  assert.equal((await gw.form(`/setup/${a.body.id}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123' })).status, 409);
  const done = await gw.page(`/setup/${a.body.id}`);
  assert.match(done.text, new RegExp(`back\\?x=1&amp;setup_id=${a.body.id}|back\\?x=1&setup_id=${a.body.id}`));
  assert.deepEqual((await gw.api('GET', '/v1/customers/org_gwtest/payment-methods')).body.data, []);
  assert.equal((await gw.api('GET', '/v1/setups/set_000000000000000000000000')).status, 404);
  assert.equal((await gw.page('/setup/set_000000000000000000000000')).status, 404);
});

const billingRun = (date) => saldo.run(['billing-run', '--at', date, '--log-level', 'warn', '--base-url', saldo.url,
  '--gateway-url', gw.url, '--gateway-api-key', API_KEY, '--gateway-webhook-secret', WEBHOOK_SECRET]);

test('billing run: a short balance is charged to the default card for exactly the shortfall, once however often it runs', async () => {
  const u = await signUp(saldo);
  await saveCard(u, '4242424242424242', '12/39', 600); // the balance is 6.00
  const p = product(saldo, { prices: { 12: 1000 } });
  const a = service(saldo, u.org.id, p, dayOf('2031-02-10'), { autoRenew: true, label: 'a.example' });
  const b = service(saldo, u.org.id, p, dayOf('2031-02-11'), { autoRenew: true, label: 'b.example' });
  const first = billingRun('2031-02-01');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /billing run: 2 renewed, 0 failed/);
  for (let i = 0; i < 2; i++) {
    const again = billingRun('2031-02-01');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /billing run: 0 renewed, 0 failed/);
  }
  // Each renewal costs 12.20 (10.00 + 22% VAT): 6.00 + 6.20 renew a; b needs all of its 12.20 from the card.
  const charges = saldo.sql(`SELECT idem_key || ' ' || amount_minor || ' ' || status FROM payments
    WHERE org_id = ${u.org.id} AND idem_key LIKE 'renewal-card:%' ORDER BY id`).split('\n');
  assert.deepEqual(charges, [`renewal-card:${a}:${dayOf('2031-02-10')} 620 succeeded`,
    `renewal-card:${b}:${dayOf('2031-02-11')} 1220 succeeded`]);
  assert.equal(await balance(u), 0);
  assert.equal(Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${a}`)), dayOf('2032-02-10'));
  assert.equal(Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${b}`)), dayOf('2032-02-11'));
  const events = await gw.api('GET', '/v1/events?limit=100');
  const offSession = [];
  for (let page = events.body; ; ) {
    offSession.push(...page.data.filter((e) => e.type === 'payment.succeeded' && e.data.customer === `org_${u.org.id}`
      && e.data.payment_method && !e.data.save_method));
    if (!page.has_more) break;
    page = (await gw.api('GET', `/v1/events?limit=100&after=${page.data.at(-1).id}`)).body;
  }
  assert.deepEqual(offSession.map((e) => e.data.amount.minor).sort((x, y) => x - y), [620, 1220], 'charged at the gateway once each');
  saldo.sql(`UPDATE services SET status = 'terminated' WHERE org_id = ${u.org.id}`);
});

test('billing run: a charge the gateway did not answer is retried on the same card, even after the default changed', async () => {
  const u = await signUp(saldo);
  await saveCard(u, '4242424242424242', '12/39', 500);
  await saveCard(u, '5555555555554444', '12/39', 500); // the balance is 10.00
  const [visa, mc] = (await methods(u)).body.payment_methods;
  const p = product(saldo, { prices: { 12: 2500 } });
  const s = service(saldo, u.org.id, p, dayOf('2033-04-10'), { autoRenew: true, label: 'retry.example' });
  const down = saldo.run(['billing-run', '--at', '2033-04-01', '--log-level', 'error', '--base-url', saldo.url,
    '--gateway-url', 'http://127.0.0.1:9', '--gateway-api-key', API_KEY, '--gateway-webhook-secret', WEBHOOK_SECRET]);
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /0 renewed, 1 failed/);
  const key = `renewal-card:${s}:${dayOf('2033-04-10')}`;
  assert.equal(saldo.sql(`SELECT status || ' ' || amount_minor || ' ' || COALESCE(gateway_id, '-') FROM payments
    WHERE idem_key = '${key}'`), 'pending 2050 -', 'the shortfall of the gross: 25.00 + 22% VAT - 10.00');
  // The default moves to the Mastercard; the retry still charges the Visa the row was opened for.
  assert.equal((await saldo.api('PATCH', `/api/v1/orgs/${u.org.id}/payment-methods/${mc.id}`,
    { token: u.token, body: { default: true } })).status, 200);
  const r = billingRun('2033-04-01');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 renewed, 0 failed/);
  const gid = saldo.sql(`SELECT gateway_id FROM payments WHERE idem_key = '${key}' AND status = 'succeeded'`);
  const charged = (await gw.api('GET', `/v1/payments/${gid}`)).body;
  assert.equal(charged.payment_method, saldo.sql(`SELECT token FROM payment_methods WHERE id = ${visa.id}`));
  assert.equal(saldo.sql(`SELECT count(*) FROM payments WHERE org_id = ${u.org.id} AND idem_key LIKE 'renewal-card:%'`), '1');
  assert.equal(await balance(u), 0);
  saldo.sql(`UPDATE services SET status = 'terminated' WHERE org_id = ${u.org.id}`);
});

test('billing run: a declined saved card fails the renewal, and the mail says the card was declined', async () => {
  const u = await signUp(saldo);
  await saveCard(u, '4000000000003220'); // off-session: authentication_required
  const p = product(saldo, { prices: { 12: 5000 } });
  const s = service(saldo, u.org.id, p, dayOf('2032-03-10'), { autoRenew: true, label: 'declined.example' });
  const r = billingRun('2032-03-01');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /billing run: 0 renewed, 1 failed/);
  assert.match(billingRun('2032-03-01').stdout, /0 renewed, 0 failed/);
  assert.equal(saldo.sql(`SELECT status || ' ' || failure_code || ' ' || amount_minor FROM payments
    WHERE idem_key = 'renewal-card:${s}:${dayOf('2032-03-10')}'`), 'failed authentication_required 5100');
  assert.equal(await balance(u), 1000);
  const mail = await smtp.waitFor(u.email, (m) => /declined\.example/.test(m.subject) && /(Renewal failed|Rinnovo non riuscito)/.test(m.subject));
  assert.match(mail.text, /(card was declined|carta salvata è stata rifiutata)/);
  assert.match(mail.text, /\/billing\/payment-methods/);
  assert.equal(Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${s}`)), dayOf('2032-03-10'));
  saldo.sql(`UPDATE services SET status = 'terminated' WHERE org_id = ${u.org.id}`);
});
