// api_status.test.mjs - service-status announcements over the API: posting
// for everyone, for a product, a category or a service notifies exactly the
// organizations with an active or suspended service of them (in-app and by
// mail to the status address, else billing, else the administrator, over real
// SMTP); the unread count; a resolution closes its incident and reaches the
// same organizations; an update posts again; the public /status and
// /api/v1/status; who may do what; bad input names the field and writes
// nothing. Also abuse reports, mailed to the organization's abuse address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addCategory, addProduct, addService } from './lib/catalog_fixture.mjs';
import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

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
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const text = (title) => ({ title_en: title, title_it: `${title} (it)`, body_en: `About ${title}.`, body_it: `Su ${title}.` });
const post = (body, token = staff.token) => saldo.api('POST', '/api/v1/staff/announcements', { token, body });
const notes = (u, org = u.org.id) => saldo.api('GET', `/api/v1/orgs/${org}/notifications`, { token: u.token });
const count = (table) => Number(saldo.sql(`SELECT count(*) FROM ${table}`));
const mailsTo = (to, pred) => smtp.messages().filter((m) => m.to.includes(to) && pred(m));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A customer with an active service of product in a fresh category. */
async function customer(product, status = 'active', over = {}) {
  const u = await signUp(saldo, over);
  const service = product ? addService(saldo, u.org.id, product, { status }) : 0;
  return { ...u, service };
}

test('a targeted incident reaches exactly the customers of the product, category or service', async () => {
  const cat = addCategory(saldo);
  const other = addCategory(saldo);
  const vps = addProduct(saldo, cat);
  const vps2 = addProduct(saldo, cat);
  const mail = addProduct(saldo, other);
  const a = await customer(vps);
  const b = await customer(vps2, 'suspended');
  const c = await customer(mail);
  const d = await customer(vps, 'terminated');
  const e = await customer(null);
  // a's status mail goes to its status address, b's to billing (fallback), c's to the admin.
  let r = await saldo.api('PUT', `/api/v1/orgs/${a.org.id}/notification-addresses`,
    { token: a.token, body: { billing: null, support: null, abuse: null, status: 'noc-a@example.test' } });
  assert.equal(r.status, 200, r.text);
  r = await saldo.api('PUT', `/api/v1/orgs/${b.org.id}/notification-addresses`,
    { token: b.token, body: { billing: 'bills-b@example.test', support: null, abuse: null, status: null } });
  assert.equal(r.status, 200, r.text);

  // A product: only a (active); d's service is terminated.
  r = await post({ kind: 'incident', ...text('VPS network down'), audience: 'targeted', product_ids: [vps] });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/announcements', r);
  assert.equal(r.body.organizations, 1);
  assert.equal(r.body.public, false, 'targeted ones are not public by default');
  assert.deepEqual(r.body.targets, [{ kind: 'product', id: vps }]);
  const incident = r.body.id;
  await smtp.waitFor('noc-a@example.test', (m) => m.subject.includes('VPS network down'));
  for (const u of [b, c, d, e]) {
    const n = await notes(u);
    assert.equal(n.status, 200, n.text);
    assert.equal(n.body.notifications.filter((x) => x.kind.startsWith('announcement.')).length, 0, u.email);
  }
  let n = await notes(a);
  assertAnswer(doc, 'GET', '/api/v1/orgs/{org_id}/notifications', n);
  assert.equal(n.body.unread, 1);
  assert.equal(n.body.notifications[0].kind, 'announcement.incident');
  assert.equal(n.body.notifications[0].title, 'VPS network down');
  assert.equal(n.body.notifications[0].announcement_id, incident);

  // A category: a and b (suspended counts), not c.
  r = await post({ kind: 'maintenance', ...text('Storage upgrade'), audience: 'targeted', category_ids: [cat],
    starts_at: '2030-01-10T02:00', ends_at: '2030-01-10T04:00' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.organizations, 2);
  assert.equal(r.body.starts_at_local, '2030-01-10 02:00 CET');
  assert.equal(r.body.starts_at, '2030-01-10T01:00:00Z');
  await smtp.waitFor('bills-b@example.test', (m) => m.subject.includes('Storage upgrade'));
  await smtp.waitFor('noc-a@example.test', (m) => m.subject.includes('Storage upgrade'));
  n = await notes(b);
  assert.equal(n.body.unread, 1);
  assert.equal(n.body.notifications[0].starts_at_local, '2030-01-10 02:00 CET');
  assert.equal((await notes(c)).body.unread, 0);

  // A service: only c.
  r = await post({ kind: 'incident', ...text('Mailbox slow'), audience: 'targeted', service_ids: [c.service] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.organizations, 1);
  await smtp.waitFor(c.email, (m) => m.subject.includes('Mailbox slow'));
  assert.equal((await notes(c)).body.unread, 1);
  assert.equal((await notes(a)).body.unread, 2);
  await sleep(300);
  for (const u of [d, e]) {
    assert.equal(mailsTo(u.email, (m) => /^(Incident|Scheduled maintenance|Resolved):/.test(m.subject)).length, 0, u.email);
  }
  assert.equal(mailsTo(c.email, (m) => m.subject.includes('VPS')).length, 0);

  // Marking read clears the count for that member.
  r = await saldo.api('POST', `/api/v1/orgs/${a.org.id}/notifications/read`, { token: a.token });
  assert.equal(r.status, 204);
  assert.equal((await notes(a)).body.unread, 0);

  // The resolution goes to the incident's organizations and closes it.
  r = await post({ kind: 'resolved', ...text('VPS network back'), parent_id: incident });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.organizations, 1);
  await smtp.waitFor('noc-a@example.test', (m) => m.subject.includes('VPS network back'));
  r = await saldo.api('GET', `/api/v1/staff/announcements/${incident}`, { token: staff.token });
  assert.equal(r.status, 200);
  assert.match(r.body.closed_at, /^\d{4}-/);
  r = await post({ kind: 'resolved', ...text('Again'), parent_id: incident });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'parent_id', 'an incident is closed once');

  // An update posts a new notification and mail.
  r = await saldo.api('PATCH', `/api/v1/staff/announcements/${incident}`, { token: staff.token,
    body: { title_en: 'VPS network down (postmortem)' } });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'PATCH', '/api/v1/staff/announcements/{announcement_id}', r);
  assert.equal(r.body.title_en, 'VPS network down (postmortem)');
  await smtp.waitFor('noc-a@example.test', (m) => m.subject.startsWith('[Update]'));
  assert.equal((await notes(a)).body.unread, 2);

  r = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const actions = r.body.entries.filter((e) => e.target_kind === 'announcement' && e.target_id === incident)
    .map((e) => e.action);
  assert.deepEqual(actions.sort(), ['announcement.post', 'announcement.update']);

  r = await saldo.api('GET', '/api/v1/staff/announcements', { token: staff.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/staff/announcements', r);
  assert.ok(r.body.announcements.length >= 4);
});

test('members limited to some services see only the announcements about theirs; admins see all', async () => {
  const catA = addCategory(saldo);
  const catB = addCategory(saldo);
  const pa = addProduct(saldo, catA);
  const pb = addProduct(saldo, catB);
  const admin = await customer(pa);
  const sb = addService(saldo, admin.org.id, pb, { status: 'active' });
  const limitedA = await signUp(saldo);
  const limitedB = await signUp(saldo);
  const t = Math.floor(Date.now() / 1000) + 1;
  for (const [u, kind, ref] of [[limitedA, 'service', admin.service], [limitedB, 'category', catB]]) {
    saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at, access_all)
               VALUES (${admin.org.id}, ${u.user.id}, 'member', 0, ${t}, 0)`);
    saldo.sql(`INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES (${admin.org.id}, ${u.user.id}, '${kind}', ${ref})`);
  }
  const r = await post({ kind: 'incident', ...text('Only category B'), audience: 'targeted', product_ids: [pb] });
  assert.equal(r.status, 201, r.text);
  const titles = async (u) => (await notes(u, admin.org.id)).body.notifications.map((x) => x.title);
  assert.deepEqual(await titles(admin), ['Only category B']);
  assert.deepEqual(await titles(limitedB), ['Only category B'], 'B may see the service of category B');
  assert.deepEqual(await titles(limitedA), [], 'A sees only its own service');
  assert.equal((await notes(limitedA, admin.org.id)).body.unread, 0);
  assert.equal((await notes(limitedB, admin.org.id)).body.unread, 1);
  assert.ok(sb > 0);
});

test('an announcement for everyone reaches every organization, in its language, and shows on /status', async () => {
  const it = await customer(null, 'active', { language: 'it' });
  const en = await customer(null);
  const r = await post({ kind: 'incident', ...text('Datacenter power') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.audience, 'everyone');
  assert.equal(r.body.public, true);
  assert.equal(r.body.organizations, Number(saldo.sql('SELECT count(*) FROM orgs')));
  const m = await smtp.waitFor(it.email, (x) => x.subject.includes('Datacenter power (it)'));
  assert.match(m.subject, /^Disservizio: /);
  assert.match(m.text, /\/status/);
  await smtp.waitFor(en.email, (x) => x.subject === 'Incident: Datacenter power');
  assert.equal((await notes(it)).body.notifications[0].title, 'Datacenter power (it)');

  let s = await saldo.api('GET', '/api/v1/status', { headers: { 'Accept-Language': 'en' } });
  assert.equal(s.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/status', s);
  assert.equal(s.body.operational, false);
  const shown = s.body.incidents.find((x) => x.id === r.body.id);
  assert.equal(shown.title, 'Datacenter power');
  assert.equal(shown.body, 'About Datacenter power.');
  assert.ok(!s.body.incidents.some((x) => x.title.startsWith('Mailbox slow')), 'targeted, not public: hidden');
  assert.ok(!s.body.incidents.some((x) => x.title.startsWith('VPS network')), 'resolved: not current');
  assert.ok(s.body.maintenance.every((x) => x.title !== 'Storage upgrade'), 'targeted, not public');

  // A targeted public one shows its title and kind only.
  const cat = addCategory(saldo);
  const p = await post({ kind: 'maintenance', ...text('Router swap'), audience: 'targeted', public: true,
    category_ids: [cat], starts_at: '2031-06-01T01:00', ends_at: '2031-06-01T03:00' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.organizations, 0);
  s = await saldo.api('GET', '/api/v1/status', { headers: { 'Accept-Language': 'en' } });
  assert.equal((await saldo.api('GET', '/api/v1/status')).body.maintenance.find((x) => x.id === p.body.id).title,
    'Router swap (it)', 'Italian without a language asked');
  const mt = s.body.maintenance.find((x) => x.id === p.body.id);
  assert.equal(mt.title, 'Router swap');
  assert.equal(mt.body, null);
  assert.equal(mt.details, false);

  const page = await fetch(`${saldo.url}/status`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Datacenter power/);
  assert.match(html, /Router swap/);
  assert.doesNotMatch(html, /Mailbox slow/);

  const res = await post({ kind: 'resolved', ...text('Power back'), parent_id: r.body.id });
  assert.equal(res.status, 201, res.text);
  s = await saldo.api('GET', '/api/v1/status');
  assert.ok(!s.body.incidents.some((x) => x.id === r.body.id));
  assert.ok(s.body.resolved.some((x) => x.id === res.body.id && x.parent_id === r.body.id));
});

test('bad input names the field and writes nothing; customers may not post', async () => {
  const cat = addCategory(saldo);
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const before = [count('announcements'), count('notifications'), count('outbox')];
  const cases = [
    [{ ...text('x') }, 'kind'],
    [{ kind: 'outage', ...text('x') }, 'kind'],
    [{ kind: 'incident', ...text('x'), title_en: '' }, 'title_en'],
    [{ kind: 'incident', ...text('x'), body_it: 'x'.repeat(5001) }, 'body_it'],
    [{ kind: 'maintenance', ...text('x') }, 'starts_at'],
    [{ kind: 'maintenance', ...text('x'), starts_at: '2030-01-01T05:00', ends_at: '2030-01-01T04:00' }, 'ends_at'],
    [{ kind: 'maintenance', ...text('x'), starts_at: 'tomorrow', ends_at: '2030-01-01T04:00' }, 'starts_at'],
    [{ kind: 'incident', ...text('x'), ends_at: '2030-01-01T04:00' }, 'ends_at'],
    [{ kind: 'incident', ...text('x'), audience: 'some' }, 'audience'],
    [{ kind: 'incident', ...text('x'), audience: 'targeted' }, 'product_ids'],
    [{ kind: 'incident', ...text('x'), audience: 'targeted', product_ids: [999999] }, 'product_ids'],
    [{ kind: 'incident', ...text('x'), audience: 'targeted', category_ids: ['a'] }, 'category_ids'],
    [{ kind: 'incident', ...text('x'), audience: 'targeted', service_ids: [999999] }, 'service_ids'],
    [{ kind: 'incident', ...text('x'), category_ids: [cat] }, 'audience'],
    [{ kind: 'resolved', ...text('x') }, 'parent_id'],
    [{ kind: 'resolved', ...text('x'), parent_id: 999999 }, 'parent_id'],
    [{ kind: 'incident', ...text('x'), parent_id: 1 }, 'parent_id'],
    [{ kind: 'incident', ...text('x'), public: 'yes' }, 'public'],
  ];
  for (const [body, field] of cases) {
    const r = await post(body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 120)}: ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body).slice(0, 120));
  }
  let r = await saldo.api('POST', '/api/v1/staff/announcements', { token: staff.token, raw: '{"kind":',
    headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  r = await saldo.api('PATCH', '/api/v1/staff/announcements/999999', { token: staff.token, body: { title_en: 'x' } });
  assert.equal(r.status, 404);
  r = await post({ kind: 'incident', ...text('x') }, u.token);
  assert.equal(r.status, 401, 'a customer token is no staff session');
  r = await saldo.api('GET', '/api/v1/staff/announcements');
  assert.equal(r.status, 401);
  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/notifications`);
  assert.equal(r.status, 401);
  r = await saldo.api('GET', `/api/v1/orgs/${other.org.id}/notifications`, { token: u.token });
  assert.equal(r.status, 404, "another organization's notifications are not found");
  assert.deepEqual([count('announcements'), count('notifications'), count('outbox')], before);
});

test('the back office form targets products and categories by ticking them in the catalog', async () => {
  const cat = addCategory(saldo);
  const vps = addProduct(saldo, cat);
  const mail = addProduct(saldo, addCategory(saldo));
  const a = await customer(vps);
  const c = await customer(mail);
  const email = `announcer${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const login = await web.post('/staff/login', { _csrf: await web.csrf('/staff/login'), email, password: 'staff password 1' });
  assert.equal(login.status, 303, login.text);
  const page = await web.get('/staff/announcements');
  assert.equal(page.status, 200);
  for (const [name, id] of [['product', vps], ['product', mail], ['category', cat]]) {
    assert.ok(page.text.includes(`name="${name}" value="${id}"`), `a ${name} box for ${id}`);
  }
  const fields = { kind: 'incident', title_en: 'Form targeted', title_it: 'Mirato', body_en: 'About it.', body_it: 'Su di esso.',
    audience: 'targeted', visibility: 'default', service_ids: '' };
  const before = [count('announcements'), count('notifications')];
  const none = await web.post('/staff/announcements', { _csrf: await web.csrf('/staff/announcements'), ...fields });
  assert.equal(none.status, 422, 'targeted with nothing ticked');
  assert.match(none.text, /id="targets-error"[^>]*>Choose products, categories or services/);
  assert.deepEqual([count('announcements'), count('notifications')], before, 'a refused form writes nothing');
  const ok = await web.post('/staff/announcements', { _csrf: await web.csrf('/staff/announcements'), ...fields, product: String(vps) });
  assert.equal(ok.status, 303, ok.text);
  const titles = async (u) => (await notes(u)).body.notifications.map((n) => n.title || n.detail?.title_en || JSON.stringify(n));
  assert.ok((await titles(a)).some((t) => String(t).includes('Form targeted')), 'the customer of the ticked product is told');
  assert.ok(!(await titles(c)).some((t) => String(t).includes('Form targeted')), 'the customer of another product is not');
});

test('abuse reports go to the abuse address, else the administrator; admins see them', async () => {
  const cat = addCategory(saldo);
  const prod = addProduct(saldo, cat);
  const a = await customer(prod);
  const b = await customer(null);
  let r = await saldo.api('PUT', `/api/v1/orgs/${a.org.id}/notification-addresses`,
    { token: a.token, body: { billing: null, support: null, abuse: 'abuse-a@example.test', status: null } });
  assert.equal(r.status, 200, r.text);
  const p = (org, body) => saldo.api('POST', `/api/v1/staff/orgs/${org}/abuse-reports`, { token: staff.token, body });
  r = await p(a.org.id, { service_id: a.service, subject: 'Spam from your VPS', body: 'We received complaints.',
    evidence: 'Received: from vps.example.test' });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/orgs/{org_id}/abuse-reports', r);
  assert.equal(r.body.recipient, 'abuse-a@example.test');
  const m = await smtp.waitFor('abuse-a@example.test', (x) => x.subject.includes('Spam from your VPS'));
  assert.match(m.text, /Received: from vps.example.test/);
  r = await p(b.org.id, { subject: 'Phishing page', body: 'Please remove it.' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.recipient, b.email);
  await smtp.waitFor(b.email, (x) => x.subject.includes('Phishing page'));

  const n = await notes(a);
  assert.equal(n.body.notifications[0].kind, 'abuse.report');
  assert.equal(n.body.notifications[0].subject, 'Spam from your VPS');
  // A member who is not an administrator does not see it.
  const member = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at)
             VALUES (${a.org.id}, ${member.user.id}, 'member', 1, ${Math.floor(Date.now() / 1000) + 1})`);
  r = await post({ kind: 'incident', ...text('Abuse test product down'), audience: 'targeted', product_ids: [prod] });
  assert.equal(r.status, 201, r.text);
  const mn = await notes(member, a.org.id);
  assert.equal(mn.status, 200);
  assert.ok(!mn.body.notifications.some((x) => x.kind === 'abuse.report'), 'abuse reports: administrators only');
  assert.ok(mn.body.notifications.some((x) => x.kind === 'announcement.incident'), 'announcements: every member');

  r = await saldo.api('GET', `/api/v1/staff/orgs/${a.org.id}/abuse-reports`, { token: staff.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/staff/orgs/{org_id}/abuse-reports', r);
  assert.equal(r.body.abuse_reports.length, 1);

  const before = count('abuse_reports');
  for (const [body, field] of [[{ body: 'x' }, 'subject'], [{ subject: 'x' }, 'body'],
    [{ subject: 'x', body: 'y', service_id: b.service || 999999 }, 'service_id'],
    [{ subject: 'x', body: 'y', evidence: 5 }, 'evidence']]) {
    r = await p(a.org.id, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, field);
  }
  r = await p(999999, { subject: 'x', body: 'y' });
  assert.equal(r.status, 404);
  assert.equal(count('abuse_reports'), before);
});
