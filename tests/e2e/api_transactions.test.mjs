// api_transactions.test.mjs - the transaction history: filters by date, type,
// currency and status (each and combined), 422s naming the field, pages that
// keep the filters, the CSV export (header, decimals, running balance,
// formula defusing, the same filters) and the rights (other org and a member
// without billing get 404). Lines with chosen dates and kinds are written
// under the API with balanced account updates, so `ledger verify` still holds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { checkAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let smtp;
let staff;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

let keyNo = 0;
const credit = (org, minor, currency = 'EUR') =>
  saldo.api('POST', `/api/v1/staff/orgs/${org.id}/adjustments`, { token: staff.token,
    body: { amount: { currency, minor }, reason: 'test credit' }, headers: { 'Idempotency-Key': `c-${++keyNo}` } });
const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;

/** A transfer from the adjustments account into org's wallet (or back when
 * minor < 0), with its date, kind and reference chosen by the test. */
function post(org, { minor, currency = 'EUR', kind, reference = '', at }) {
  const wallet = `(SELECT id FROM ledger_accounts WHERE code = 'wallet' AND org_id = ${org.id} AND currency = '${currency}')`;
  const adj = `(SELECT id FROM ledger_accounts WHERE code = 'adjustments' AND currency = '${currency}')`;
  const [from, to] = minor > 0 ? [adj, wallet] : [wallet, adj];
  const amount = Math.abs(minor);
  saldo.sql(`INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor,`
    + ` currency, kind, reference, created_at) VALUES ('test-${org.id}-${++keyNo}', ${from}, ${to}, ${amount},`
    + ` '${currency}', '${kind}', '${reference.replace(/'/g, "''")}', ${at});`
    + ` UPDATE ledger_accounts SET balance_minor = balance_minor + ${minor} WHERE id = ${wallet};`
    + ` UPDATE ledger_accounts SET balance_minor = balance_minor - ${minor} WHERE id = ${adj};`);
}

/** An org with EUR and USD wallets and lines on known days:
 *  2020-01-10 topup 100.00 EUR, 2020-01-20 purchase -30.00 EUR,
 *  2020-02-01 23:59:59 in Rome (22:59:59 UTC) renewal -5.50 EUR, 2020-02-02 00:30 in Rome
 *  (2020-02-01 23:30 UTC) topup 7.00 USD,
 *  2020-03-01 withdrawal -1.25 EUR; plus today's staff credits (1 EUR, 1 USD). */
async function history() {
  const u = await signUp(saldo);
  assert.equal((await credit(u.org, 100)).status, 201);
  assert.equal((await credit(u.org, 100, 'USD')).status, 201);
  post(u.org, { minor: 10000, kind: 'topup', reference: 'bank_entry:1', at: day('2020-01-10') + 3600 });
  post(u.org, { minor: -3000, kind: 'purchase', reference: 'order:1', at: day('2020-01-20') });
  post(u.org, { minor: -550, kind: 'renewal', reference: 'service:1', at: day('2020-02-01') + 86399 - 3600 });
  post(u.org, { minor: 700, currency: 'USD', kind: 'topup', at: day('2020-02-01') + 23 * 3600 + 1800 });
  post(u.org, { minor: -125, kind: 'withdrawal', reference: 'withdrawal:1', at: day('2020-03-01') });
  return u;
}

const list = (u, query = '') => saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions${query}`, { token: u.token });
const kinds = (r) => r.body.transactions.map((t) => `${t.kind}:${t.amount.minor}`);

test('every filter alone and combined; dates are inclusive days in Italy', async () => {
  const u = await history();
  const all = await list(u);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.transactions.length, 7);
  assert.ok(all.body.transactions.every((t) => t.status === 'completed'));
  const doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
  assert.deepEqual(checkAnswer(doc, 'GET', '/api/v1/orgs/{org_id}/transactions', all), []);
  assert.deepEqual(kinds(await list(u, '?from=2020-01-10&to=2020-01-20')), ['purchase:-3000', 'topup:10000']);
  assert.deepEqual(kinds(await list(u, '?from=2020-02-01&to=2020-02-01')), ['renewal:-550']);
  // 23:30 UTC on the 1st is 00:30 on the 2nd in Rome: the USD top-up is on the 2nd
  assert.deepEqual(kinds(await list(u, '?from=2020-02-02&to=2020-02-02')), ['topup:700']);
  assert.deepEqual(kinds(await list(u, '?to=2020-01-19')), ['topup:10000']);
  assert.deepEqual(kinds(await list(u, '?from=2020-03-01&to=2020-06-30')), ['withdrawal:-125']);
  assert.equal((await list(u, '?from=2020-03-02')).body.transactions.length, 2, 'today\'s staff credits');
  assert.deepEqual(kinds(await list(u, '?type=topup')), ['topup:700', 'topup:10000']);
  assert.deepEqual(kinds(await list(u, '?type=renewal,purchase')), ['renewal:-550', 'purchase:-3000']);
  assert.deepEqual(kinds(await list(u, '?currency=USD')), ['topup:700', 'adjustment:100']);
  assert.deepEqual(kinds(await list(u, '?type=topup&currency=EUR&from=2020-01-01&to=2020-02-28')), ['topup:10000']);
  assert.equal((await list(u, '?status=completed')).body.transactions.length, 7);
  assert.deepEqual((await list(u, '?status=pending')).body, { transactions: [], next_cursor: null },
    'ledger movements are always completed; pending ones belong to payments');
  assert.equal((await list(u, '?status=pending,completed&type=withdrawal')).body.transactions.length, 1);
});

test('bad filters are 422 naming the field', async () => {
  const u = await history();
  for (const [q, field] of [['from=2020-13-01', 'from'], ['from=yesterday', 'from'], ['to=2020-02-30', 'to'],
    ['from=2020-02-02&to=2020-02-01', 'from'], ['type=gift', 'type'], ['type=topup,', 'type'], ['type=', null],
    ['currency=eur', 'currency'], ['currency=XXZ', 'currency'], ['status=done', 'status'], ['limit=0', 'limit'],
    ['cursor=abc', 'cursor'], ['limit=%2B5', 'limit'], ['limit=%205', 'limit'], ['limit=5x', 'limit'],
    ['cursor=012', 'cursor'], ['cursor=99999999999999999999', 'cursor']]) {
    const r = await list(u, `?${q}`);
    if (field === null) { assert.equal(r.status, 200, q); continue; }
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.code, 'invalid_field', q);
    assert.equal(r.body.error.field, field, q);
  }
  const csv = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions.csv?type=gift`, { token: u.token });
  assert.equal(csv.status, 422);
  assert.equal(csv.body.error.field, 'type');
});

test('pages follow each other with the filters kept', async () => {
  const u = await history();
  for (let i = 0; i < 5; i++) post(u.org, { minor: 100 + i, kind: 'topup', at: day('2020-01-15') });
  const seen = [];
  let cursor = null;
  do {
    const r = await list(u, `?type=topup&currency=EUR&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.transactions.length <= 2);
    seen.push(...kinds(r));
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, ['topup:104', 'topup:103', 'topup:102', 'topup:101', 'topup:100', 'topup:10000']);
  const ids = (await list(u, '?type=topup&currency=EUR')).body.transactions.map((t) => t.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
});

test('the page filters by days in Italy and shows the lines on the clock there', async () => {
  const u = await history();
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const page = await web.get('/billing/transactions?from=2020-02-01&to=2020-02-01');
  assert.equal(page.status, 200);
  assert.match(page.text, /2020-02-01 23:59/, 'the renewal, 22:59:59 UTC');
  assert.doesNotMatch(page.text, /22:59|2020-02-02/, 'nor the USD top-up of 2020-02-01 23:30 UTC');
});

test('the CSV: header, plain decimals, running balance, the filters, formulas defused', async () => {
  const u = await history();
  post(u.org, { minor: 1, kind: 'topup', reference: '=HYPERLINK("http://evil.test","x")', at: day('2020-03-02') });
  post(u.org, { minor: 2, kind: 'topup', reference: '+1, "two"\r\n@three', at: day('2020-03-03') });
  const r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions.csv?currency=EUR&from=2020-01-01&to=2020-06-30`,
    { token: u.token, headers: { Cookie: 'lang=it' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="transactions-${u.org.id}.csv"`);
  const rows = r.text.split('\r\n');
  assert.equal(rows.at(-1), '', 'every row ends with CRLF');
  assert.equal(rows[0], 'date,type,description,reference,amount,currency,balance_after,status');
  // Balances run in posting order: today's staff credit (1.00 EUR) was posted first.
  assert.equal(rows.length, 1 + 6 + 1 + 1, 'header, six lines (one reference spans two physical rows), final CRLF');
  assert.ok(r.text.includes('"2020-03-03T00:00:00Z","topup","Ricarica","\'+1, ""two""\r\n@three",0.02,"EUR",64.28,"completed"\r\n'), r.text);
  assert.ok(r.text.includes('"2020-03-02T00:00:00Z","topup","Ricarica","\'=HYPERLINK(""http://evil.test"",""x"")",0.01,"EUR",64.26,"completed"\r\n'), r.text);
  assert.ok(r.text.includes('"2020-03-01T00:00:00Z","withdrawal","Prelievo","withdrawal:1",-1.25,"EUR",64.25,"completed"\r\n'), r.text);
  assert.ok(r.text.includes('"2020-02-01T22:59:59Z","renewal","Rinnovo","service:1",-5.50,"EUR",65.50,"completed"\r\n'), r.text);
  assert.ok(r.text.includes('"2020-01-20T00:00:00Z","purchase","Acquisto","order:1",-30.00,"EUR",71.00,"completed"\r\n'), r.text);
  assert.ok(r.text.includes('"2020-01-10T01:00:00Z","topup","Bonifico","bank_entry:1",100.00,"EUR",101.00,"completed"\r\n'), r.text);
  assert.ok(!r.text.includes('USD'), 'the currency filter holds');
  assert.ok(!r.text.includes('adjustment'), 'the date filter holds');
  const typed = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions.csv?type=renewal`, { token: u.token });
  assert.equal(typed.text.split('\r\n').length, 3, 'header, one row, the final CRLF');
  assert.match(typed.text, /,-5\.50,"EUR",65\.50,"completed"\r\n$/, 'the balance counts the lines the filter hides');
  const none = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions.csv?status=failed`, { token: u.token });
  assert.equal(none.text, 'date,type,description,reference,amount,currency,balance_after,status\r\n');
});

test('rights: another organization and a member without billing get 404', async () => {
  const owner = await history();
  const other = await signUp(saldo);
  for (const p of ['transactions', 'transactions.csv', 'transactions?type=topup']) {
    assert.equal((await saldo.api('GET', `/api/v1/orgs/${owner.org.id}/${p}`, { token: other.token })).status, 404, p);
  }
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${owner.org.id}/transactions.csv`)).status, 401);
  const inv = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/invitations`,
    { token: owner.token, body: { email: `nobill${Date.now()}@example.test`, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(inv.body.invitation.email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const acc = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: 'No Billing', password: 'a long password', country: 'IT', language: 'en' } });
  assert.equal(acc.status, 201, acc.text);
  const s = await saldo.api('POST', '/api/v1/sessions', { body: { email: inv.body.invitation.email, password: 'a long password' } });
  for (const p of ['transactions', 'transactions.csv']) {
    assert.equal((await saldo.api('GET', `/api/v1/orgs/${owner.org.id}/${p}`, { token: s.body.token })).status, 404, p);
  }
});
