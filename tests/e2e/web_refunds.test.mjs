// web_refunds.test.mjs - the Refunds page and the back office's refunds page
// over plain HTTP (forms without JavaScript), with bank-transfer credits read
// from a camt.053 statement as the refundable payments: errors next to their
// fields with nothing held, a form posted twice asks once, cancel, 404 for
// members without the billing right, and in the back office approve (the
// refund then waits for the bank export) and reject with a reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { statement } from './lib/camt053.mjs';
import { signUp, startSaldo, tempDir } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => { await saldo.stop(); });

let n = 0;
/** A customer signed in on the web whose wallet got minor cents by a bank transfer from Anna Verdi. */
async function webUser(minor = 10000) {
  const u = await signUp(saldo, { language: 'en' });
  const t = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token,
    body: { amount: { currency: 'EUR', minor }, method: 'bank_transfer' }, headers: { 'Idempotency-Key': `w-${++n}` } });
  assert.equal(t.status, 201, t.text);
  const file = path.join(tempDir('saldo-webrf-'), 'statement.xml');
  fs.writeFileSync(file, statement({ id: `WEBRF-${process.pid}-${u.org.id}`, entries: [{ ref: `WEBRF-${u.org.id}`,
    amount: (minor / 100).toFixed(2), structured: t.body.payment.instructions.reference, debtor: 'Anna Verdi' }] }));
  assert.equal(saldo.run(['import-statement', file]).status, 0);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { ...u, web };
}

async function webStaff() {
  const email = `rfstaff${Date.now()}${++n}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password })).status, 303);
  return web;
}

const balance = async (u) => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === 'EUR')?.balance.minor ?? 0;
};

async function formOf(web) {
  const page = await web.get('/billing/refunds');
  assert.equal(page.status, 200, page.text);
  return {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)[1],
    key: /name="key" value="([A-Za-z0-9_-]{43})"/.exec(page.text)[1],
    payment: /<option value="(bank_transfer:\d+)"/.exec(page.text)[1],
    page,
  };
}

test('the Refunds page is linked from /billing and offers the bank transfer; errors stay next to the field', async () => {
  const u = await webUser();
  assert.match((await u.web.get('/billing')).text, /href="\/billing\/refunds"/);
  const { _csrf, key, payment, page } = await formOf(u.web);
  assert.match(page.text, /Anna Verdi · DE89370400440532013000/);
  let r = await u.web.post('/billing/refunds', { _csrf, key, payment, amount: '100.01' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="amount-error">(That is more than what is left|That is more than your unused)/);
  assert.match(r.text, /id="amount"[^>]*value="100.01"/, 'the form is filled in again');
  r = await u.web.post('/billing/refunds', { _csrf, key, payment, amount: '0' });
  assert.match(r.text, /id="amount-error">Enter an amount greater than zero/);
  r = await u.web.post('/billing/refunds', { _csrf, key, payment: 'payment:999999', amount: '5' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="payment-error">Choose the payment to refund/);
  r = await u.web.post('/billing/refunds', { _csrf, key, payment, amount: '5', reason: 'x'.repeat(501) });
  assert.match(r.text, /id="reason-error">/);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM refund_requests WHERE org_id = ${u.org.id}`), '0');
  assert.equal(await balance(u), 10000);
});

test('a refund through the form holds the money once even when posted twice; cancel gives it back', async () => {
  const u = await webUser();
  const { _csrf, key, payment } = await formOf(u.web);
  const body = { _csrf, key, payment, amount: '25.50', reason: 'overpaid' };
  let r = await u.web.post('/billing/refunds', body);
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/billing/refunds');
  r = await u.web.post('/billing/refunds', body);
  assert.equal(r.status, 303, 'the second post of the same form is not an error');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM refund_requests WHERE org_id = ${u.org.id}`), '1');
  assert.equal(await balance(u), 10000 - 2550);
  const page = await u.web.get('/billing/refunds');
  assert.match(page.text, /Your refund request has been received/);
  assert.match(page.text, /Waiting for approval/);
  const id = /data-testid="refund-(\d+)"/.exec(page.text)[1];
  r = await u.web.post(`/billing/refunds/${id}/cancel`, { _csrf });
  assert.equal(r.status, 303);
  assert.equal(await balance(u), 10000);
  assert.match((await u.web.get('/billing/refunds')).text, /Cancelled/);
  r = await u.web.post(`/billing/refunds/${id}/cancel`, { _csrf });
  assert.equal(r.status, 303);
  assert.match((await u.web.get('/billing/refunds')).text, /no longer waiting for approval/);
  assert.equal((await u.web.post('/billing/refunds', { key, payment, amount: '1' })).status, 403);
});

test('a member without the billing right gets the 404 page', async () => {
  const owner = await webUser();
  const m = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${owner.org.id}, ${m.user.id}, 'member', 0, 1)`);
  saldo.sql(`DELETE FROM memberships WHERE org_id = ${m.org.id} AND user_id = ${m.user.id}`);
  const web = new WebClient(saldo.url);
  await web.login(m.email, m.password);
  assert.equal((await web.get('/billing/refunds')).status, 404);
});

test('back office: approve a bank refund (it waits for the export), reject another with a reason', async () => {
  const u = await webUser();
  const { _csrf, key, payment } = await formOf(u.web);
  assert.equal((await u.web.post('/billing/refunds', { _csrf, key, payment, amount: '10' })).status, 303);
  const second = await formOf(u.web);
  assert.equal((await u.web.post('/billing/refunds', { _csrf, key: second.key, payment, amount: '20' })).status, 303);
  const [b, a] = [...(await u.web.get('/billing/refunds')).text.matchAll(/data-testid="refund-(\d+)"/g)].map((m) => m[1]);
  const staff = await webStaff();
  const queue = await staff.get('/staff/refunds');
  assert.equal(queue.status, 200);
  assert.match(queue.text, new RegExp(`data-testid="requested-${a}"`));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(queue.text)[1];
  let r = await staff.post(`/staff/refunds/${a}/approve`, { _csrf: csrf });
  assert.equal(r.status, 303, r.text);
  let page = await staff.get('/staff/refunds');
  assert.match(page.text, /it leaves with the next bank export/);
  assert.match(page.text, new RegExp(`data-testid="approved-${a}"[\\s\\S]*?In the next bank export`));
  r = await staff.post(`/staff/refunds/${b}/reject`, { _csrf: csrf, reason: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /A rejection needs a reason/);
  r = await staff.post(`/staff/refunds/${b}/reject`, { _csrf: csrf, reason: 'Duplicate request' });
  assert.equal(r.status, 303);
  page = await staff.get('/staff/refunds');
  assert.match(page.text, new RegExp(`data-testid="decided-${b}"`));
  r = await staff.post(`/staff/refunds/${b}/approve`, { _csrf: csrf });
  assert.equal(r.status, 409);
  assert.match(r.text, /no longer in a state that allows this/);
  assert.equal((await staff.post('/staff/refunds/999999/approve', { _csrf: csrf })).status, 404);
  assert.equal(await balance(u), 10000 - 1000);
  const mine = await u.web.get('/billing/refunds');
  assert.match(mine.text, /Duplicate request/);
  assert.match(mine.text, new RegExp(`data-testid="refund-status-${a}">Approved`));
});
