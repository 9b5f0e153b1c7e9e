// pg_copy.test.mjs - `saldo migrate --copy-from sqlite:PATH`: the demo
// database and one filled by real flows (sign-ups and their mails, credits,
// orders paid from the balance, withdrawals) copied into fresh PostgreSQL
// databases, once while the SQLite server keeps writing and once after:
// `ledger verify` holds, every table has the same rows, a server on the copy
// signs the users in and shows the same balances. A second copy into the now
// filled database is refused naming its tables and changes nothing; a row
// PostgreSQL refuses (invalid UTF-8) rolls the whole copy back; bad
// arguments are refused. Runs on a PostgreSQL cluster of its own unless
// E2E_PG_URL names one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { credit, product } from './lib/billing.mjs';
import { api, saldoRun, saldoRunAsync, signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { startPg } from './lib/pg.mjs';

let pg;
let dir;
before(() => {
  pg = startPg();
  dir = tempDir('saldo-copy-');
});
after(() => {
  pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sqliteQuery(file, query) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', file, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

/** {table: rows} of every table of a SQLite file or a PostgreSQL database. */
function counts(file, url) {
  const tables = sqliteQuery(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
    + ' ORDER BY name').split('\n');
  const query = tables.map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ');
  const parse = (out) => Object.fromEntries(out.split('\n').map((l) => l.split('|')).map(([t, c]) => [t, Number(c)]));
  return { source: parse(sqliteQuery(file, query)), target: url ? parse(pg.psql(url, query)) : null };
}

/** The copy command without blocking the event loop (a server may be writing). */
const copyAsync = (target, source) => saldoRunAsync(['migrate', '--database', target, '--copy-from', `sqlite:${source}`]);

/** Every wallet of each user's organization, as the API shows them. */
async function wallets(server, users) {
  const out = {};
  for (const u of users) {
    const s = await server.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
    assert.equal(s.status, 201, `${u.email} signs in: ${s.text}`);
    const orgs = await server.api('GET', '/api/v1/orgs', { token: s.body.token });
    assert.equal(orgs.status, 200, orgs.text);
    for (const o of orgs.body.organizations) {
      const w = await server.api('GET', `/api/v1/orgs/${o.id}/wallets`, { token: s.body.token });
      assert.equal(w.status, 200, w.text);
      out[`${u.email}/${o.id}`] = w.body.wallets.map((x) => `${x.currency}:${x.balance.minor}`).sort();
    }
  }
  return out;
}

/** A server on the copy: the same users, the same balances, a clean stop. */
async function sameOnCopy(url, users, expected) {
  const copy = await startSaldo({ args: ['--database', url] });
  try {
    assert.deepEqual(await wallets(copy, users), expected);
    const ping = await copy.api('GET', '/readyz');
    assert.equal(ping.status, 200, ping.text);
  } finally {
    await copy.stop();
  }
}

test('the demo database copies into PostgreSQL: same rows, same sign-ins and balances', async () => {
  const file = path.join(dir, 'demo.db');
  const demo = saldoRun(['demo', '--database', `sqlite:${file}`]);
  assert.equal(demo.status, 0, demo.stderr);
  const users = ['mario.rossi@example.com', 'anna.schmidt@example.com'].map((email) => ({ email,
    password: 'saldo-demo-1' }));
  const source = await startSaldo({ args: ['--database', `sqlite:${file}`] });
  const expected = await wallets(source, users);
  await source.stop();
  assert.ok(Object.values(expected).flat().some((w) => !w.endsWith(':0')), 'the demo has money to copy');

  const url = pg.database();
  const r = saldoRun(['migrate', '--database', url, '--copy-from', `sqlite:${file}`]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ledger: .*ok/);
  assert.match(r.stdout, /^ {2}ledger_transfers +\d+$/m);
  const c = counts(file, url);
  assert.deepEqual(c.target, c.source);
  await sameOnCopy(url, users, expected);
});

test('a live SQLite installation copies while it writes; after the writes stop the copy is exact', async () => {
  const file = path.join(dir, 'live.db');
  const smtp = await startSmtp();
  const source = await startSaldo({ smtp, args: ['--database', `sqlite:${file}`] });
  const staff = await staffLogin(source);
  const productId = product(source, { prices: { 12: 700 } });
  const users = [];
  const oddName = 'O\'Brien "Ünïcødé" ✓ 50% _x_ \\ end';
  for (let i = 0; i < 3; i++) {
    const u = await signUp(source, i ? {} : { name: oddName });
    await credit(source, staff, u.org.id, 20000);
    users.push(u);
  }
  let key = 0;
  const order = (u) => source.api('POST', `/api/v1/orgs/${u.org.id}/orders`, { token: u.token,
    headers: { 'Idempotency-Key': `copy-order-${++key}` },
    body: { currency: 'EUR', accept_terms: true, pay_with: 'balance', items: [{ product_id: productId, period: 12 }] } });
  const withdraw = (u) => source.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals`, { token: u.token,
    headers: { 'Idempotency-Key': `copy-w-${++key}` },
    body: { amount: { currency: 'EUR', minor: 150 },
      destination: { method: 'bank', iban: 'DE89 3704 0044 0532 0130 00', holder: 'Mario Rossi' } } });
  for (const u of users) {
    assert.equal((await order(u)).status, 201);
    assert.equal((await withdraw(u)).status, 201);
  }
  await smtp.waitFor(users[2].email, (m) => /requested/.test(m.subject));

  let stopping = false;
  const writes = (async () => {
    let n = 0;
    while (!stopping) {
      const u = users[n++ % users.length];
      await credit(source, staff, u.org.id, 700);
      assert.equal((await order(u)).status, 201);
    }
    return n;
  })();
  const live = await copyAsync(pg.database(), file);
  stopping = true;
  assert.ok(await writes > 0, 'the server wrote during the copy');
  assert.equal(live.status, 0, live.stdout + live.stderr);
  assert.match(live.stdout, /ledger: .*ok/);

  const expected = await wallets(source, users);
  const url = pg.database();
  const r = await copyAsync(url, file);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const c = counts(file, url);
  assert.deepEqual(c.target, c.source);
  for (const t of ['outbox', 'orders', 'withdrawals', 'ledger_transfers', 'sessions', 'users'])
    assert.ok(c.source[t] > 0, `${t} has rows to copy`);
  await sameOnCopy(url, users, expected);

  // A new row on the copy gets a fresh id: the sequences moved past the copied ones.
  const copy = await startSaldo({ args: ['--database', url] });
  const u = await signUp(copy);
  assert.ok(u.user.id > Math.max(...users.map((x) => x.user.id)));
  const s = await copy.api('POST', '/api/v1/sessions', { body: { email: users[0].email, password: users[0].password } });
  assert.equal((await copy.api('GET', '/api/v1/me', { token: s.body.token })).body.user.name, oddName);
  await copy.stop();

  // Copying again into the filled database is refused and changes nothing.
  const before = counts(file, url).target;
  const again = await copyAsync(url, file);
  assert.equal(again.status, 1, again.stdout + again.stderr);
  assert.match(again.stderr, /not empty: .*users \(\d+ rows\)/);
  assert.match(again.stderr, /ledger_transfers/);
  assert.deepEqual(counts(file, url).target, before);

  await source.stop();
  await smtp.stop();
});

test('bad arguments are refused and write nothing', async () => {
  const file = path.join(dir, 'demo.db');
  const url = pg.database();
  let r = saldoRun(['migrate', '--database', `sqlite:${path.join(dir, 'other.db')}`, '--copy-from', `sqlite:${file}`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /copies into PostgreSQL/);
  assert.ok(!fs.existsSync(path.join(dir, 'other.db')), 'no SQLite target is created');
  r = saldoRun(['migrate', '--database', url, '--copy-from', `sqlite:${path.join(dir, 'missing.db')}`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no SQLite database at .*missing\.db/);
  assert.ok(!fs.existsSync(path.join(dir, 'missing.db')), 'the missing source is not created');
  r = saldoRun(['migrate', '--database', url, '--copy-from', url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /needs sqlite:PATH/);
  r = saldoRun(['migrate', '--database', url, '--copy-from']);
  assert.equal(r.status, 2);
  assert.equal(pg.psql(url, 'SELECT count(*) FROM users'), '0');
});

test('a row PostgreSQL refuses stops the copy and leaves the target without data', async () => {
  const file = path.join(dir, 'bad.db');
  assert.equal(saldoRun(['demo', '--database', `sqlite:${file}`]).status, 0);
  // Invalid UTF-8: SQLite keeps it, PostgreSQL refuses it, in a table copied late.
  sqliteQuery(file, "INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at)"
    + " VALUES ('x@example.test', CAST(X'C328' AS TEXT), 'body', 0, 0)");
  const url = pg.database();
  const r = saldoRun(['migrate', '--database', url, '--copy-from', `sqlite:${file}`]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /copy refused: copy outbox row 1: .*UTF8/);
  assert.doesNotMatch(r.stdout, /copied/);
  assert.equal(pg.psql(url, 'SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM ledger_transfers)'), '0');
  // Without that row the same target takes the copy.
  sqliteQuery(file, "DELETE FROM outbox WHERE recipient = 'x@example.test'");
  assert.equal(saldoRun(['migrate', '--database', url, '--copy-from', `sqlite:${file}`]).status, 0);
});
