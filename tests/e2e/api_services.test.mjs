// api_services.test.mjs - services over the API: the list and detail, 404 for
// other organizations, members limited to services or categories, PATCH of
// auto-renew and period (422 naming the field, a mail for each auto-renew
// change), staff status changes and the refusal of impossible ones, each in
// the audit logs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { addCategory, addProduct, addService, insertId } from './lib/catalog_fixture.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let smtp;
let doc;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const base = (org) => `/api/v1/orgs/${org}/services`;
const now = () => Math.floor(Date.now() / 1000);

test('list and detail: product name, status, dates, period, price as money, auto_renew; pages', async () => {
  const u = await signUp(saldo);
  const cat = addCategory(saldo);
  const prod = addProduct(saldo, cat, { name: 'VPS Large' });
  const ids = [1, 2, 3].map((i) => addService(saldo, u.org.id, prod, { label: `host${i}.example`, status: 'active' }));
  let r = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'get', '/api/v1/orgs/{org_id}/services', r);
  assert.deepEqual(r.body.services.map((s) => s.id), ids);
  const s = r.body.services[0];
  assert.equal(s.product.name, 'VPS Large');
  assert.equal(s.status, 'active');
  assert.deepEqual({ currency: s.price.currency, minor: s.price.minor }, { currency: 'EUR', minor: 1200 });
  assert.equal(s.period_months, 12);
  assert.equal(s.auto_renew, false);
  assert.match(s.expires_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(r.body.next_cursor, null);

  r = await saldo.api('GET', `${base(u.org.id)}?limit=2`, { token: u.token });
  assert.deepEqual(r.body.services.map((x) => x.id), ids.slice(0, 2));
  r = await saldo.api('GET', `${base(u.org.id)}?limit=2&cursor=${r.body.next_cursor}`, { token: u.token });
  assert.deepEqual(r.body.services.map((x) => x.id), ids.slice(2));
  r = await saldo.api('GET', `${base(u.org.id)}?limit=0`, { token: u.token });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'limit');
  r = await saldo.api('GET', `${base(u.org.id)}?cursor=x`, { token: u.token });
  assert.equal(r.body.error.field, 'cursor');
  r = await saldo.api('GET', `${base(u.org.id)}?cursor=%2B1`, { token: u.token }); /* strtoll would take "+1" */
  assert.equal(r.body.error.field, 'cursor');

  r = await saldo.api('GET', `${base(u.org.id)}/${ids[1]}`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'get', '/api/v1/orgs/{org_id}/services/{service_id}', r);
  assert.equal(r.body.label, 'host2.example');
});

test('another organization gets 404 on the list, the detail and the PATCH', async () => {
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const prod = addProduct(saldo, addCategory(saldo));
  const id = addService(saldo, u.org.id, prod);
  for (const [m, p, body] of [['GET', base(u.org.id)], ['GET', `${base(u.org.id)}/${id}`],
    ['PATCH', `${base(u.org.id)}/${id}`, { auto_renew: true }], ['GET', `${base(other.org.id)}/${id}`],
    ['PATCH', `${base(other.org.id)}/${id}`, { auto_renew: true }]]) {
    const r = await saldo.api(m, p, { token: other.token, body });
    assert.equal(r.status, 404, `${m} ${p} ${r.text}`);
  }
  const r = await saldo.api('GET', `${base(u.org.id)}/${id}`, { token: u.token });
  assert.equal(r.body.auto_renew, false, 'nothing changed');
});

test('a limited member sees and acts only on their services and categories', async () => {
  const admin = await signUp(saldo);
  const member = await signUp(saldo);
  const catA = addCategory(saldo);
  const catB = addCategory(saldo);
  const pa = addProduct(saldo, catA);
  const pb = addProduct(saldo, catB);
  const s1 = addService(saldo, admin.org.id, pa);
  const s2 = addService(saldo, admin.org.id, pb);
  const s3 = addService(saldo, admin.org.id, pb);
  const s4 = addService(saldo, admin.org.id, pa);
  const t = now() + 1;
  insertId(saldo, `INSERT INTO memberships (org_id, user_id, role, billing, created_at, access_all)
             VALUES (${admin.org.id}, ${member.user.id}, 'member', 0, ${t}, 0) RETURNING org_id`);
  insertId(saldo, `INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES
             (${admin.org.id}, ${member.user.id}, 'service', ${s1}),
             (${admin.org.id}, ${member.user.id}, 'category', ${catB}) RETURNING org_id`);
  let r = await saldo.api('GET', base(admin.org.id), { token: member.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.services.map((x) => x.id), [s1, s2, s3]);
  r = await saldo.api('GET', `${base(admin.org.id)}/${s4}`, { token: member.token });
  assert.equal(r.status, 404);
  r = await saldo.api('PATCH', `${base(admin.org.id)}/${s4}`, { token: member.token, body: { auto_renew: true } });
  assert.equal(r.status, 404);
  r = await saldo.api('PATCH', `${base(admin.org.id)}/${s2}`, { token: member.token, body: { auto_renew: true } });
  assert.equal(r.status, 200, r.text);
  r = await saldo.api('GET', base(admin.org.id), { token: admin.token });
  assert.equal(r.body.services.length, 4, 'the administrator sees every service');
});

test('PATCH: auto_renew only for eligible products, periods the product is sold for, a mail per change', async () => {
  const u = await signUp(saldo);
  const cat = addCategory(saldo);
  const renewing = addProduct(saldo, cat, { name: 'Hosting Plus' });
  const fixed = addProduct(saldo, cat, { autoRenew: 0 });
  const promo = addProduct(saldo, cat, { promotional: 1 });
  const id = addService(saldo, u.org.id, renewing, { status: 'active', label: 'shop.example' });
  const p = `${base(u.org.id)}/${id}`;

  let r = await saldo.api('PATCH', p, { token: u.token, body: { auto_renew: true } });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'patch', '/api/v1/orgs/{org_id}/services/{service_id}', r);
  assert.equal(r.body.auto_renew, true);
  let mail = await smtp.waitFor(u.email, (m) => /Automatic renewal switched on/.test(m.subject));
  assert.match(mail.text, /Hosting Plus \(shop\.example\)/);

  r = await saldo.api('PATCH', p, { token: u.token, body: { auto_renew: false, period: 24 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.auto_renew, false);
  assert.equal(r.body.period_months, 24);
  mail = await smtp.waitFor(u.email, (m) => /Automatic renewal switched off/.test(m.subject));
  const before = smtp.messages().length;

  for (const [body, field] of [[{ period: 5 }, 'period'], [{ period: '12' }, 'period'], [{ auto_renew: 'yes' }, 'auto_renew'],
    [{ auto_renew: null }, 'auto_renew'], [{ period: null }, 'period']]) {
    r = await saldo.api('PATCH', p, { token: u.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  const idFixed = addService(saldo, u.org.id, fixed, { status: 'active' });
  r = await saldo.api('PATCH', `${base(u.org.id)}/${idFixed}`, { token: u.token, body: { auto_renew: true } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'auto_renew');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${idFixed}`, { token: u.token, body: { auto_renew: false } });
  assert.equal(r.status, 200, 'switching off is always allowed');
  const idPromo = addService(saldo, u.org.id, promo, { status: 'active' });
  r = await saldo.api('PATCH', `${base(u.org.id)}/${idPromo}`, { token: u.token, body: { period: 6 } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'period');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${idPromo}`, { token: u.token, body: { period: 24 } });
  assert.equal(r.status, 200);

  r = await saldo.api('GET', p, { token: u.token });
  assert.equal(r.body.period_months, 24, 'refused changes changed nothing');
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(smtp.messages().length, before, 'no mail for refused or unchanged auto-renew');
  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/audit`, { token: u.token });
  assert.ok(r.body.entries.some((e) => e.action === 'service.settings'));
});

test('staff: activate with notes, suspend, unsuspend, terminate; impossible moves are 409', async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const prod = addProduct(saldo, addCategory(saldo), { name: 'Mail Pro', en: 'IMAP server: mail.example' });
  const id = addService(saldo, u.org.id, prod, { label: 'example.org' });
  const st = (action, body = {}) => saldo.api('POST', `/api/v1/staff/services/${id}/${action}`,
    { token: staff.token, body });

  let r = await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/services`, { token: staff.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'get', '/api/v1/staff/orgs/{org_id}/services', r);
  assert.equal(r.body.services[0].status, 'pending');

  for (const a of ['suspend', 'unsuspend', 'terminate']) {
    r = await st(a);
    assert.equal(r.status, 409, `${a} from pending`);
  }
  r = await st('activate', { notes: 'created the mailbox by hand' });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'post', '/api/v1/staff/services/{service_id}/activate', r);
  assert.equal(r.body.status, 'active');
  assert.equal(r.body.staff.notes, 'created the mailbox by hand');
  assert.ok(r.body.activated_at);
  const mail = await smtp.waitFor(u.email, (m) => /Mail Pro is active/.test(m.subject));
  assert.match(mail.text, /IMAP server: mail\.example/);

  r = await st('activate');
  assert.equal(r.status, 409, 'active again');
  r = await st('unsuspend');
  assert.equal(r.status, 409);
  r = await st('suspend', { notes: 'unpaid' });
  assert.equal(r.body.status, 'suspended');
  r = await st('cancel');
  assert.equal(r.status, 409, 'a suspended service cannot be cancelled');
  r = await st('unsuspend');
  assert.equal(r.body.status, 'active');
  r = await st('terminate');
  assert.equal(r.body.status, 'terminated');
  for (const a of ['activate', 'suspend', 'unsuspend', 'cancel', 'terminate']) {
    r = await st(a);
    assert.equal(r.status, 409, `${a} from terminated`);
  }
  r = await st('suspend', { notes: 'x'.repeat(5000) });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'notes');
  r = await saldo.api('POST', '/api/v1/staff/services/999999/activate', { token: staff.token, body: {} });
  assert.equal(r.status, 404);
  r = await saldo.api('POST', `/api/v1/staff/services/${id}/activate`, { token: u.token, body: {} });
  assert.ok(r.status === 401 || r.status === 403, 'customers are not staff');

  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/audit`, { token: u.token });
  const moves = r.body.entries.filter((e) => e.action === 'service.status').map((e) => e.detail.to);
  assert.deepEqual(moves.reverse(), ['active', 'suspended', 'active', 'terminated']);
  r = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  assert.ok(r.body.entries.some((e) => e.action === 'service.active' && e.target_id === id));

  const id2 = addService(saldo, u.org.id, prod);
  r = await saldo.api('POST', `/api/v1/staff/services/${id2}/cancel`, { token: staff.token, body: {} });
  assert.equal(r.body.status, 'cancelled');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${id2}`, { token: u.token, body: { auto_renew: true } });
  assert.equal(r.status, 409, 'a cancelled service keeps its settings');
});
