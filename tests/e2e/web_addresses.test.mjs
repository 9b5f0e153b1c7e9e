// web_addresses.test.mjs - the pages of billing addresses, notification
// addresses, the data export and account deletion over plain HTTP: forms
// without JavaScript, errors next to their fields with nothing saved, the
// default and versions, 404 pages for members without the billing right, CSRF,
// the export as a file, and deletion refused with its reasons, then done.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); });

async function webUser(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

function addMember(org, user, { role = 'member', billing = 0 } = {}) {
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at)
             VALUES (${org}, ${user}, '${role}', ${billing}, ${Math.floor(Date.now() / 1000) - 100})`);
}

const milan = { recipient: 'Rossi S.r.l.', street: 'Via Dante 12', extra: '', postal_code: '20121', city: 'Milano', province: 'mi', country: 'it' };

test('add addresses through the form; errors stay next to the field and nothing is saved', async () => {
  const u = await webUser({ language: 'en' });
  let page = await u.web.get('/organization/addresses');
  assert.equal(page.status, 200);
  assert.match(page.text, /No billing address yet/);
  assert.match(page.text, /id="country"[^>]*value="IT"/, 'the user\'s country is proposed');
  const _csrf = await u.web.csrf('/organization/addresses');

  let r = await u.web.post('/organization/addresses', { _csrf, ...milan, postal_code: '123' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="postal_code-error">An Italian postal code \(CAP\) has five digits/);
  assert.match(r.text, /id="recipient"[^>]*value="Rossi S.r.l."/, 'the form is filled in again');
  r = await u.web.post('/organization/addresses', { _csrf, ...milan, province: 'XX' });
  assert.match(r.text, /id="province-error">Enter the two-letter code of the province/);
  r = await u.web.post('/organization/addresses', { _csrf, ...milan, country: 'QQ' });
  assert.match(r.text, /id="country-error">/);
  r = await u.web.post('/organization/addresses', { _csrf, ...milan, recipient: ' ' });
  assert.match(r.text, /id="recipient-error">This field is required/);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM billing_addresses WHERE org_id = ${u.org.id}`), '0');

  r = await u.web.post('/organization/addresses', { _csrf, ...milan });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/organization/addresses');
  page = await u.web.get('/organization/addresses');
  assert.match(page.text, /The address has been added/);
  assert.match(page.text, /badge-ok">Default<\/span>Rossi S.r.l., Via Dante 12, 20121 Milano MI, IT/);

  r = await u.web.post('/organization/addresses', { _csrf, recipient: 'Anna', street: 'Linden 5', city: 'Berlin', country: 'DE', default: '1' });
  assert.equal(r.status, 303);
  page = await u.web.get('/organization/addresses');
  assert.match(page.text, /Default<\/span>Anna, Linden 5, Berlin, DE/, 'the new default comes first');
  r = await u.web.post('/organization/addresses', { recipient: 'no csrf', street: 's', city: 'c', country: 'DE' });
  assert.equal(r.status, 403);
});

test('edit makes a new version, make default, delete', async () => {
  const u = await webUser({ language: 'it' });
  const _csrf = await u.web.csrf('/organization/addresses');
  await u.web.post('/organization/addresses', { _csrf, ...milan });
  await u.web.post('/organization/addresses', { _csrf, recipient: 'Anna', street: 'Linden 5', city: 'Berlin', country: 'DE' });
  const [a, b] = saldo.sql(`SELECT id FROM billing_addresses WHERE org_id = ${u.org.id} ORDER BY id`).split('\n');

  let page = await u.web.get(`/organization/addresses/${a}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Modifica indirizzo/);
  assert.match(page.text, /id="street"[^>]*value="Via Dante 12"/);
  let r = await u.web.post(`/organization/addresses/${a}`, { _csrf, ...milan, city: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="city-error">Questo campo è obbligatorio/);
  r = await u.web.post(`/organization/addresses/${a}`, { _csrf, ...milan, street: 'Corso Como 1' });
  assert.equal(r.status, 303);
  const rows = saldo.sql(`SELECT id, street, is_default, CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END FROM billing_addresses WHERE org_id = ${u.org.id} ORDER BY id`);
  const [, , c] = rows.split('\n').map((l) => l.split('|')[0]);
  assert.equal(rows, `${a}|Via Dante 12|0|1\n${b}|Linden 5|0|0\n${c}|Corso Como 1|1|0`);
  assert.equal((await u.web.get(`/organization/addresses/${a}`)).status, 404, 'an old version is not editable');

  r = await u.web.post(`/organization/addresses/${b}/default`, { _csrf });
  assert.equal(r.status, 303);
  page = await u.web.get('/organization/addresses');
  assert.match(page.text, /Ora questo è l’indirizzo di fatturazione predefinito|predefinito/);
  assert.equal(saldo.sql(`SELECT id FROM billing_addresses WHERE org_id = ${u.org.id} AND is_default = 1`), b);
  r = await u.web.post(`/organization/addresses/${b}/delete`, { _csrf });
  assert.equal(r.status, 303);
  assert.equal(saldo.sql(`SELECT id FROM billing_addresses WHERE org_id = ${u.org.id} AND is_default = 1`), c);
  assert.equal((await u.web.post(`/organization/addresses/${b}/delete`, { _csrf })).status, 404);
});

test('members without the billing right get 404 pages; other organizations\' addresses are 404', async () => {
  const owner = await webUser();
  const plain = await webUser();
  const other = await webUser();
  addMember(owner.org.id, plain.user.id, { billing: 0 });
  saldo.sql(`DELETE FROM memberships WHERE user_id = ${plain.user.id} AND org_id = ${plain.org.id}`);
  const _csrf = await owner.web.csrf('/organization/addresses');
  await owner.web.post('/organization/addresses', { _csrf, ...milan });
  const id = saldo.sql(`SELECT id FROM billing_addresses WHERE org_id = ${owner.org.id}`);
  assert.equal((await plain.web.get('/organization/addresses')).status, 404);
  assert.equal((await plain.web.get(`/organization/addresses/${id}`)).status, 404);
  const pc = await plain.web.csrf('/profile');
  assert.equal((await plain.web.post('/organization/addresses', { _csrf: pc, ...milan })).status, 404);
  assert.equal((await plain.web.post(`/organization/addresses/${id}/delete`, { _csrf: pc })).status, 404);
  const oc = await other.web.csrf('/profile');
  assert.equal((await other.web.get(`/organization/addresses/${id}`)).status, 404);
  assert.equal((await other.web.post(`/organization/addresses/${id}/default`, { _csrf: oc })).status, 404);
  assert.equal((await other.web.post(`/organization/addresses/${id}`, { _csrf: oc, ...milan, city: 'Roma' })).status, 404);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM billing_addresses WHERE org_id = ${owner.org.id}`), '1', 'nothing changed');
  // The member still sees the notification addresses, read-only.
  const n = await plain.web.get('/organization/notifications');
  assert.equal(n.status, 200);
  assert.match(n.text, /readonly/);
  assert.equal((await plain.web.post('/organization/notifications', { _csrf: pc, billing: 'x@example.test' })).status, 404);
  assert.equal((await new WebClient(saldo.url).get('/organization/addresses')).status, 303, 'signed out: to the sign-in');
});

test('notification addresses: the administrator as placeholder, errors next to the field', async () => {
  const u = await webUser({ language: 'en' });
  let page = await u.web.get('/organization/notifications');
  assert.equal(page.status, 200);
  for (const kind of ['billing', 'support', 'abuse', 'status']) {
    assert.match(page.text, new RegExp(`id="notify-${kind}"[^>]*value=""[^>]*placeholder="${u.email.replace(/\./g, '\\.')}"`));
  }
  const _csrf = await u.web.csrf('/organization/notifications');
  let r = await u.web.post('/organization/notifications', { _csrf, billing: 'nope', support: '', abuse: '', status: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="notify-billing-error">Enter a valid email address/);
  assert.match(r.text, /id="notify-billing"[^>]*value="nope"/);
  r = await u.web.post('/organization/notifications', { _csrf, billing: 'Invoices@Example.test', support: '', abuse: '', status: 'ops@example.test' });
  assert.equal(r.status, 303);
  page = await u.web.get('/organization/notifications');
  assert.match(page.text, /saved/);
  assert.match(page.text, /id="notify-billing"[^>]*value="invoices@example.test"/);
  const api = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/notification-addresses`, { token: u.token });
  assert.equal(api.body.status.address, 'ops@example.test');
  assert.equal(api.body.support.fallback, true);
});

test('the profile offers the export as a file', async () => {
  const u = await webUser();
  const profile = await u.web.get('/profile');
  assert.match(profile.text, /href="\/profile\/export" download/);
  const r = await u.web.get('/profile/export');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="saldo-export-\d{4}-\d\d-\d\d\.json"$/);
  const e = JSON.parse(r.text);
  assert.equal(e.user.email, u.email);
  assert.ok(!r.text.includes(u.web.jar.get('saldo_session')), 'not the session token');
});

test('delete the account from the profile: refused with the reasons, then done', async () => {
  const u = await webUser({ language: 'en' });
  let key = 0;
  const adjust = (minor) => saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, {
    token: staff.token, body: { amount: { currency: 'EUR', minor }, reason: 'test adjustment' },
    headers: { 'Idempotency-Key': `web-del-${u.user.id}-${++key}` },
  });
  await adjust(700);
  let profile = await u.web.get('/profile');
  assert.match(profile.text, /id="delete-blocked"/);
  assert.match(profile.text, /still holds money: withdraw the balance first/);
  const _csrf = await u.web.csrf('/profile');
  let r = await u.web.post('/profile/delete', { _csrf, delete_password: u.password, delete_confirm: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /withdraw the balance first/);
  await adjust(-700);
  profile = await u.web.get('/profile');
  assert.doesNotMatch(profile.text, /id="delete-blocked"/);
  assert.match(profile.text, /action="\/profile\/delete"/);

  r = await u.web.post('/profile/delete', { _csrf, delete_password: u.password });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="delete_confirm-error">Tick the box to confirm/);
  r = await u.web.post('/profile/delete', { _csrf, delete_password: 'wrong password', delete_confirm: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="delete_password-error">The password is wrong/);
  r = await u.web.post('/profile/delete', { delete_password: u.password, delete_confirm: '1' });
  assert.equal(r.status, 403, 'CSRF');
  assert.equal((await u.web.get('/profile')).status, 200, 'nothing changed');

  r = await u.web.post('/profile/delete', { _csrf, delete_password: u.password, delete_confirm: '1' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
  const login = await u.web.get('/login');
  assert.match(login.text, /Your account has been deleted/);
  assert.equal((await u.web.get('/profile')).status, 303, 'signed out');
  assert.equal(saldo.sql(`SELECT email FROM users WHERE id = ${u.user.id}`), `deleted-${u.user.id}@invalid`);
});

test('the last administrator of an organization with members sees why', async () => {
  const u = await webUser({ language: 'it' });
  const m = await signUp(saldo);
  addMember(u.org.id, m.user.id);
  const page = await u.web.get('/profile/delete');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="delete-blocked"/);
  assert.match(page.text, /ultimo amministratore/);
  assert.doesNotMatch(page.text, /name="delete_password"/);
});
