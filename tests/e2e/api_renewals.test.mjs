// api_renewals.test.mjs - the To pay API: the services due with the price of
// each period (1-5 years, 1-2 for promotional products), paying several from
// the balance in one transaction or none, insufficient funds changing nothing,
// idempotency, bad input, other organizations, the billing right and members
// limited to some services. Every answer is checked against docs/openapi.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { checkAnswer } from './lib/schema.mjs';
import { balance, credit, DAY, product, service } from './lib/billing.mjs';

let smtp;
let saldo;
let staff;
let doc;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const now = () => Math.floor(Date.now() / 1000);
let keyNo = 0;
const key = () => `renew-${process.pid}-${++keyNo}`;
const due = (u, token = u.token) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/renewals/due`, { token });
const pay = (u, items, { token = u.token, k = key() } = {}) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`, { token, body: { items }, headers: { 'Idempotency-Key': k } });
const documented = (method, template, answer) => assert.deepEqual(checkAnswer(doc, method, template, answer), []);
const expiry = (id) => Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${id}`));

/** An organization with: a service due in 5 days, a suspended one expired 3
 * days ago, a promotional one due in 10 days, one due in 60 days, a
 * terminated one. */
function setup(u) {
  const p = product(saldo, { prices: { 12: 1000, 24: 1800, 36: 2500 } });
  const promo = product(saldo, { prices: { 12: 500, 24: 900, 36: 1200 }, promotional: true, name: 'Promo' });
  return {
    soon: service(saldo, u.org.id, p, now() + 5 * DAY, { label: 'soon.example' }),
    late: service(saldo, u.org.id, p, now() - 3 * DAY, { label: 'late.example', status: 'suspended' }),
    promo: service(saldo, u.org.id, promo, now() + 10 * DAY, { label: 'promo.example' }),
    far: service(saldo, u.org.id, p, now() + 60 * DAY, { label: 'far.example' }),
    ended: service(saldo, u.org.id, p, now() - 40 * DAY, { label: 'ended.example', status: 'terminated' }),
  };
}

test('the services due, soonest first, with the price of each period and the balance', async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  await credit(saldo, staff, u.org.id, 1234);
  const r = await due(u);
  assert.equal(r.status, 200, r.text);
  documented('GET', '/api/v1/orgs/{org_id}/renewals/due', r);
  assert.deepEqual(r.body.services.map((x) => x.id), [s.late, s.soon, s.promo]);
  const [late, soon, promo] = r.body.services;
  assert.equal(late.status, 'suspended');
  assert.equal(soon.label, 'soon.example');
  assert.equal(soon.product.name, 'Hosting');
  assert.deepEqual(soon.periods.map((x) => [x.months, x.price.minor]), [[12, 1000], [24, 1800], [36, 2500]]);
  assert.deepEqual(promo.periods.map((x) => [x.months, x.price.minor]), [[12, 500], [24, 900]]);
  assert.deepEqual(r.body.balances, [{ currency: 'EUR', balance: { currency: 'EUR', minor: 1234, display: '€12.34' } }]);
  assert.equal(r.body.window_days, 14);
});

test('paying several renewals: all in one transaction, idempotent, the suspended one active again', async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  await credit(saldo, staff, u.org.id, 5000);
  const before = [expiry(s.soon), expiry(s.late), expiry(s.promo)];
  const items = [{ service_id: s.soon, period: 24 }, { service_id: s.late, period: 12 }, { service_id: s.promo, period: 12 }];
  const k = key();
  const r = await pay(u, items, { k });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/orgs/{org_id}/renewals', r);
  assert.deepEqual(r.body.total, { currency: 'EUR', minor: 3300, display: '€33.00' });
  assert.deepEqual(r.body.renewals.map((x) => [x.service_id, x.period_months, x.amount.minor]),
    [[s.soon, 24, 1800], [s.late, 12, 1000], [s.promo, 12, 500]]);
  // Prices are net: 22% VAT (an Italian consumer) on the total, rounded once.
  assert.equal(r.body.vat.minor, 726);
  assert.equal(r.body.gross.minor, 4026);
  assert.equal(await balance(saldo, u), 5000 - 4026);
  const inv = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${r.body.invoice_id}`, { token: u.token });
  assert.equal(inv.status, 200, inv.text);
  assert.deepEqual([inv.body.kind, inv.body.status, inv.body.payment_method, inv.body.gross.minor, inv.body.lines.length],
    ['invoice', 'paid', 'balance', 4026, 3], 'one invoice for the selection, a line per renewal');
  assert.ok(expiry(s.soon) > before[0] + 700 * DAY);
  assert.ok(expiry(s.late) > before[1] + 360 * DAY);
  assert.equal(saldo.sql(`SELECT status FROM services WHERE id = ${s.late}`), 'active');
  const again = await pay(u, items, { k });
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, r.body);
  assert.equal(await balance(saldo, u), 5000 - 4026);
  const other = await pay(u, [{ service_id: s.soon, period: 12 }], { k });
  assert.equal(other.status, 409);
  assert.equal(other.body.error.code, 'idempotency_conflict');
  const t = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions`, { token: u.token });
  assert.equal(t.body.transactions.filter((x) => x.kind === 'renewal').length, 3);
});

test('a balance short of the total renews nothing and says by how much', async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  await credit(saldo, staff, u.org.id, 1500);
  const before = [expiry(s.soon), expiry(s.late)];
  const r = await pay(u, [{ service_id: s.soon, period: 12 }, { service_id: s.late, period: 12 }]);
  assert.equal(r.status, 422);
  documented('POST', '/api/v1/orgs/{org_id}/renewals', r);
  assert.equal(r.body.error.code, 'insufficient_funds');
  assert.match(r.body.error.message, /€9\.40 short of the total of €24\.40 \(VAT included\)/);
  assert.deepEqual([expiry(s.soon), expiry(s.late)], before);
  assert.equal(await balance(saldo, u), 1500);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM service_renewals WHERE org_id = ${u.org.id}`), '0');
});

test('bad input names the field and changes nothing', async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  await credit(saldo, staff, u.org.id, 100000);
  const cases = [
    [[], 422, 'invalid_field', 'items'],
    [[{ service_id: 'x', period: 12 }], 422, 'invalid_field', 'items[0].service_id'],
    [[{ service_id: s.soon, period: 5 }], 422, 'invalid_field', 'items[0].period'],
    [[{ service_id: s.soon, period: 12 }, { service_id: s.promo, period: 36 }], 422, 'invalid_field', 'items[1].period'],
    [[{ service_id: s.soon, period: 60 }], 422, 'invalid_field', 'items[0].period'],
    [[{ service_id: s.soon, period: 4294967308 }], 422, 'invalid_field', 'items[0].period'],
    [[{ service_id: s.soon }], 422, 'invalid_field', 'items[0].period'],
    [[7], 422, 'invalid_field', 'items[0].service_id'],
    [[{ service_id: s.soon, period: 12 }, { service_id: s.soon, period: 24 }], 422, 'invalid_field', 'items[1]'],
    [[{ service_id: s.ended, period: 12 }], 409, 'not_renewable', 'items[0]'],
    [[{ service_id: 999999, period: 12 }], 404, 'not_found', 'items[0].service_id'],
  ];
  for (const [items, status, code, field] of cases) {
    const r = await pay(u, items);
    assert.equal(r.status, status, JSON.stringify(items) + r.text);
    documented('POST', '/api/v1/orgs/{org_id}/renewals', r);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, field);
  }
  const noKey = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/renewals`,
    { token: u.token, body: { items: [{ service_id: s.soon, period: 12 }] } });
  assert.equal(noKey.status, 400);
  assert.equal(await balance(saldo, u), 100000);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM service_renewals WHERE org_id = ${u.org.id}`), '0');
});

test("another organization's services are 404, and members need the billing right", async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  const stranger = await signUp(saldo);
  await credit(saldo, staff, stranger.org.id, 100000);
  assert.equal((await due(u, stranger.token)).status, 404);
  const r = await pay(stranger, [{ service_id: s.soon, period: 12 }]);
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'items[0].service_id');
  const m = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${u.org.id}, ${m.user.id}, 'member', 0, 0)`);
  assert.equal((await due(u, m.token)).status, 404);
  assert.equal((await pay(u, [{ service_id: s.soon, period: 12 }], { token: m.token })).status, 404);
});

test('a member limited to one service sees and renews only that one', async () => {
  const u = await signUp(saldo);
  const s = setup(u);
  await credit(saldo, staff, u.org.id, 100000);
  const m = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, access_all, created_at)
    VALUES (${u.org.id}, ${m.user.id}, 'member', 1, 0, 0)`);
  saldo.sql(`INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES (${u.org.id}, ${m.user.id}, 'service', ${s.soon})`);
  const r = await due(u, m.token);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.services.map((x) => x.id), [s.soon]);
  const no = await pay(u, [{ service_id: s.soon, period: 12 }, { service_id: s.late, period: 12 }], { token: m.token });
  assert.equal(no.status, 404);
  assert.equal(no.body.error.field, 'items[1].service_id');
  const yes = await pay(u, [{ service_id: s.soon, period: 12 }], { token: m.token });
  assert.equal(yes.status, 201, yes.text);
});
