// platform.test.mjs - the binary as an operator meets it: commands and their
// errors, configuration precedence, HTTP limits and headers, graceful stop.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { saldoRun, signUp, startSaldo, tempDir } from './lib/harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ecbSample = path.resolve(repo, 'tests/unit/feature/data/eurofxref-daily.sample.xml');

test('every command has --help; unknown commands and options exit 2 with one line', () => {
  const listed = saldoRun(['--help']).stdout.split('\n').filter((l) => /^  [a-z]/.test(l)).map((l) => l.trim().split(' ')[0]);
  assert.deepEqual(listed, ['serve', 'migrate', 'demo', 'ledger', 'import-rates', 'import-statement', 'billing-run',
    'sync-payments', 'gateway-sandbox', 'backup', 'mail-in', 'staff']);
  for (const c of listed) {
    const r = saldoRun([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, new RegExp(`usage: saldo ${c}`));
  }
  assert.equal(saldoRun(['--help']).status, 0);
  const unknown = saldoRun(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);
  assert.equal(saldoRun(['migrate', '--bogus']).status, 2);
  assert.equal(saldoRun(['ledger']).status, 2);
});

test('bad configuration values and unknown keys name the key', () => {
  const dir = tempDir();
  const r = saldoRun(['migrate', '--listen', 'nope', '--database', `sqlite:${dir}/x.db`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--listen/);
  fs.writeFileSync(path.join(dir, 'saldo.conf'), 'database = sqlite:x.db\nlisen = 1\n');
  const f = saldoRun(['migrate', '--config', path.join(dir, 'saldo.conf')]);
  assert.equal(f.status, 2);
  assert.match(f.stderr, /lisen/);
  const e = saldoRun(['migrate', '--database', `sqlite:${dir}/y.db`], { env: { SALDO_PROVIDER_IBAN: 'IT00X' } });
  assert.equal(e.status, 2);
  assert.match(e.stderr, /SALDO_PROVIDER_IBAN/);
});

test('flags beat environment, which beats the file', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'saldo.conf'), `database = sqlite:${dir}/file.db\n`);
  const conf = ['--config', path.join(dir, 'saldo.conf')];
  assert.match(saldoRun(['migrate', ...conf]).stdout, /file\.db/);
  assert.match(saldoRun(['migrate', ...conf], { env: { SALDO_DATABASE: `sqlite:${dir}/env.db` } }).stdout, /env\.db/);
  assert.match(saldoRun(['migrate', ...conf, '--database', `sqlite:${dir}/flag.db`],
    { env: { SALDO_DATABASE: `sqlite:${dir}/env.db` } }).stdout, /flag\.db/);
});

test('migrate applies once; demo seeds customers and staff; the ledger holds', () => {
  const dir = tempDir();
  const db = `sqlite:${dir}/demo.db`;
  assert.match(saldoRun(['migrate', '--database', db]).stdout, /[1-9]\d* migration/);
  assert.match(saldoRun(['migrate', '--database', db]).stdout, /0 migration/);
  const demo = saldoRun(['demo', '--database', db, '--force']);
  assert.equal(demo.status, 0, demo.stderr);
  assert.match(demo.stdout, /mario\.rossi@example\.com/);
  assert.match(demo.stdout, /staff@example\.com/);
  assert.equal(saldoRun(['demo', '--database', db]).status, 1, 'refuses to overwrite without --force');
  const v = saldoRun(['ledger', 'verify', '--database', db]);
  assert.equal(v.status, 0, v.stdout);
  assert.match(v.stdout, /ok$/m);
});

test('ledger verify exits 1 and names the account when a balance was tampered with', () => {
  const dir = tempDir();
  const db = `sqlite:${dir}/t.db`;
  assert.equal(saldoRun(['demo', '--database', db]).status, 0);
  execFileSync('sqlite3', [`${dir}/t.db`, "UPDATE ledger_accounts SET balance_minor = balance_minor + 1 WHERE id = (SELECT MIN(id) FROM ledger_accounts WHERE code = 'wallet')"]);
  const v = saldoRun(['ledger', 'verify', '--database', db]);
  assert.equal(v.status, 1);
  assert.match(v.stdout, /account \d+ \(wallet org \d+ EUR\): stored balance/);
});

test('import-rates stores the ECB file once and refuses a bad one', () => {
  const dir = tempDir();
  const db = `sqlite:${dir}/r.db`;
  const r = saldoRun(['import-rates', ecbSample, '--database', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /rates of \d{4}-\d\d-\d\d read, [1-9]\d* new/);
  assert.match(saldoRun(['import-rates', ecbSample, '--database', db]).stdout, /, 0 new/);
  fs.writeFileSync(path.join(dir, 'bad.xml'), '<nope/>');
  const bad = saldoRun(['import-rates', path.join(dir, 'bad.xml'), '--database', db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.xml/);
  assert.equal(saldoRun(['import-rates', path.join(dir, 'missing.xml'), '--database', db]).status, 1);
});

test('HTTP: health, security headers, JSON errors, method and size limits', async () => {
  const s = await startSaldo();
  try {
    const h = await fetch(`${s.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' });
    assert.equal(h.headers.get('x-frame-options'), 'DENY');
    assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
    assert.match(h.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.ok(h.headers.get('referrer-policy'));
    assert.equal(h.headers.get('strict-transport-security'), null, 'no HSTS on plain http');
    const nf = await s.api('GET', '/api/v1/nothing-here');
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error.code, 'not_found');
    const m = await s.api('PUT', '/healthz');
    assert.equal(m.status, 405);
    const big = await s.api('POST', '/api/v1/signup', { raw: 'x'.repeat(2 * 1024 * 1024), headers: { 'Content-Type': 'application/json' } });
    assert.equal(big.status, 413);
    const ct = await s.api('POST', '/api/v1/signup', { raw: '{}', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(ct.status, 415);
  } finally {
    await s.stop();
  }
});

test('HSTS is sent when the public URL is https', async () => {
  const s = await startSaldo({ args: ['--base-url', 'https://billing.example.test'] });
  try {
    const h = await fetch(`${s.url}/healthz`);
    assert.match(h.headers.get('strict-transport-security'), /max-age=\d+/);
  } finally {
    await s.stop();
  }
});

test('SIGTERM lets a request in flight finish, then exits 0', async () => {
  const s = await startSaldo();
  const pending = s.api('POST', '/api/v1/signup', {
    body: { email: 'late@example.test', password: 'long enough pw', name: 'Late', country: 'IT', language: 'en' },
  });
  await new Promise((r) => setTimeout(r, 20));
  s.proc.kill('SIGTERM');
  const r = await pending;
  assert.equal(r.status, 201);
  await s.stop(); // asserts exit code 0 and ledger verify
});

test('a signed-up user can sign in again after a restart (data is durable)', async () => {
  const s = await startSaldo();
  const u = await signUp(s);
  s.proc.kill('SIGTERM');
  await new Promise((r) => s.proc.once('exit', r));
  const again = await startSaldo({ args: ['--database', s.db] });
  try {
    const login = await again.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
    assert.equal(login.status, 201);
  } finally {
    await again.stop();
  }
});
