// security.mjs - helpers of the security suite (tests/e2e/security_*.test.mjs):
// the state-changing routes read from the router_add calls of the sources, a
// snapshot of every table to prove a refused request changed nothing, a signed-in
// customer and staff member with their web cookies, and raw sockets for the
// requests fetch will not send (bad paths, huge or dribbled headers).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { signUp } from './harness.mjs';
import { WebClient } from './web.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.resolve(here, '../../../src');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.c') ? [p] : [];
  });
}

/** Every route of `saldo serve` as registered in the sources (src/gateway is
 * the sandbox gateway's own server): [{method, pattern, flags: ['ROUTE_USER', ...]}]. */
export function routes() {
  const out = [];
  const re = /router_add\(\s*rt,\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*([A-Z_| ]+)\)/g;
  for (const f of sourceFiles(SRC).filter((p) => !p.includes(`${path.sep}gateway${path.sep}`))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(re)) {
      out.push({ method: m[1], pattern: m[2], flags: m[3].split('|').map((s) => s.trim()) });
    }
  }
  assert.ok(out.length > 100, `routes found in the sources: ${out.length}`);
  return out;
}

/** The pattern with every {param} replaced: values[name], else '1'. */
export function fill(pattern, values = {}) {
  return pattern.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? '1'));
}

/** The tables of the store, minus those that change on their own (sessions'
 * last_seen_at, the workers' bookkeeping). */
export function tables(saldo) {
  const q = saldo.db.startsWith('sqlite:')
    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";
  const volatile = new Set(['sessions', 'schema_migrations', 'jobs', 'outbox', 'billing_runs', 'settings']);
  return saldo.sql(q).split('\n').filter((t) => t && !volatile.has(t));
}

/** Every row of every (non-volatile) table, as text: equal snapshots mean
 * nothing changed. */
export function snapshot(saldo) {
  return tables(saldo).map((t) => `${t}:\n${saldo.sql(`SELECT * FROM ${t} ORDER BY 1`)}`).join('\n');
}

/** A customer signed in through the API (token) and the web form (web). */
export async function webUser(saldo, over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

/** A staff member added by the CLI and signed in through /staff/login. */
export async function webStaff(saldo, email = `sec${Date.now()}@saldo.test`, password = 'staff password 1') {
  const r = saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  assert.equal(r.status, 0, r.stderr);
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/staff/login');
  const res = await web.post('/staff/login', { _csrf, email, password });
  assert.equal(res.status, 303, res.text);
  assert.ok(web.jar.has('saldo_staff'));
  return { email, password, web };
}

/** Sends bytes on a raw socket and resolves with everything the server sent
 * back until it closed (or timeoutMs passed): {text, status, closed}. */
export function rawRequest(base, bytes, { timeoutMs = 5000 } = {}) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let text = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      sock.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : 0, closed });
    };
    sock.on('data', (d) => { text += d.toString('latin1'); });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.write(bytes);
  });
}

/** The headers of a raw response, lower-cased names. */
export function headersOf(text) {
  const head = text.split('\r\n\r\n')[0].split('\r\n').slice(1);
  return Object.fromEntries(head.map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  }));
}
