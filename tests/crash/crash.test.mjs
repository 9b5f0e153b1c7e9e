// crash.test.mjs - kill -9 under load. Several clients send a steady stream of
// money-moving requests (staff top-ups, orders paid from the balance,
// withdrawals, refund requests of a bank transfer, and cancels); at random moments the server is killed with
// SIGKILL and restarted on the same database (SQLite file, or PostgreSQL when
// E2E_PG_URL is set), and the clients send every unanswered request again
// with the same Idempotency-Key. After each kill, with the server down,
// `saldo ledger verify` must pass and every request answered 2xx must be in the
// store; at the end each organization holds exactly what its 2xx answers add
// up to and every effect is there once. CRASH_KILLS and CRASH_SEED override the
// number of kills (20) and the random seed (printed; it repeats the requests
// and the kill delays, not the exact timing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { statement } from '../e2e/lib/camt053.mjs';
import { saldoRun, signUp, staffLogin, startSaldo } from '../e2e/lib/harness.mjs';
import { prng } from '../e2e/lib/prng.mjs';
import { Client, Target } from './lib/workload.mjs';

const KILLS = Number(process.env.CRASH_KILLS || 20);
const SEED = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
const CLIENTS = 4;
const store = process.env.E2E_PG_URL ? 'PostgreSQL' : 'SQLite';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rows of a query as arrays of strings ('|' separates columns in both shells). */
const rows = (srv, q) => srv.sql(q).split('\n').filter(Boolean).map((l) => l.split('|'));

/** A product of one month at 7.00 EUR, put straight into the catalog. */
function addProduct(srv) {
  const now = Math.floor(Date.now() / 1000);
  const id = (q) => Number(srv.sql(q).split('\n').pop());
  const cat = id(`INSERT INTO catalog_categories (code, name_en, name_it, created_at)
    VALUES ('crash', 'Crash', 'Crash', ${now}) RETURNING id`);
  const product = id(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
    VALUES (${cat}, 'crash-vps', 'Crash VPS', 'Crash VPS', 0, ${now}, ${now}) RETURNING id`);
  srv.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
    VALUES (${product}, 'EUR', 1, 700, 0)`);
  return product;
}

const BANK_TRANSFER = 1000000; // 10,000.00 EUR each client may ask refunds of

/** Each client's organization gets a bank transfer (a top-up by bank, credited
 * by importing a camt.053 statement) that its refund requests name. */
async function bankTransfers(srv, clients) {
  const entries = [];
  for (const c of clients) {
    const t = await srv.api('POST', `/api/v1/orgs/${c.org}/topups`, { token: c.token,
      body: { amount: { currency: 'EUR', minor: BANK_TRANSFER }, method: 'bank_transfer' },
      headers: { 'Idempotency-Key': `${c.keyPrefix}-bank` } });
    assert.equal(t.status, 201, t.text);
    entries.push({ ref: `${c.keyPrefix}-bank`, amount: (BANK_TRANSFER / 100).toFixed(2), debtor: `Client ${c.no}`,
      structured: t.body.payment.instructions.reference });
  }
  const file = path.join(srv.dir, 'statement.xml');
  fs.writeFileSync(file, statement({ id: `CRASH-${SEED}`, entries }));
  const imported = srv.run(['import-statement', file]);
  assert.equal(imported.status, 0, imported.stderr);
  for (const c of clients) {
    const offer = await srv.api('GET', `/api/v1/orgs/${c.org}/refund-requests/refundable`, { token: c.token });
    assert.equal(offer.status, 200, offer.text);
    assert.equal(offer.body.payments.length, 1, offer.text);
    c.refundOf = offer.body.payments[0].payment;
    c.refundable = BANK_TRANSFER;
    c.balance += BANK_TRANSFER;
  }
}

/** Every request answered 2xx so far is in the store (run with the server down). */
function assertPresent(srv, clients, when) {
  const transfers = new Set(rows(srv, "SELECT id FROM ledger_transfers WHERE kind = 'adjustment'").map((r) => Number(r[0])));
  const orders = new Map(rows(srv, 'SELECT id, org_id FROM orders').map((r) => [Number(r[0]), Number(r[1])]));
  const withdrawals = new Map(rows(srv, 'SELECT id, org_id, status FROM withdrawals')
    .map((r) => [Number(r[0]), { org: Number(r[1]), status: r[2] }]));
  const refunds = new Map(rows(srv, 'SELECT id, org_id, status FROM refund_requests')
    .map((r) => [Number(r[0]), { org: Number(r[1]), status: r[2] }]));
  for (const c of clients) {
    for (const rec of c.records) {
      const what = `${when}: client ${c.no} ${rec.kind} ${rec.key || rec.path} answered ${rec.status}`;
      if (rec.kind === 'topup') assert.ok(transfers.has(rec.transferId), `${what}: transfer ${rec.transferId} missing`);
      if (rec.kind === 'order') assert.equal(orders.get(rec.orderId), c.org, `${what}: order ${rec.orderId} missing`);
      if (rec.kind === 'withdrawal') assert.equal(withdrawals.get(rec.withdrawalId)?.org, c.org, `${what}: withdrawal missing`);
      if (rec.kind === 'cancel') assert.equal(withdrawals.get(rec.withdrawalId)?.status, 'cancelled', `${what}: not cancelled`);
      if (rec.kind === 'refund') assert.equal(refunds.get(rec.refundId)?.org, c.org, `${what}: refund request missing`);
      if (rec.kind === 'refund-cancel') assert.equal(refunds.get(rec.refundId)?.status, 'cancelled', `${what}: not cancelled`);
    }
  }
}

const ids = (list) => list.map(Number).sort((a, b) => a - b);

/** At the end: each organization has exactly the effects of its 2xx answers, once. */
async function assertExact(srv, c) {
  const of = (kind, field) => ids(c.records.filter((r) => r.kind === kind).map((r) => r[field]));
  const topups = ids(rows(srv, `SELECT t.id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
    WHERE t.kind = 'adjustment' AND a.org_id = ${c.org}`).map((r) => r[0]));
  assert.deepEqual(topups, of('topup', 'transferId'), `client ${c.no}: top-ups`);
  assert.deepEqual(ids(rows(srv, `SELECT id FROM orders WHERE org_id = ${c.org}`).map((r) => r[0])), of('order', 'orderId'),
    `client ${c.no}: orders`);
  const wd = rows(srv, `SELECT id, status FROM withdrawals WHERE org_id = ${c.org}`);
  assert.deepEqual(ids(wd.map((r) => r[0])), of('withdrawal', 'withdrawalId'), `client ${c.no}: withdrawals`);
  for (const [id, status] of wd) {
    assert.equal(status, c.cancelled.has(Number(id)) ? 'cancelled' : 'pending', `client ${c.no}: withdrawal ${id}`);
  }
  const rf = rows(srv, `SELECT id, status FROM refund_requests WHERE org_id = ${c.org}`);
  assert.deepEqual(ids(rf.map((r) => r[0])), of('refund', 'refundId'), `client ${c.no}: refund requests`);
  for (const [id, status] of rf) {
    assert.equal(status, c.cancelledRefunds.has(Number(id)) ? 'cancelled' : 'requested', `client ${c.no}: refund ${id}`);
  }
  const keys = c.records.filter((r) => r.key).map((r) => r.key);
  assert.equal(new Set(keys).size, keys.length, 'each request has its own key');
  const w = await srv.api('GET', `/api/v1/orgs/${c.org}/wallets`, { token: c.token });
  assert.equal(w.status, 200, w.text);
  const eur = w.body.wallets.find((x) => x.currency === 'EUR');
  assert.equal(eur.balance.minor, c.balance, `client ${c.no}: the balance is the sum of the 2xx answers`);
}

/** Runs the workload and kills the server KILLS times; returns the clients and the last server. */
async function crashLoop(srv, clients, target, db, firstDir) {
  const rnd = prng(SEED);
  let stopping = false;
  const running = clients.map((c) => c.run(() => stopping));
  running.forEach((p) => p.catch(() => { stopping = true; }));
  try {
    for (let k = 1; k <= KILLS; k++) {
      await Promise.race([sleep(rnd.int(100, 600)), Promise.any(running).catch(() => {})]);
      if (stopping) break;
      assert.equal(srv.proc.exitCode, null, `the server died by itself:\n${srv.log().slice(-4000)}`);
      srv.proc.kill('SIGKILL');
      const { signal } = await new Promise((r) => srv.proc.once('exit', (code, sig) => r({ code, signal: sig })));
      assert.equal(signal, 'SIGKILL');
      const verify = saldoRun(['ledger', 'verify', '--database', db]);
      assert.equal(verify.status, 0, `kill ${k}: ledger verify failed:\n${verify.stdout}${verify.stderr}`);
      assertPresent(srv, clients, `after kill ${k}`);
      if (srv.dir !== firstDir) fs.rmSync(srv.dir, { recursive: true, force: true });
      srv = await startSaldo({ args: ['--database', db] });
      target.replace(srv);
    }
    await sleep(300); // the requests lost at the last kill are answered by the last server
  } finally {
    stopping = true;
    await Promise.allSettled(running);
  }
  await Promise.all(running);
  return srv;
}

test(`kill -9 under load, ${KILLS} times, on ${store}`, { timeout: 600000 }, async (t) => {
  t.diagnostic(`seed ${SEED} (CRASH_SEED=${SEED} repeats the random choices)`);
  const first = await startSaldo();
  const { db, dir: firstDir } = first;
  const target = new Target(first);
  let done = false;
  try {
    const staff = await staffLogin(first);
    const product = addProduct(first);
    const clients = [];
    for (let i = 0; i < CLIENTS; i++) {
      const u = await signUp(first);
      const c = new Client({ target, no: i, org: u.org.id, token: u.token, staffToken: staff.token, product,
        seed: SEED + i + 1 });
      await c.topup(20000);
      await c.order(); // learns what one order costs, taxes included
      clients.push(c);
    }
    await bankTransfers(first, clients);
    const srv = await crashLoop(first, clients, target, db, firstDir);
    const all = clients.flatMap((c) => c.records);
    const lost = all.filter((r) => r.lost > 0);
    const kinds = {};
    for (const r of all) kinds[r.kind] = (kinds[r.kind] || 0) + 1;
    t.diagnostic(`answered by kind: ${JSON.stringify(kinds)}`);
    t.diagnostic(`${all.length} requests answered; ${lost.length} sent again after a kill, ` +
      `${lost.filter((r) => r.replayed).length} of them replayed (committed before the kill), ` +
      `${lost.filter((r) => r.committedUnanswered).length} cancels found already done`);
    assertPresent(srv, clients, 'at the end');
    for (const c of clients) await assertExact(srv, c);
    done = true;
    await srv.stop(); // SIGTERM exits 0 and `saldo ledger verify` passes
  } finally {
    if (!done) target.server.proc.kill('SIGKILL'); // a failure must not leave a server keeping node alive
    fs.rmSync(firstDir, { recursive: true, force: true });
  }
});
