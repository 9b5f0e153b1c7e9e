// gateway.mjs - starts `saldo gateway-sandbox` on a free port with its own
// store, and a real webhook receiver (a node http server) that checks nothing
// itself: tests verify the Saldo-Signature header with verifySignature.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { SALDO_BIN, freePort, startSaldo, startSmtp, tempDir } from './harness.mjs';
import { startRelay } from './relay.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const API_KEY = 'sk_test_sandbox_key';
export const WEBHOOK_SECRET = 'whsec_sandbox_secret';

/** A webhook receiver: answers the first `fail` requests with `failStatus`, then 200. */
export async function startReceiver({ fail = 0, failStatus = 500 } = {}) {
  const received = [];
  let failures = fail;
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ headers: req.headers, body, answered: failures > 0 ? failStatus : 200, at: Date.now() });
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus).end('not now');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}/webhooks/gateway`,
    received,
    /** Waits until pred(received) holds (10 s at most). */
    async waitFor(pred, what = 'webhooks') {
      for (let i = 0; i < 200; i++) {
        if (pred(received)) return received;
        await sleep(50);
      }
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(received.map((r) => r.body))}`);
    },
    /** From now on, answer the next n requests with failStatus. */
    setFailures(n) { failures = n; },
    close: () => new Promise((r) => srv.close(r)),
  };
}

/** Checks `Saldo-Signature: t=<unix>,v1=<hex>` over "<t>.<body>" as saldo will. */
export function verifySignature(header, body, secret = WEBHOOK_SECRET) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header || '');
  if (!m) return false;
  const want = crypto.createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(want), Buffer.from(m[2]));
}

/** The gateway on a free port (or `port`, to restart it where saldo expects it); `dir` reuses the store of a
 * gateway stopped with {keep: true}. */
export async function startGateway({ webhookUrl, args = [], dir: reuse, port: at } = {}) {
  const port = at || await freePort();
  const dir = reuse || tempDir('saldo-gw-');
  const url = `http://127.0.0.1:${port}`;
  const db = `sqlite:${path.join(dir, 'gateway.db')}`;
  const proc = spawn(SALDO_BIN, ['gateway-sandbox', '--listen', `127.0.0.1:${port}`, '--database', db,
    '--api-key', API_KEY, '--webhook-url', webhookUrl || 'http://127.0.0.1:9/none',
    '--webhook-secret', WEBHOOK_SECRET, '--retry-base-ms', '100', ...args],
  { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}/v1/events`);
      break;
    } catch { /* not listening yet */ }
    if (i > 200 || proc.exitCode !== null) throw new Error(`gateway did not start:\n${log}`);
    await sleep(50);
  }
  let keys = 0;
  return {
    url, db, dir,
    log: () => log,
    /** One API call with the API key (unless token: null); JSON in and out. */
    async api(method, p, { body, token = API_KEY, idem, headers = {} } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      if (body !== undefined) h['Content-Type'] = 'application/json';
      if (idem !== null && method === 'POST') h['Idempotency-Key'] = idem || `k-${process.pid}-${++keys}`;
      const res = await fetch(url + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { json = null; }
      return { status: res.status, body: json, headers: res.headers };
    },
    /** A hosted-page form POST as a browser without JavaScript sends it: {status, location, text}. */
    async form(p, fields) {
      const res = await fetch(url + p, { method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    },
    async page(p) {
      const res = await fetch(url + p, { redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    },
    /** SIGTERM: it must exit 0. {keep: true} keeps the store for a restart. */
    async stop({ keep = false } = {}) {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const { code, signal } = await exited;
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`gateway exited ${code ?? signal} on SIGTERM:\n${log.slice(-4000)}`);
      if (/ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:/.test(log)) {
        throw new Error(`sanitizer report:\n${log.slice(-8000)}`);
      }
    },
  };
}

/** saldo wired to a sandbox gateway whose webhooks reach it through a relay
 * (tests/e2e/lib/relay.mjs: the test can hold them back), with a real SMTP
 * server unless smtp is false: {saldo, gw, relay, smtp, stop()}. */
export async function startPayments({ smtp: withSmtp = true } = {}) {
  const relay = await startRelay();
  const gw = await startGateway({ webhookUrl: relay.url });
  const smtp = withSmtp ? await startSmtp() : undefined;
  const saldo = await startSaldo({ smtp, args: ['--gateway-url', gw.url, '--gateway-api-key', API_KEY,
    '--gateway-webhook-secret', WEBHOOK_SECRET] });
  relay.target = `${saldo.url}/api/v1/webhooks/gateway`;
  const stack = {
    saldo, gw, relay, smtp,
    /** Stops what stack holds (a test that restarts the gateway puts the new one in stack.gw). */
    async stop() {
      await stack.gw.stop();
      await saldo.stop();
      await smtp?.stop();
      await relay.close();
    },
  };
  return stack;
}
