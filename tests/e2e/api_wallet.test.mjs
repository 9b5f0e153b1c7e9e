// api_wallet.test.mjs - wallets and transactions as customers see them, and the
// staff back office: search, credit adjustments (idempotent, audited), 404 on
// other organizations' objects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => saldo.stop());

let keyNo = 0;
const adjust = (orgId, amount, { key = `k-${++keyNo}`, reason = 'goodwill credit', token = staff.token } = {}) =>
  saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`,
    { token, body: { amount, reason }, headers: { 'Idempotency-Key': key } });

test('a new organization has no wallets and no transactions', async () => {
  const u = await signUp(saldo);
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(w.status, 200);
  assert.deepEqual(w.body, { wallets: [] });
  const t = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions`, { token: u.token });
  assert.deepEqual(t.body, { transactions: [], next_cursor: null });
});

test('a staff credit shows in the wallet as a money object and in the transactions', async () => {
  const u = await signUp(saldo, { language: 'it' });
  const r = await adjust(u.org.id, { currency: 'EUR', minor: 123456 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.balance, { currency: 'EUR', minor: 123456, display: '1.234,56 €' });
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.deepEqual(w.body.wallets, [{ currency: 'EUR', balance: { currency: 'EUR', minor: 123456, display: '1.234,56 €' } }]);
  const en = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token, headers: { Cookie: 'lang=en' } });
  assert.equal(en.body.wallets[0].balance.display, '€1,234.56');
  const t = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions`, { token: u.token });
  assert.equal(t.body.transactions.length, 1);
  assert.equal(t.body.transactions[0].kind, 'adjustment');
  assert.equal(t.body.transactions[0].direction, 'credit');
  assert.deepEqual(t.body.transactions[0].amount.minor, 123456);
  assert.match(t.body.transactions[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('replaying an adjustment with the same key posts once; another body with it is 409', async () => {
  const u = await signUp(saldo);
  const first = await adjust(u.org.id, { currency: 'EUR', minor: 500 }, { key: 'same-key' });
  const again = await adjust(u.org.id, { currency: 'EUR', minor: 500 }, { key: 'same-key' });
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, first.body);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const other = await adjust(u.org.id, { currency: 'EUR', minor: 501 }, { key: 'same-key' });
  assert.equal(other.status, 409);
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(w.body.wallets[0].balance.minor, 500);
});

test('a debit beyond the balance is 422 insufficient_funds and changes nothing', async () => {
  const u = await signUp(saldo);
  await adjust(u.org.id, { currency: 'EUR', minor: 1000 });
  const r = await adjust(u.org.id, { currency: 'EUR', minor: -1001 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'insufficient_funds');
  assert.equal(r.body.error.field, 'amount');
  const none = await adjust(u.org.id, { currency: 'USD', minor: -1 });
  assert.equal(none.status, 422, 'no USD wallet to debit');
  const ok = await adjust(u.org.id, { currency: 'EUR', minor: -1000 });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.balance.minor, 0);
});

test('amounts past 32 bits move both ways on every store', async () => {
  const u = await signUp(saldo);
  const big = 100000000000; // 1,000,000,000.00 EUR: more than a 32-bit integer holds
  const r = await adjust(u.org.id, { currency: 'EUR', minor: big });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.balance.minor, big);
  const over = await adjust(u.org.id, { currency: 'EUR', minor: -(big + 1) });
  assert.equal(over.status, 422, 'a debit past the balance is still refused');
  const back = await adjust(u.org.id, { currency: 'EUR', minor: -big });
  assert.equal(back.status, 201, back.text);
  assert.equal(back.body.balance.minor, 0);
});

test('adjustments validate amount, reason and the Idempotency-Key header', async () => {
  const u = await signUp(saldo);
  const cases = [
    [{ amount: { currency: 'EUR', minor: 0 }, reason: 'zero' }, 'amount'],
    [{ amount: { currency: 'XXX', minor: 5 }, reason: 'bad currency' }, 'amount'],
    [{ amount: { currency: 'EUR', minor: 1.5 }, reason: 'float' }, 'amount'],
    [{ amount: '5.00', reason: 'string' }, 'amount'],
    [{ amount: { currency: 'EUR', minor: 5 } }, 'reason'],
    [{ amount: { currency: 'EUR', minor: 5 }, reason: 'x' }, 'reason'],
  ];
  for (const [body, field] of cases) {
    const r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`,
      { token: staff.token, body, headers: { 'Idempotency-Key': `v-${++keyNo}` } });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
  }
  const noKey = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`,
    { token: staff.token, body: { amount: { currency: 'EUR', minor: 5 }, reason: 'no key' } });
  assert.equal(noKey.status, 400);
  assert.equal((await adjust(999999, { currency: 'EUR', minor: 5 })).status, 404);
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.deepEqual(w.body.wallets, []);
});

test("another organization's wallet and transactions are 404", async () => {
  const a = await signUp(saldo);
  const b = await signUp(saldo);
  await adjust(b.org.id, { currency: 'EUR', minor: 700 });
  for (const p of [`/api/v1/orgs/${b.org.id}/wallets`, `/api/v1/orgs/${b.org.id}/transactions`,
    '/api/v1/orgs/0/wallets', '/api/v1/orgs/abc/wallets', '/api/v1/orgs/99999999/wallets']) {
    const r = await saldo.api('GET', p, { token: a.token });
    assert.equal(r.status, 404, p);
    assert.equal(r.body.error.code, 'not_found');
  }
});

test('customers cannot use the staff API, staff cannot use customer routes', async () => {
  const u = await signUp(saldo);
  assert.equal((await adjust(u.org.id, { currency: 'EUR', minor: 5 }, { token: u.token })).status, 401);
  assert.equal((await saldo.api('GET', '/api/v1/staff/orgs', { token: u.token })).status, 401);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: staff.token })).status, 401);
});

test('transactions are newest first and paginate with a cursor', async () => {
  const u = await signUp(saldo);
  for (let i = 1; i <= 5; i++) await adjust(u.org.id, { currency: 'EUR', minor: i * 100 });
  await adjust(u.org.id, { currency: 'USD', minor: 42 });
  const p1 = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions?limit=4`, { token: u.token });
  assert.deepEqual(p1.body.transactions.map((t) => t.amount.minor), [42, 500, 400, 300]);
  assert.ok(p1.body.next_cursor);
  const p2 = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions?limit=4&cursor=${p1.body.next_cursor}`, { token: u.token });
  assert.deepEqual(p2.body.transactions.map((t) => t.amount.minor), [200, 100]);
  assert.equal(p2.body.next_cursor, null);
  for (const q of ['limit=0', 'limit=1000', 'limit=x', 'cursor=-1', 'cursor=abc']) {
    const r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions?${q}`, { token: u.token });
    assert.equal(r.status, 422, q);
  }
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.deepEqual(w.body.wallets.map((x) => [x.currency, x.balance.minor]), [['EUR', 1500], ['USD', 42]]);
});

test('staff find organizations by name or member email, see members and wallets, and the audit log', async () => {
  const u = await signUp(saldo, { name: 'Zeta 100% Srl_x' });
  await adjust(u.org.id, { currency: 'EUR', minor: 900 }, { reason: 'compensation for outage' });
  const byName = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent('100% Srl_')}`, { token: staff.token });
  assert.deepEqual(byName.body.organizations.map((o) => o.id), [u.org.id]);
  const wildcard = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent('%')}`, { token: staff.token });
  assert.deepEqual(wildcard.body.organizations.map((o) => o.id), [u.org.id], '% is taken literally');
  const byEmail = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(u.email)}`, { token: staff.token });
  assert.equal(byEmail.body.organizations[0].admin_email, u.email);
  const org = await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}`, { token: staff.token });
  assert.equal(org.body.organization.members[0].email, u.email);
  assert.equal(org.body.wallets[0].balance.minor, 900);
  const tx = await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/transactions`, { token: staff.token });
  assert.equal(tx.body.transactions[0].amount.minor, 900);
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const entry = audit.body.entries.find((e) => e.target_id === u.org.id);
  assert.equal(entry.action, 'wallet.adjust');
  assert.equal(entry.staff_email, staff.email);
  assert.equal(entry.detail.reason, 'compensation for outage');
  assert.equal(entry.detail.amount.minor, 900);
});

test('adjustment edge cases: the lowest int64, a 200-character key, money objects', async () => {
  const u = await signUp(saldo);
  const lowest = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': 'lowest', 'Content-Type': 'application/json' },
    raw: '{"amount": {"currency": "EUR", "minor": -9223372036854775808}, "reason": "edge"}',
  });
  assert.equal(lowest.status, 422);
  assert.equal(lowest.body.error.field, 'amount');
  const longKey = await adjust(u.org.id, { currency: 'EUR', minor: 100 }, { key: 'k'.repeat(200) });
  assert.equal(longKey.status, 201, longKey.text);
  const extra = await adjust(u.org.id, { currency: 'EUR', minor: 100, foo: 1 });
  assert.equal(extra.status, 422);
  const echoed = await adjust(u.org.id, { currency: 'EUR', minor: 100, display: '€1.00' });
  assert.equal(echoed.status, 201, 'a money object sent back with its display is accepted');
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(w.body.wallets[0].balance.minor, 200);
});
