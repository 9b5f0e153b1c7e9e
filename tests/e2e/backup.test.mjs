// backup.test.mjs - `saldo backup` on a live SQLite database: serve under a
// stream of writes (staff credit adjustments and orders paid from the
// balance), a backup taken in the middle, then a second server on the copy:
// it starts, `saldo ledger verify` holds on the copy, and every write
// answered 2xx before the backup began is in it. Bad input: no destination,
// the live database itself, a PostgreSQL URL (pg_dump is the way, named).
// On a PostgreSQL run: the pg_dump and pg_restore commands of
// docs/OPERATIONS.md, restored into a new database that serves.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { saldoRun, saldoRunAsync, signUp, staffLogin, startSaldo, tempDir } from './lib/harness.mjs';

const onPg = Boolean(process.env.E2E_PG_URL);
let saldo;
let staff;
let dir;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  dir = tempDir('saldo-backup-');
});
after(async () => {
  await saldo.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A product of 1 EUR a month, no setup fee; returns its id. */
function product() {
  const t = now();
  const cat = saldo.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at)
    VALUES ('bk${t}', 'Backup', 'Backup', ${t}) RETURNING id`).split('\n').pop();
  const id = saldo.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at,
    updated_at) VALUES (${cat}, 'bkp${t}', 'Small', 'Piccolo', 0, ${t}, ${t}) RETURNING id`).split('\n').pop();
  saldo.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor)
    VALUES (${id}, 'EUR', 1, 100, 0)`);
  return Number(id);
}

/** `saldo backup` without blocking the event loop (the writers keep going). */
const backupAsync = (args) => saldoRunAsync(['backup', ...args]);

let keyNo = 0;
/** Keeps writing until stop(): credits and orders, each answered 2xx
 * recorded with the time its answer arrived. */
function writers(users, productId) {
  const done = { transfers: [], orders: [] };
  let stopping = false;
  const credit = async (u) => {
    while (!stopping) {
      const r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, {
        token: staff.token, headers: { 'Idempotency-Key': `bk-credit-${++keyNo}` },
        body: { amount: { currency: 'EUR', minor: 500 }, reason: 'backup test' },
      });
      assert.equal(r.status, 201, r.text);
      done.transfers.push({ id: r.body.transfer.id, at: Date.now() });
    }
  };
  const buy = async (u) => {
    while (!stopping) {
      const r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, {
        token: u.token, headers: { 'Idempotency-Key': `bk-order-${++keyNo}` },
        body: { currency: 'EUR', accept_terms: true, pay_with: 'balance', items: [{ product_id: productId, period: 1 }] },
      });
      if (r.status === 201) done.orders.push({ id: r.body.order.id, at: Date.now() });
      else assert.equal(r.body.error.code, 'insufficient_funds', r.text);
    }
  };
  const running = Promise.all(users.flatMap((u) => [credit(u), buy(u)]));
  return { done, stop: async () => { stopping = true; await running; } };
}

test('a backup taken under writes holds every write answered before it, and serves', { skip: onPg }, async () => {
  const users = [await signUp(saldo), await signUp(saldo)];
  const stream = writers(users, product());
  await sleep(1500);
  const copy = path.join(dir, 'copy.db');
  const began = Date.now();
  const b = await backupAsync(['--database', saldo.db, copy]);
  await sleep(500);
  await stream.stop();
  assert.equal(b.status, 0, b.out);
  assert.match(b.out, /backed up .* integrity ok/);
  assert.equal(fs.existsSync(`${copy}.tmp`), false);
  const before = (list) => list.filter((w) => w.at < began).map((w) => w.id);
  const transfers = before(stream.done.transfers);
  const orders = before(stream.done.orders);
  assert.ok(transfers.length > 5 && orders.length > 5, `only ${transfers.length} credits, ${orders.length} orders`);
  assert.ok(stream.done.transfers.length > transfers.length, 'writes went on during the backup');

  const verify = saldoRun(['ledger', 'verify', '--database', `sqlite:${copy}`]);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  const second = await startSaldo({ args: ['--database', `sqlite:${copy}`] });
  try {
    const have = (table, ids) => new Set(second.sql(`SELECT id FROM ${table} WHERE id IN (${ids.join(',')})`)
      .split('\n').filter(Boolean).map(Number));
    const t = have('ledger_transfers', transfers);
    assert.deepEqual(transfers.filter((id) => !t.has(id)), [], 'credits answered before the backup are missing');
    const o = have('orders', orders);
    assert.deepEqual(orders.filter((id) => !o.has(id)), [], 'orders answered before the backup are missing');
    const r = await second.api('GET', `/api/v1/orgs/${users[0].org.id}/wallets`, { token: users[0].token });
    assert.equal(r.status, 200, r.text);
    assert.equal((await second.api('GET', '/readyz')).status, 200);
  } finally {
    await second.stop();
  }
});

test('restore: stop, copy the backup back, start again', { skip: onPg }, async () => {
  const live = path.join(dir, 'live.db');
  const first = await startSaldo({ args: ['--database', `sqlite:${live}`] });
  const u = await signUp(first);
  const backup = path.join(dir, 'restore.db');
  assert.equal(first.run(['backup', backup]).status, 0);
  const later = await signUp(first); // after the backup: gone once restored
  await first.stop();
  for (const f of [live, `${live}-wal`, `${live}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(backup, live);
  const again = await startSaldo({ args: ['--database', `sqlite:${live}`] });
  try {
    const s = await again.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
    assert.equal(s.status, 201, s.text);
    const gone = await again.api('POST', '/api/v1/sessions', { body: { email: later.email, password: later.password } });
    assert.equal(gone.status, 401, gone.text);
  } finally {
    await again.stop();
  }
});

test('bad input: no destination, the live database, PostgreSQL; nothing is written', async () => {
  const none = saldoRun(['backup', '--database', saldo.db]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /backup needs a destination file/);
  if (!onPg) {
    const self = saldoRun(['backup', '--database', saldo.db, saldo.db.slice(7)]);
    assert.equal(self.status, 1);
    assert.match(self.stderr, /refusing to write over the live database/);
    const missing = saldoRun(['backup', '--database', `sqlite:${path.join(dir, 'nothing.db')}`, path.join(dir, 'x.db')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read the database/);
    assert.equal(fs.existsSync(path.join(dir, 'nothing.db')), false);
    assert.equal(fs.existsSync(path.join(dir, 'x.db')), false);
  }
  const pg = saldoRun(['backup', '--database', 'postgresql://127.0.0.1:1/saldo', path.join(dir, 'pg.dump')]);
  assert.equal(pg.status, 1);
  assert.match(pg.stderr, /pg_dump --format=custom/);
  assert.equal(fs.existsSync(path.join(dir, 'pg.dump')), false);
});

test('PostgreSQL: pg_dump under writes, pg_restore into a new database, serve on it', { skip: !onPg }, async () => {
  const users = [await signUp(saldo)];
  const stream = writers(users, product());
  await sleep(1000);
  const file = path.join(dir, 'saldo.dump');
  const began = Date.now();
  const dump = await new Promise((resolve) => {
    const p = spawn('pg_dump', ['--format=custom', `--file=${file}`, saldo.db], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (status) => resolve({ status, err }));
  });
  await stream.stop();
  assert.equal(dump.status, 0, dump.err);
  const target = `${saldo.db}_restored`;
  const name = target.slice(target.lastIndexOf('/') + 1);
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  run('psql', [process.env.E2E_PG_URL, '-qc', `CREATE DATABASE ${name}`]);
  run('pg_restore', ['--no-owner', `--dbname=${target}`, file]);
  const verify = saldoRun(['ledger', 'verify', '--database', target]);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  const second = await startSaldo({ args: ['--database', target] });
  try {
    const transfers = stream.done.transfers.filter((w) => w.at < began).map((w) => w.id);
    assert.ok(transfers.length > 0);
    const have = new Set(second.sql(`SELECT id FROM ledger_transfers WHERE id IN (${transfers.join(',')})`)
      .split('\n').filter(Boolean).map(Number));
    assert.deepEqual(transfers.filter((id) => !have.has(id)), []);
    const orders = stream.done.orders.filter((w) => w.at < began).map((w) => w.id);
    if (orders.length) {
      const o = new Set(second.sql(`SELECT id FROM orders WHERE id IN (${orders.join(',')})`)
        .split('\n').filter(Boolean).map(Number));
      assert.deepEqual(orders.filter((id) => !o.has(id)), []);
    }
    assert.equal((await second.api('GET', '/readyz')).status, 200);
  } finally {
    await second.stop();
  }
});
