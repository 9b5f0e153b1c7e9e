// web_staff.test.mjs - the back office's pages over plain HTTP: they need a
// staff session in its own cookie (a customer's is not enough), one browser may
// hold both sessions, the adjustment form's CSRF token and idempotency key (a
// double submit posts once), amounts typed as people type them, errors next to
// their fields with nothing posted, searching organizations, and the audit log
// with sign-in, the adjustment and its reason, and sign-out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let apiStaff;
before(async () => {
  saldo = await startSaldo();
  apiStaff = await staffLogin(saldo);
});
after(async () => saldo.stop());

let staffNo = 0;
/** A staff account through the CLI, signed in through /staff/login. */
async function webStaff(lang = 'en') {
  const email = `backoffice${Date.now()}${++staffNo}@saldo.test`;
  const password = 'staff password 1';
  const add = saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  assert.equal(add.status, 0, add.stderr);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', lang);
  const _csrf = await web.csrf('/staff/login');
  const r = await web.post('/staff/login', { _csrf, email, password });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/staff');
  return { email, password, web, login: r };
}

/** The adjustment form of an organization's page: its _csrf and idempotency key. */
async function adjustForm(web, orgId) {
  const page = await web.get(`/staff/orgs/${orgId}`);
  assert.equal(page.status, 200, page.text);
  const form = page.text.slice(page.text.indexOf('/adjustments"'));
  return {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(form)[1],
    idempotency_key: /name="idempotency_key" value="([^"]+)"/.exec(form)[1],
    page,
  };
}

const transfers = async (orgId) => (await saldo.api('GET', `/api/v1/staff/orgs/${orgId}/transactions`,
  { token: apiStaff.token })).body.transactions;
const balances = async (orgId) => (await saldo.api('GET', `/api/v1/staff/orgs/${orgId}`,
  { token: apiStaff.token })).body.wallets.map((w) => [w.currency, w.balance.minor]);

test('back office pages need a staff session; a customer session is not enough', async () => {
  const u = await signUp(saldo);
  const customer = new WebClient(saldo.url);
  assert.equal((await customer.login(u.email, u.password)).status, 303);
  const customerToken = customer.jar.get('saldo_session');
  for (const p of ['/staff', '/staff/audit', `/staff/orgs/${u.org.id}`, '/staff?q=x']) {
    const anon = await fetch(saldo.url + p, { redirect: 'manual' });
    assert.equal(anon.status, 303, p);
    assert.equal(anon.headers.get('location'), '/staff/login', p);
    const asCustomer = await customer.get(p);
    assert.equal(asCustomer.status, 303, `${p} with a customer session`);
    assert.equal(asCustomer.headers.get('location'), '/staff/login');
    const planted = await fetch(saldo.url + p, { headers: { Cookie: `saldo_staff=${customerToken}` }, redirect: 'manual' });
    assert.equal(planted.status, 303, `${p} with a customer token in the staff cookie`);
  }
  const post = await customer.post(`/staff/orgs/${u.org.id}/adjustments`,
    { _csrf: await customer.csrf('/profile'), amount: '5', currency: 'EUR', direction: 'credit', reason: 'sneaky', idempotency_key: 'A'.repeat(43) });
  assert.equal(post.status, 303);
  assert.deepEqual(await transfers(u.org.id), [], 'nothing was posted');
  const wrong = new WebClient(saldo.url);
  const _csrf = await wrong.csrf('/staff/login');
  const bad = await wrong.post('/staff/login', { _csrf, email: u.email, password: u.password }, { 'Accept-Language': 'en' });
  assert.equal(bad.status, 401, 'a customer account is not a staff account');
  assert.match(bad.text, /The email or the password is wrong/);
  assert.ok(!wrong.jar.has('saldo_staff'));
  const noCsrf = await wrong.post('/staff/login', { email: u.email, password: u.password });
  assert.equal(noCsrf.status, 403);
});

test('the staff cookie: HttpOnly, SameSite=Strict, Path=/staff, short-lived; not a customer session', async () => {
  const s = await webStaff();
  const cookie = s.login.setCookies.find((c) => c.startsWith('saldo_staff='));
  const attrs = cookie.split(';').map((a) => a.trim());
  for (const a of ['HttpOnly', 'SameSite=Strict', 'Path=/staff', 'Max-Age=43200']) assert.ok(attrs.includes(a), a);
  assert.ok(!attrs.includes('Secure'), 'plain http');
  assert.ok(!s.web.jar.has('saldo_session'));
  const token = s.web.jar.get('saldo_staff');
  const home = await fetch(`${saldo.url}/`, { headers: { Cookie: `saldo_session=${token}` }, redirect: 'manual' });
  assert.equal(home.status, 303, 'a staff session does not open the client area');
  assert.equal(home.headers.get('location'), '/login');
  const page = await s.web.get('/staff');
  assert.equal(page.status, 200);
  assert.match(page.text, /class="topbar topbar-staff"/);
  assert.match(page.text, /Back office/);
  assert.ok(page.text.includes(s.email));
  assert.equal((await s.web.get('/staff/login')).headers.get('location'), '/staff', 'signed in already');
  const https = await startSaldo({ args: ['--base-url', 'https://billing.example.test'] });
  try {
    const email = 'secure@saldo.test';
    https.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' });
    const web = new WebClient(https.url);
    const r = await web.post('/staff/login', { _csrf: await web.csrf('/staff/login'), email, password: 'staff password 1' });
    assert.match(r.setCookies.find((c) => c.startsWith('saldo_staff=')), /; Secure/);
  } finally {
    await https.stop();
  }
});

test('one browser holds a customer session and a staff session without mixing them', async () => {
  const u = await signUp(saldo, { name: 'Both Sessions Srl' });
  const s = await webStaff();
  assert.equal((await s.web.login(u.email, u.password)).status, 303);
  const home = await s.web.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Welcome, Both Sessions Srl/);
  assert.doesNotMatch(home.text, /topbar-staff/);
  const bo = await s.web.get('/staff');
  assert.ok(bo.text.includes(s.email));
  const customerCsrf = /name="_csrf" value="([^"]+)"/.exec(home.text)[1];
  const staffCsrf = /name="_csrf" value="([^"]+)"/.exec(bo.text)[1];
  assert.notEqual(customerCsrf, staffCsrf);
  const crossed = await s.web.post('/staff/logout', { _csrf: customerCsrf });
  assert.equal(crossed.status, 403, "the customer's token does not work in the back office");
  const out = await s.web.post('/staff/logout', { _csrf: staffCsrf });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/staff/login');
  assert.ok(out.setCookies.some((c) => /^saldo_staff=;.*Max-Age=0.*Path=\/staff|^saldo_staff=; Path=\/staff; Max-Age=0/.test(c)));
  assert.match((await s.web.get('/staff/login')).text, /You have signed out of the back office/);
  assert.equal((await s.web.get('/staff')).status, 303, 'signed out of the back office');
  assert.equal((await s.web.get('/')).status, 200, 'still signed in as the customer');
});

test('search organizations by name or member email, as the API does', async () => {
  const u = await signUp(saldo, { name: 'Quercia <Hosting> 50% Srl' });
  const s = await webStaff();
  const byName = await s.web.get(`/staff?q=${encodeURIComponent('quercia <hosting> 50%')}`);
  assert.equal(byName.status, 200);
  assert.ok(byName.text.includes(`href="/staff/orgs/${u.org.id}"`));
  assert.match(byName.text, /Quercia &lt;Hosting&gt; 50% Srl/);
  assert.ok(byName.text.includes(u.email), 'the administrator is listed');
  const byEmail = await s.web.get(`/staff?q=${encodeURIComponent(u.email.toUpperCase())}`);
  assert.ok(byEmail.text.includes(`href="/staff/orgs/${u.org.id}"`));
  const api = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(u.email)}`, { token: apiStaff.token });
  assert.deepEqual(api.body.organizations.map((o) => o.id), [u.org.id]);
  const none = await s.web.get('/staff?q=no-such-organization-at-all');
  assert.match(none.text, /No organization matches/);
  const long = await s.web.get(`/staff?q=${'x'.repeat(201)}`);
  assert.equal(long.status, 422);
  assert.match(long.text, /id="q-error"/);
  assert.equal((await s.web.get('/staff/orgs/99999999')).status, 404);
  assert.equal((await s.web.get('/staff/orgs/abc')).status, 404);
  assert.equal((await s.web.get(`/staff/orgs/${u.org.id}?cursor=x`)).status, 404);
  const missing = await s.web.get('/staff/no/such/page');
  assert.equal(missing.status, 404);
  assert.match(missing.text, /topbar-staff/, 'errors in the back office use its layout');
});

test('the adjustment form needs its CSRF token: without it 403 and nothing posted', async () => {
  const u = await signUp(saldo);
  const s = await webStaff();
  const { _csrf, idempotency_key } = await adjustForm(s.web, u.org.id);
  const fields = { amount: '25.00', currency: 'EUR', direction: 'credit', reason: 'forged credit', idempotency_key };
  const none = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, fields);
  assert.equal(none.status, 403);
  assert.match(none.text, /topbar-staff/);
  const wrong = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { ...fields, _csrf: 'B'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.deepEqual(await transfers(u.org.id), []);
  const ok = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { ...fields, _csrf });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/staff/orgs/${u.org.id}?adjusted=EUR`);
  assert.deepEqual(await balances(u.org.id), [['EUR', 2500]]);
  const after = await s.web.get(ok.headers.get('location'));
  assert.match(after.text, /The adjustment has been posted/);
  assert.match(after.text, /bo-wallet bo-wallet-new" data-currency="EUR"[\s\S]*?€25\.00/);
  const fresh = /name="idempotency_key" value="([^"]+)"/.exec(after.text)[1];
  assert.notEqual(fresh, idempotency_key, 'a new form has a new key');
});

test('a double submit of one form posts once, also when both arrive together', async () => {
  const u = await signUp(saldo);
  const s = await webStaff();
  let form = await adjustForm(s.web, u.org.id);
  const fields = { _csrf: form._csrf, idempotency_key: form.idempotency_key, amount: '10', currency: 'USD',
    direction: 'credit', reason: 'double click' };
  const first = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, fields);
  const second = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, fields);
  assert.equal(first.status, 303);
  assert.equal(second.status, 303);
  assert.equal((await transfers(u.org.id)).length, 1);
  form = await adjustForm(s.web, u.org.id);
  const both = { ...fields, idempotency_key: form.idempotency_key, amount: '2.50' };
  const results = await Promise.all([1, 2, 3].map(() => s.web.post(`/staff/orgs/${u.org.id}/adjustments`, both)));
  assert.deepEqual(results.map((r) => r.status), [303, 303, 303]);
  assert.equal((await transfers(u.org.id)).length, 2);
  assert.deepEqual(await balances(u.org.id), [['USD', 1250]]);
  const other = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { ...both, amount: '3.00' });
  assert.equal(other.status, 409, 'the same key with other values is refused');
  assert.match(other.text, /already posted with other values/);
  assert.doesNotMatch(other.text, new RegExp(form.idempotency_key), 'the form comes back with a new key');
  assert.equal((await transfers(u.org.id)).length, 2);
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: apiStaff.token });
  assert.equal(audit.body.entries.filter((e) => e.action === 'wallet.adjust' && e.target_id === u.org.id).length, 2,
    'one audit entry per adjustment');
});

test('a debit beyond the balance shows the error next to the amount and changes nothing', async () => {
  const u = await signUp(saldo);
  const s = await webStaff('it');
  const { _csrf, idempotency_key } = await adjustForm(s.web, u.org.id);
  const post = (over) => s.web.post(`/staff/orgs/${u.org.id}/adjustments`,
    { _csrf, idempotency_key, currency: 'EUR', direction: 'credit', reason: 'prova di rettifica', ...over });
  assert.equal((await post({ amount: '1.234,56' })).status, 303, 'Italian amounts in the Italian page');
  assert.deepEqual(await balances(u.org.id), [['EUR', 123456]]);
  const form2 = await adjustForm(s.web, u.org.id);
  const debit = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { _csrf, idempotency_key: form2.idempotency_key,
    currency: 'EUR', direction: 'debit', amount: '1.234,57', reason: 'too much' });
  assert.equal(debit.status, 422);
  assert.match(debit.text, /id="amount-error">[^<]*(Il portafoglio|saldo)/);
  assert.match(debit.text, /id="amount" [^>]*value="1\.234,57"[^>]*aria-invalid="true"/);
  assert.match(debit.text, /value="debit" checked/);
  assert.ok(debit.text.includes(form2.idempotency_key), 'nothing was posted: the same key may be used again');
  const none = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { _csrf, idempotency_key: form2.idempotency_key,
    currency: 'USD', direction: 'debit', amount: '1', reason: 'no USD wallet' });
  assert.equal(none.status, 422);
  assert.match(none.text, /id="amount-error"/);
  for (const [over, field] of [[{ amount: '12.34' }, 'amount'], [{ amount: '1,001' }, 'amount'], [{ amount: '-5' }, 'amount'],
    [{ amount: '0' }, 'amount'], [{ amount: '' }, 'amount'], [{ amount: '5', reason: '' }, 'reason'],
    [{ amount: '5', reason: 'x' }, 'reason'], [{ amount: '5', currency: 'XXX' }, 'currency'],
    [{ amount: '5', direction: 'sideways' }, 'direction']]) {
    const r = await post({ idempotency_key: form2.idempotency_key, ...over });
    assert.equal(r.status, 422, JSON.stringify(over));
    assert.match(r.text, new RegExp(`id="${field}-error"`), JSON.stringify(over));
  }
  const bad = await post({ idempotency_key: 'short', amount: '5' });
  assert.equal(bad.status, 400, 'a form without its key');
  assert.deepEqual(await balances(u.org.id), [['EUR', 123456]]);
  assert.equal((await transfers(u.org.id)).length, 1);
  const ok = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`, { _csrf, idempotency_key: form2.idempotency_key,
    currency: 'EUR', direction: 'debit', amount: '1.234,56', reason: 'to zero' });
  assert.equal(ok.status, 303);
  assert.deepEqual(await balances(u.org.id), [['EUR', 0]]);
});

test('English amounts in the English page; the page shows members, wallets and paged transfers', async () => {
  const u = await signUp(saldo, { name: 'Paging Ltd' });
  const s = await webStaff('en');
  for (let i = 1; i <= 22; i++) {
    const { _csrf, idempotency_key } = await adjustForm(s.web, u.org.id);
    const r = await s.web.post(`/staff/orgs/${u.org.id}/adjustments`,
      { _csrf, idempotency_key, currency: 'GBP', direction: 'credit', amount: i === 22 ? '1,000.50' : '1', reason: `credit ${i}` });
    assert.equal(r.status, 303, r.text);
  }
  const page = await s.web.get(`/staff/orgs/${u.org.id}`);
  assert.ok(page.text.includes(u.email));
  assert.match(page.text, /Administrator/);
  assert.match(page.text, /£1,021\.50/);
  assert.equal((page.text.match(/<tr>\s*<td class="num muted">/g) || []).length, 20);
  const older = /href="(\/staff\/orgs\/\d+\?cursor=\d+)" rel="next"/.exec(page.text);
  assert.ok(older);
  const second = await s.web.get(older[1]);
  assert.equal((second.text.match(/<tr>\s*<td class="num muted">/g) || []).length, 2);
  assert.match(page.text, /<option value="GBP" selected>GBP<\/option>/, "the organization's currency first");
  for (const c of ['EUR', 'USD', 'CHF']) assert.match(page.text, new RegExp(`<option value="${c}"`));
});

test('the audit log lists sign-in, the adjustment with its reason, and sign-out, newest first', async () => {
  const u = await signUp(saldo);
  const s = await webStaff('en');
  const { _csrf, idempotency_key } = await adjustForm(s.web, u.org.id);
  const reason = 'Outage of 12 March <ticket #4521>';
  assert.equal((await s.web.post(`/staff/orgs/${u.org.id}/adjustments`,
    { _csrf, idempotency_key, currency: 'EUR', direction: 'credit', amount: '7.25', reason })).status, 303);
  const page = await s.web.get('/staff/audit');
  assert.equal(page.status, 200);
  const rows = page.text.split('<tr data-action=').slice(1);
  const mine = rows.filter((row) => row.includes(s.email));
  assert.match(mine[0], /^"wallet\.adjust"/, 'newest first');
  assert.match(mine[0], /Credit adjustment/);
  assert.ok(mine[0].includes('Outage of 12 March &lt;ticket #4521&gt;'), 'the reason, escaped');
  assert.match(mine[0], /\+€7\.25/);
  assert.ok(mine[0].includes(`href="/staff/orgs/${u.org.id}"`));
  assert.match(mine[1], /^"staff\.sign_in"[\s\S]*Signed in[\s\S]*Back office pages/);
  await s.web.post('/staff/logout', { _csrf });
  const api = await saldo.api('GET', '/api/v1/staff/audit', { token: apiStaff.token });
  const own = api.body.entries.filter((e) => e.staff_email === s.email).map((e) => e.action);
  assert.deepEqual(own, ['staff.sign_out', 'wallet.adjust', 'staff.sign_in']);
  const viaApi = api.body.entries.find((e) => e.staff_email === apiStaff.email && e.action === 'staff.sign_in');
  assert.equal(viaApi.detail.via, 'api', 'API sign-ins are audited too');
  assert.equal((await s.web.get('/staff/audit')).status, 303, 'signed out');
});

test('the audit log is paged', async () => {
  const s = await webStaff();
  for (let i = 0; i < 50; i++) {
    const r = await saldo.api('POST', '/api/v1/staff/sessions', { body: { email: s.email, password: s.password } });
    assert.equal(r.status, 201);
  }
  const page = await s.web.get('/staff/audit');
  assert.equal((page.text.match(/<tr data-action=/g) || []).length, 50);
  const older = /href="(\/staff\/audit\?cursor=\d+)" rel="next"/.exec(page.text);
  assert.ok(older);
  const second = await s.web.get(older[1]);
  assert.ok((second.text.match(/<tr data-action=/g) || []).length >= 1);
  assert.match(second.text, /href="\/staff\/audit">/, 'a link back to the newest');
  assert.equal((await s.web.get('/staff/audit?cursor=abc')).status, 404);
});

test('the back office speaks Italian and English', async () => {
  const s = await webStaff('it');
  const page = await s.web.get('/staff');
  assert.match(page.text, /<html lang="it">/);
  assert.match(page.text, /Organizzazioni/);
  assert.match(page.text, /Registro attività/);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  const r = await s.web.post('/staff/lang', { _csrf, lang: 'en', next: '/staff/audit' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/staff/audit');
  assert.match((await s.web.get('/staff/audit')).text, /Audit log/);
  const away = await s.web.post('/staff/lang', { _csrf, lang: 'it', next: '//evil.example/' });
  assert.equal(away.headers.get('location'), '/staff');
  const anon = new WebClient(saldo.url);
  const login = await anon.get('/staff/login', { 'Accept-Language': 'it' });
  assert.match(login.text, /Accesso al back office|back office/i);
});
