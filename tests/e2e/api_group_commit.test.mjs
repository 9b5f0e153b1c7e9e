// api_group_commit.test.mjs - group commit over HTTP (docs/ARCHITECTURE.md,
// "Group commit"): concurrent orders from the balance share groups (GET
// /metrics counts them), every 201 is in the store with its money moved, a
// refused order beside them changes nothing and fails none of them, a replay
// of a key racing its first request gets the same order, and with
// store.group_commit = off nothing is grouped. The group's maximum wait is
// raised to 50 ms, the server has four threads whatever the machine's cores
// (with one, a request is served only after the one before has left, and the
// committer, free to commit at once, mostly does), and the orders reach the
// server together (harness burst: a client sending them one by one on a loaded
// machine can be slower than the server). Top-ups by bank
// transfer go through the group too, each answered with its payment stored,
// and so do the provisioning worker's claims and results and the outbox
// sender's claims and outcomes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { burst, signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo({ args: ['--store-group-commit-ms', '50', '--threads', '4'] });
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); });

const now = () => Math.floor(Date.now() / 1000);
let seq = 0;

/** A product at 10.00 EUR a month, put straight into the catalog. */
function product(srv) {
  seq += 1;
  srv.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('gc${seq}', 'GC', 'GC', ${now()})`);
  const cat = Number(srv.sql(`SELECT id FROM catalog_categories WHERE code = 'gc${seq}'`));
  srv.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
           VALUES (${cat}, 'gc${seq}', 'GC ${seq}', 'GC ${seq}', 0, ${now()}, ${now()})`);
  const id = Number(srv.sql(`SELECT id FROM catalog_products WHERE code = 'gc${seq}'`));
  srv.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
           VALUES (${id}, 'EUR', 1, 1000, 0)`);
  return id;
}

let keyNo = 0;
async function fund(srv, token, org, minor) {
  const r = await srv.api('POST', `/api/v1/staff/orgs/${org}/adjustments`, {
    token, headers: { 'Idempotency-Key': `gc-fund-${++keyNo}` },
    body: { amount: { currency: 'EUR', minor }, reason: 'test funds' },
  });
  assert.equal(r.status, 201, r.text);
}

/** An order of one product from the balance, as {method, path, ...} for api or burst. */
function orderRequest(u, productId, key = `gc-order-${++keyNo}`) {
  return {
    method: 'POST', path: `/api/v1/orgs/${u.org.id}/orders`, token: u.token, headers: { 'Idempotency-Key': key },
    body: { items: [{ product_id: productId, period: 1 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  };
}

function order(srv, u, productId, key) {
  const { method, path, ...opts } = orderRequest(u, productId, key);
  return srv.api(method, path, opts);
}

async function balance(srv, u) {
  const r = await srv.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  const w = (r.body.wallets || []).find((x) => x.balance.currency === 'EUR');
  return w ? w.balance.minor : 0;
}

/** {groups, members, failed} from GET /metrics. */
async function groupCounts(srv) {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const get = (name) => Number((text.match(new RegExp(`^saldo_group_commit_${name}_total (\\d+)$`, 'm')) || [])[1]);
  return { groups: get('groups'), members: get('members'), failed: get('failed') };
}

test('concurrent orders share groups; every 201 is stored, a refused one beside them changes nothing', async () => {
  const p = product(saldo);
  const buyers = [];
  for (let i = 0; i < 4; i++) buyers.push(await signUp(saldo));
  for (const b of buyers) await fund(saldo, staff.token, b.org.id, 100000);
  const broke = await signUp(saldo); // no money: insufficient funds
  const before = await groupCounts(saldo);
  const sent = [];
  for (let i = 0; i < 10; i++) for (const b of buyers) sent.push(orderRequest(b, p));
  sent.push(orderRequest(broke, p), orderRequest(broke, p));
  const rs = await burst(saldo.url, sent);
  const ok = rs.slice(0, 40);
  assert.deepEqual(ok.map((r) => r.status), Array(40).fill(201), ok.filter((r) => r.status !== 201).map((r) => r.text).join('\n'));
  for (const r of rs.slice(40)) {
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, 'insufficient_funds');
  }
  const after = await groupCounts(saldo);
  const members = after.members - before.members;
  const groups = after.groups - before.groups;
  assert.ok(members >= 42, `${members} grouped transactions`);
  assert.ok(groups < members, `${members} transactions in ${groups} groups: none shared`);
  assert.equal(after.failed, 0);
  const ids = ok.map((r) => r.body.order.id);
  assert.equal(new Set(ids).size, 40);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM orders WHERE id IN (${ids.join(',')})`), '40');
  const gross = ok[0].body.order.gross.minor;
  for (const r of ok) assert.equal(r.body.order.gross.minor, gross);
  for (const b of buyers) assert.equal(await balance(saldo, b), 100000 - 10 * gross);
  assert.equal(await balance(saldo, broke), 0);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM orders WHERE org_id = ${broke.org.id}`), '0');
});

test('a replay racing its first request gets the same order, once', async () => {
  const p = product(saldo);
  const u = await signUp(saldo);
  await fund(saldo, staff.token, u.org.id, 5000);
  const key = `gc-race-${++keyNo}`;
  const rs = await Promise.all([order(saldo, u, p, key), order(saldo, u, p, key), order(saldo, u, p, key)]);
  assert.deepEqual(rs.map((r) => r.status), [201, 201, 201], rs.map((r) => r.text).join('\n'));
  assert.equal(new Set(rs.map((r) => r.body.order.id)).size, 1);
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 2);
  assert.equal(await balance(saldo, u), 5000 - rs[0].body.order.gross.minor);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM orders WHERE org_id = ${u.org.id}`), '1');
});

test('bank-transfer top-ups go through the group commit; every 201 is a stored pending payment', async () => {
  const u = await signUp(saldo);
  const before = await groupCounts(saldo);
  const rs = await Promise.all(Array.from({ length: 12 }, () => saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, {
    token: u.token, headers: { 'Idempotency-Key': `gc-topup-${++keyNo}` },
    body: { amount: { currency: 'EUR', minor: 5000 }, method: 'bank_transfer' },
  })));
  assert.deepEqual(rs.map((r) => r.status), Array(12).fill(201), rs.map((r) => r.text).join('\n'));
  const after = await groupCounts(saldo);
  // Members of groups (whether two of them meet in one depends on timing).
  assert.ok(after.members - before.members >= 12, `${after.members - before.members} grouped transactions`);
  assert.equal(after.failed, 0);
  const ids = rs.map((r) => r.body.payment.id);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM payments WHERE status = 'pending' AND id IN (${ids.join(',')})`), '12');
  assert.equal(await balance(saldo, u), 0); /* nothing credited before the transfer arrives */
});

/** Waits until the provisioner has looked at every pending service (a manual
 * product's waits for staff then: provision_next_at NULL). */
async function provisionerIdle(srv) {
  for (let i = 0; i < 200; i++) {
    if (srv.sql(`SELECT COUNT(*) FROM services WHERE status = 'pending' AND provision_next_at IS NOT NULL`) === '0') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the provisioner did not look at the pending services');
}

test('the provisioning worker\'s claim and result are members of the group, beside the order', async () => {
  const p = product(saldo); // provisioner 'manual': looked at once, then left to staff
  const u = await signUp(saldo);
  await fund(saldo, staff.token, u.org.id, 5000);
  await provisionerIdle(saldo);
  const before = await groupCounts(saldo);
  const r = await order(saldo, u, p);
  assert.equal(r.status, 201, r.text);
  await provisionerIdle(saldo);
  const after = await groupCounts(saldo);
  // The order, the worker's claim of its service, the worker's result: each a
  // member (a worker writing in transactions of its own would count 1).
  assert.ok(after.members - before.members >= 3, `${after.members - before.members} grouped transactions`);
  assert.equal(after.failed, 0);
  assert.equal(saldo.sql(`SELECT provision_attempts FROM services WHERE order_id = ${r.body.order.id}`), '0');
});

test('the outbox sender\'s claim and outcome are members of the group', async () => {
  const smtp = await startSmtp();
  const srv = await startSaldo({ smtp });
  try {
    const before = await groupCounts(srv);
    const u = await signUp(srv); // not a grouped route: its confirmation mail waits in the outbox
    await smtp.waitFor(u.email, (m) => /Confirm/.test(m.subject), 30000);
    for (let i = 0; i < 200 && srv.sql(`SELECT COUNT(*) FROM outbox WHERE status <> 'sent'`) !== '0'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(srv.sql(`SELECT COUNT(*) FROM outbox WHERE status <> 'sent'`), '0');
    const after = await groupCounts(srv);
    // The sender's claim of the mail and its outcome: each a member (a sender
    // writing in transactions of its own would count none).
    assert.ok(after.members - before.members >= 2, `${after.members - before.members} grouped transactions`);
    assert.equal(after.failed, 0);
  } finally {
    await srv.stop();
    await smtp.stop();
  }
});

test('store.group_commit = off: orders commit alone, nothing is grouped', async () => {
  const off = await startSaldo({ args: ['--store-group-commit', 'off'] });
  try {
    const offStaff = await staffLogin(off);
    const p = product(off);
    const u = await signUp(off);
    await fund(off, offStaff.token, u.org.id, 10000);
    const rs = await Promise.all([order(off, u, p), order(off, u, p), order(off, u, p)]);
    assert.deepEqual(rs.map((r) => r.status), [201, 201, 201], rs.map((r) => r.text).join('\n'));
    assert.deepEqual(await groupCounts(off), { groups: 0, members: 0, failed: 0 });
    assert.equal(await balance(off, u), 10000 - 3 * rs[0].body.order.gross.minor);
  } finally {
    await off.stop();
  }
});
