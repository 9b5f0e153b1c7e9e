// harness.mjs - starts the real pieces for end-to-end tests: the saldo binary
// (E2E_SALDO_BIN) on a free loopback port with its own SQLite file, and a real SMTP
// server. Stopping saldo checks that it exits 0 on SIGTERM and that
// `saldo ledger verify` holds on what the test left behind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SALDO_BIN = process.env.E2E_SALDO_BIN || path.resolve(here, '../../../build/saldo');
export const OUT_DIR = process.env.E2E_OUT || path.resolve(here, '../../../test-output/e2e');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function tempDir(prefix = 'saldo-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs a saldo command to completion: {status, stdout, stderr}. */
/** "YYYY-MM-DD": the provider's calendar day (Europe/Rome) at ms, the date saldo gives documents. */
export const providerDay = (ms = Date.now()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(ms);
/** "2026-11-23 15:05 CET": ms on the provider's clock, as saldo's zone_format writes it. */
export function providerTime(ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'shortOffset' })
    .formatToParts(ms).map((p) => [p.type, p.value]));
  const abbr = parts.timeZoneName === 'GMT+2' ? 'CEST' : 'CET';
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${abbr}`;
}

export function saldoRun(args, { input, env } = {}) {
  const r = spawnSync(SALDO_BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** saldoRun without blocking the event loop (servers and other runs go on):
 * resolves {status, stdout, stderr, out}, out both streams as they came. */
export function saldoRunAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(SALDO_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const got = { stdout: '', stderr: '', out: '' };
    for (const stream of ['stdout', 'stderr']) {
      p[stream].on('data', (d) => { got[stream] += d; got.out += d; });
    }
    p.on('exit', (status) => resolve({ status, ...got }));
  });
}

/** What gives away a mail rendered from missing data: a placeholder left
 * standing, a C NULL or a JavaScript value printed as text. */
export const UNRENDERED = /\{\{|\}\}|\(null\)|\bundefined\b|\bNaN\b|\[object Object\]/;

/** A real SMTP server; {defer: N} answers the first N messages 451. Stopping
 * it fails the test file when any mail it took shows UNRENDERED in its subject
 * or text. */
export async function startSmtp({ defer = 0 } = {}) {
  const port = await freePort();
  const dir = tempDir('saldo-mail-');
  const proc = spawn('/usr/bin/python3', [path.join(here, 'smtp_server.py'), String(port), dir, String(defer)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    proc.stdout.once('data', (d) => (String(d).includes('ready') ? resolve() : reject(new Error(String(d)))));
    proc.once('exit', (code) => reject(new Error(`smtp server exited ${code}`)));
  });
  const read = () => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: read,
    /** Waits for a message to `to` matching `pred`; returns it. */
    async waitFor(to, pred = () => true, timeoutMs = 15000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const m = read().find((x) => x.to.includes(to) && pred(x));
        if (m) return m;
        await sleep(100);
      }
      throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    },
    async stop() {
      const bad = read().filter((m) => UNRENDERED.test(`${m.subject}\n${m.text}`));
      proc.stdin.end();
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
      if (bad.length) throw new Error(`mails rendered from missing data:\n${bad.map((m) => `${m.subject}\n${m.text}`).join('\n---\n')}`);
    },
  };
}

let dbCounter = 0;
/** A fresh database URL: a new PostgreSQL database when E2E_PG_URL (an admin
 * URL of a test cluster) is set, else a SQLite file in dir. */
function freshDatabase(dir) {
  const admin = process.env.E2E_PG_URL;
  if (!admin) return `sqlite:${path.join(dir, 'saldo.db')}`;
  const name = `saldo_${process.pid}_${Date.now()}_${++dbCounter}`;
  const r = spawnSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb: ${r.stderr}`);
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/** Starts `saldo serve`; pass {smtp} to send mail to a test SMTP server. */
export async function startSaldo({ smtp, args = [], env = {} } = {}) {
  const port = await freePort();
  const dir = tempDir();
  const url = `http://127.0.0.1:${port}`;
  const db = args.includes('--database') ? args[args.indexOf('--database') + 1] : freshDatabase(dir);
  const flags = ['--database', db, '--listen', `127.0.0.1:${port}`, '--base-url', url, '--log-level', 'warn'];
  if (smtp) flags.push('--smtp-url', smtp.url, '--mail-from', 'billing@saldo.test');
  const proc = spawn(SALDO_BIN, ['serve', ...flags, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, cwd: dir });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (i > 200 || proc.exitCode !== null) throw new Error(`saldo did not start:\n${log}`);
    await sleep(50);
  }
  const server = {
    url, db, dir, proc,
    log: () => log,
    run: (args2, opts) => saldoRun([...args2, '--database', db], opts),
    runAsync: (args2) => saldoRunAsync([...args2, '--database', db]),
    /** Runs SQL directly on the server's store (sqlite3 or psql), for tests that
     * must age a token or look under the API. Returns stdout. The sqlite3 shell
     * waits for the server's writers (its workers write at any moment) instead
     * of failing with "database is locked". */
    sql(query) {
      const r = db.startsWith('sqlite:')
        ? spawnSync('sqlite3', ['-cmd', '.timeout 10000', db.slice(7), query], { encoding: 'utf8' })
        : spawnSync('psql', [db, '-Atqc', query], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sql: ${r.stderr}`);
      return r.stdout.trim();
    },
    api: (method, p, opts) => api(url, method, p, opts),
    /** SIGTERM, expect exit 0, then `ledger verify` must hold. */
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const { code, signal } = await exited;
      const verify = saldoRun(['ledger', 'verify', '--database', db]);
      fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`saldo exited ${code ?? signal} on SIGTERM:\n${log.slice(-4000)}`);
      if (verify.status !== 0) throw new Error(`ledger verify failed:\n${verify.stdout}${verify.stderr}`);
      if (/ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:/.test(log)) {
        throw new Error(`sanitizer report:\n${log.slice(-8000)}`);
      }
    },
  };
  return server;
}

/** One JSON API call: {status, body, headers}. */
export async function api(base, method, p, { token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] = h['Content-Type'] || 'application/json';
  }
  const res = await fetch(base + p, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: res.status, body: json, text, headers: res.headers };
}

let counter = 0;
/** A fresh customer through the real sign-up: {email, password, user, org, token}. */
export async function signUp(server, over = {}) {
  counter += 1;
  const email = over.email || `user${Date.now()}${counter}@example.test`;
  const password = over.password || 'correct horse battery';
  const r = await server.api('POST', '/api/v1/signup', {
    body: { email, password, name: over.name || `Test User ${counter}`, country: over.country || 'IT',
      language: over.language || 'en' },
  });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${r.text}`);
  const s = await server.api('POST', '/api/v1/sessions', { body: { email, password } });
  if (s.status !== 201) throw new Error(`login: ${s.status} ${s.text}`);
  return { email, password, user: r.body.user, org: r.body.organization, token: s.body.token };
}

/** A staff account through the CLI, signed in: {email, token}. */
export async function staffLogin(server, email = `staff${++counter}@saldo.test`, password = 'staff password 1') {
  const r = server.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  if (r.status !== 0) throw new Error(`staff add: ${r.stderr}`);
  const s = await server.api('POST', '/api/v1/staff/sessions', { body: { email, password } });
  if (s.status !== 201) throw new Error(`staff login: ${s.status} ${s.text}`);
  return { email, token: s.body.token };
}

/** Sends JSON API requests so that they reach the server together, for tests
 * of what concurrent requests share: each on a connection of its own, all but
 * its last byte first, then, once every connection holds its part, every last
 * byte at once. Resolves with [{status, body, text}] in the order given.
 * Each request is {method, path, token, headers, body}. */
export async function burst(base, requests) {
  const u = new URL(base);
  const wire = requests.map(({ method, path: p, token, headers = {}, body }) => {
    const payload = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const h = { Host: u.host, Connection: 'close', 'Content-Length': payload.length, ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (token) h.Authorization = `Bearer ${token}`;
    const head = `${method} ${p} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    return Buffer.concat([Buffer.from(head), payload]);
  });
  const socks = await Promise.all(wire.map((bytes) => new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(bytes.subarray(0, -1), () => resolve(sock)));
    sock.once('error', reject);
  })));
  await sleep(50); /* every partial request read by the server */
  const answers = socks.map((sock) => new Promise((resolve, reject) => {
    const chunks = [];
    sock.on('data', (d) => chunks.push(d));
    sock.once('error', reject);
    sock.once('end', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
  }));
  socks.forEach((sock, i) => sock.write(wire[i].subarray(-1)));
  return Promise.all(answers);
}

/** {status, body, text} of one raw HTTP/1.1 response read to its end (as
 * latin1: one character a byte, so chunk sizes count right). */
function parseResponse(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  let text = raw.slice(split + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    let out = '';
    for (let at = 0; ;) {
      const eol = text.indexOf('\r\n', at);
      const size = parseInt(text.slice(at, eol), 16);
      if (!size) break;
      out += text.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    text = out;
  }
  text = Buffer.from(text, 'latin1').toString('utf8');
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] || 0), body, text };
}
