// web_withdrawals.test.mjs - the Withdraw page and the back office's
// withdrawals page over plain HTTP: forms without JavaScript, errors next to
// their fields with nothing withdrawn, a form posted twice withdraws once,
// cancel, 404 for members without the billing right, and in the back office
// approve, reject with a reason, PayPal paid, the export and its download.
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

let keyNo = 0;
async function webUser(minor = 10000) {
  const u = await signUp(saldo, { language: 'en' });
  const r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, { token: staff.token,
    body: { amount: { currency: 'EUR', minor }, reason: 'web test' }, headers: { 'Idempotency-Key': `web-${++keyNo}` } });
  assert.equal(r.status, 201, r.text);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { ...u, web };
}

async function webStaff() {
  const email = `wdstaff${Date.now()}${++keyNo}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password })).status, 303);
  return web;
}

const balance = (u) => Number(saldo.sql(`SELECT COALESCE(SUM(CASE WHEN t.credit_account_id = a.id THEN t.amount_minor ELSE -t.amount_minor END), 0)
  FROM ledger_accounts a JOIN ledger_transfers t ON t.credit_account_id = a.id OR t.debit_account_id = a.id
  WHERE a.org_id = ${u.org.id} AND a.currency = 'EUR'`));

async function formOf(web) {
  const page = await web.get('/billing/withdrawals');
  assert.equal(page.status, 200, page.text);
  return {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)[1],
    key: /name="key" value="([A-Za-z0-9_-]{43})"/.exec(page.text)[1],
    page,
  };
}

const bank = { currency: 'EUR', method: 'bank', iban: 'DE89 3704 0044 0532 0130 00', holder: 'Mario Rossi', email: '', note: '' };

test('the Withdraw page is linked from /billing; errors stay next to the field and nothing is withdrawn', async () => {
  const u = await webUser();
  const billing = await u.web.get('/billing');
  assert.match(billing.text, /href="\/billing\/withdrawals"/);
  const { _csrf, key } = await formOf(u.web);
  let r = await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, amount: '10', iban: 'DE89 3704 0044 0532 0130 01' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="iban-error">This IBAN is not valid/);
  assert.match(r.text, /id="holder"[^>]*value="Mario Rossi"/, 'the form is filled in again');
  r = await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, amount: '1000,01' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="amount-error">(Your balance is less than that|Enter an amount)/);
  r = await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, amount: '100.01' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="amount-error">Your balance is less than that/);
  r = await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, method: 'paypal', amount: '5', email: 'nope' });
  assert.match(r.text, /id="email-error">/);
  r = await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, amount: '0' });
  assert.match(r.text, /id="amount-error">Enter an amount greater than zero/);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM withdrawals WHERE org_id = ${u.org.id}`), '0');
  assert.equal(balance(u), 10000);
});

test('a withdrawal through the form holds the money once even when posted twice; cancel gives it back', async () => {
  const u = await webUser();
  const { _csrf, key } = await formOf(u.web);
  const body = { _csrf, key, ...bank, amount: '25.50', note: 'rimborso' };
  let r = await u.web.post('/billing/withdrawals', body);
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/billing/withdrawals');
  r = await u.web.post('/billing/withdrawals', body);
  assert.equal(r.status, 303, 'the second post of the same form is not an error');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM withdrawals WHERE org_id = ${u.org.id}`), '1');
  assert.equal(balance(u), 10000 - 2550);
  const page = await u.web.get('/billing/withdrawals');
  assert.match(page.text, /Your withdrawal request has been received/);
  assert.match(page.text, /Waiting for approval/);
  const id = /data-testid="withdrawal-(\d+)"/.exec(page.text)[1];
  r = await u.web.post(`/billing/withdrawals/${id}/cancel`, { _csrf });
  assert.equal(r.status, 303);
  assert.equal(balance(u), 10000);
  assert.match((await u.web.get('/billing/withdrawals')).text, /Cancelled/);
  r = await u.web.post(`/billing/withdrawals/${id}/cancel`, { _csrf });
  assert.equal(r.status, 303);
  assert.match((await u.web.get('/billing/withdrawals')).text, /no longer waiting for approval/);
  assert.equal(balance(u), 10000);
  const csrfLess = await u.web.post('/billing/withdrawals', { key, ...bank, amount: '1' });
  assert.equal(csrfLess.status, 403);
});

test('a member without the billing right gets the 404 page', async () => {
  const owner = await webUser();
  const m = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${owner.org.id}, ${m.user.id}, 'member', 0, 1)`);
  saldo.sql(`DELETE FROM memberships WHERE org_id = ${m.org.id} AND user_id = ${m.user.id}`);
  const web = new WebClient(saldo.url);
  await web.login(m.email, m.password);
  assert.equal((await web.get('/billing/withdrawals')).status, 404);
});

test('back office: approve, reject with a reason, PayPal paid, export and download again', async () => {
  const u = await webUser();
  const ids = [];
  for (const extra of [{ amount: '10' }, { amount: '20' }, { amount: '30', method: 'paypal', email: 'p@example.test' }]) {
    const { _csrf, key } = await formOf(u.web);
    assert.equal((await u.web.post('/billing/withdrawals', { _csrf, key, ...bank, ...extra })).status, 303);
  }
  for (const m of (await u.web.get('/billing/withdrawals')).text.matchAll(/data-testid="withdrawal-(\d+)"/g)) ids.push(m[1]);
  const [paypal, second, first] = ids;
  const web = await webStaff();
  let page = await web.get('/staff/withdrawals');
  assert.equal(page.status, 200);
  for (const id of ids) assert.match(page.text, new RegExp(`data-testid="pending-${id}"`));
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  let r = await web.post(`/staff/withdrawals/${second}/reject`, { _csrf, reason: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /A rejection needs a reason/);
  r = await web.post(`/staff/withdrawals/${second}/reject`, { _csrf, reason: 'holder mismatch' });
  assert.equal(r.status, 303);
  assert.equal((await web.post(`/staff/withdrawals/${first}/approve`, { _csrf })).status, 303);
  assert.equal((await web.post(`/staff/withdrawals/${paypal}/approve`, { _csrf })).status, 303);
  r = await web.post(`/staff/withdrawals/${paypal}/paid`, { _csrf, transaction_id: '9XY' });
  assert.equal(r.status, 303);
  r = await web.post(`/staff/withdrawals/${first}/approve`, { _csrf });
  assert.equal(r.status, 409, 'approved already');
  assert.equal(balance(u), 10000 - 1000 - 3000);
  r = await web.post('/staff/withdrawals/export', { _csrf });
  assert.equal(r.status, 303);
  page = await web.get('/staff/withdrawals');
  assert.match(page.text, /The credit-transfer file has been created/);
  const exportId = /data-testid="export-(\d+)"/.exec(page.text)[1];
  const file = await web.get(`/staff/withdrawals/exports/${exportId}/pain001.xml`);
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-disposition'), /attachment; filename="pain001-\d+\.xml"/);
  assert.match(file.text, new RegExp(`<EndToEndId>SALDO-W-${first}</EndToEndId>`));
  assert.doesNotMatch(file.text, new RegExp(`SALDO-W-${second}<`));
  r = await web.post('/staff/withdrawals/export', { _csrf });
  assert.equal(r.status, 303);
  assert.match((await web.get('/staff/withdrawals')).text, /No approved bank withdrawal waits for an export/);
  const customer = await u.web.get('/billing/withdrawals');
  assert.match(customer.text, /Sent to the bank/);
  assert.match(customer.text, /Rejected<\/span> <span class="muted">holder mismatch/);
  assert.match(customer.text, /Paid/);
  assert.equal((await u.web.get('/staff/withdrawals')).headers.get('location'), '/staff/login');
  const audit = await web.get('/staff/audit');
  assert.match(audit.text, /Withdrawal rejected/);
  assert.match(audit.text, /holder mismatch/);
  assert.match(audit.text, /Credit-transfer file created/);
});
