// ops.test.mjs - operations endpoints: GET /metrics (the Prometheus text
// format, per route template, cumulative histograms, the database gauges, the
// last billing run; loopback only by default, a bearer token when
// metrics.token is set, a bad token value refused at start naming the key)
// and GET /readyz against /healthz: 503 while the database is gone (the
// SQLite file removed; on a PostgreSQL run, a cluster of its own stopped and
// started again, the connections reopening by themselves).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { product, service } from './lib/billing.mjs';
import { saldoRun, signUp, startSaldo, startSmtp } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const onPg = Boolean(process.env.E2E_PG_URL);
let saldo;
let smtp;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
});
after(async () => { await saldo.stop(); await smtp.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parses the text format: [{name, labels, value}] and the HELP/TYPE names. */
function parse(text) {
  const samples = [];
  const types = {};
  for (const line of text.split('\n')) {
    if (!line) continue;
    const t = line.match(/^# TYPE (\S+) (counter|gauge|histogram)$/);
    if (t) { types[t[1]] = t[2]; continue; }
    if (line.startsWith('# HELP ')) continue;
    const m = line.match(/^([a-z_]+)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = {};
    for (const [, k, v] of (m[2] || '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const pick = (s, name, labels = {}) => s.samples.filter((x) => x.name === name
  && Object.entries(labels).every(([k, v]) => x.labels[k] === v));

async function scrape(server = saldo, headers = {}) {
  const r = await server.api('GET', '/metrics', { headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parse(r.text);
}

test('/metrics counts requests per route template with a cumulative latency histogram', async () => {
  const u = await signUp(saldo);
  for (let i = 0; i < 3; i++) {
    assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token })).status, 200);
  }
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`)).status, 401);
  assert.equal((await saldo.api('GET', '/no/such/page/123')).status, 404);
  // A request is counted when it completes, just after its answer is sent:
  // scrape until the last one is in.
  const route = { method: 'GET', route: '/api/v1/orgs/{org_id}/wallets' };
  let m;
  for (let i = 0; i < 100; i++) {
    m = await scrape();
    if (pick(m, 'saldo_http_requests_total', { route: 'unmatched', code: '4xx' }).length
        && pick(m, 'saldo_http_request_duration_seconds_count', route)[0]?.value === 4) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(m.types.saldo_http_requests_total, 'counter');
  assert.equal(m.types.saldo_http_request_duration_seconds, 'histogram');
  assert.equal(pick(m, 'saldo_http_requests_total', { ...route, code: '2xx' })[0].value, 3);
  assert.equal(pick(m, 'saldo_http_requests_total', { ...route, code: '4xx' })[0].value, 1);
  assert.ok(pick(m, 'saldo_http_requests_total', { route: 'unmatched', code: '4xx' })[0].value >= 1);
  assert.ok(!m.samples.some((x) => x.labels.route && /\/\d+(\/|$)/.test(x.labels.route)), 'a raw path became a label');
  const buckets = pick(m, 'saldo_http_request_duration_seconds_bucket', route);
  assert.equal(buckets.at(-1).labels.le, '+Inf');
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value, 'buckets are cumulative');
  assert.equal(buckets.at(-1).value, 4);
  assert.equal(pick(m, 'saldo_http_request_duration_seconds_count', route)[0].value, 4);
  const sum = pick(m, 'saldo_http_request_duration_seconds_sum', route)[0].value;
  assert.ok(sum > 0 && sum < 4 * 10, `sum ${sum}`);
  assert.equal(pick(m, 'saldo_database_up')[0].value, 1);
});

test('/metrics reads the outbox, payments, services and the last billing run from the database', async () => {
  const u = await signUp(saldo);
  saldo.sql(`INSERT INTO payments (org_id, user_id, method, status, amount_minor, currency, idem_key, created_at)
    VALUES (${u.org.id}, ${u.user.id}, 'card', 'failed', 1000, 'EUR', 'metrics-test', 0)`);
  service(saldo, u.org.id, product(saldo), Math.floor(Date.now() / 1000) + 200 * 86400);
  const run = saldo.run(['billing-run']);
  assert.equal(run.status, 0, run.stderr);
  const m = await scrape();
  for (const name of ['saldo_outbox_messages', 'saldo_payments', 'saldo_services', 'saldo_billing_run_last_services']) {
    assert.equal(m.types[name], 'gauge', name);
  }
  const mails = pick(m, 'saldo_outbox_messages').reduce((n, x) => n + x.value, 0);
  assert.equal(mails, Number(saldo.sql('SELECT count(*) FROM outbox')));
  assert.equal(pick(m, 'saldo_payments', { method: 'card', status: 'failed' })[0].value, 1);
  assert.equal(pick(m, 'saldo_services', { status: 'active' })[0].value,
    Number(saldo.sql("SELECT count(*) FROM services WHERE status = 'active'")));
  assert.ok(pick(m, 'saldo_billing_runs_total', { outcome: 'ok' })[0].value >= 1);
  assert.equal(pick(m, 'saldo_billing_run_last_success')[0].value, 1);
  const finished = pick(m, 'saldo_billing_run_last_finished_timestamp_seconds')[0].value;
  assert.ok(Math.abs(finished - Date.now() / 1000) < 60, `finished at ${finished}`);
  assert.deepEqual(pick(m, 'saldo_billing_run_last_services').map((x) => x.labels.result).sort(),
    ['reminded', 'renewal_failed', 'renewed', 'suspended', 'terminated']);
});

test('/metrics is refused through a proxy; a token, when set, is required from anywhere', async () => {
  let r = await saldo.api('GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'forbidden');
  r = await saldo.api('GET', '/metrics', { headers: { Forwarded: 'for=203.0.113.9' } });
  assert.equal(r.status, 403);
  const token = 'scrape-token-0123456789';
  const guarded = await startSaldo({ args: ['--metrics-token', token] });
  try {
    r = await guarded.api('GET', '/metrics');
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    r = await guarded.api('GET', '/metrics', { token: `${token}x` });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /scrape-token/);
    r = await guarded.api('GET', '/metrics', { token, headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(r.status, 200);
    assert.match(r.text, /^# HELP saldo_http_requests_total /);
  } finally {
    await guarded.stop();
  }
  const bad = saldoRun(['serve', '--metrics-token', 'short', '--database', 'sqlite:/nonexistent/never.db']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--metrics-token: bad value \(not shown, 5 bytes\): expected 16 to 255/);
  const badEnv = saldoRun(['serve', '--database', 'sqlite:/nonexistent/never.db'], { env: { SALDO_METRICS_TOKEN: 'has space in it ok?' } });
  assert.equal(badEnv.status, 2);
  assert.match(badEnv.stderr, /SALDO_METRICS_TOKEN: bad value/);
});

test('/readyz fails while the SQLite file is gone, /healthz does not', { skip: onPg }, async () => {
  const file = saldo.db.slice(7);
  let r = await saldo.api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { status: 'ready' });
  fs.renameSync(file, `${file}.away`);
  try {
    r = await saldo.api('GET', '/readyz');
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'unavailable');
    assert.match(r.body.reason, /removed or renamed/);
    assert.equal((await saldo.api('GET', '/healthz')).status, 200);
  } finally {
    fs.renameSync(`${file}.away`, file);
  }
  r = await saldo.api('GET', '/readyz');
  assert.equal(r.status, 200);
  const m = await scrape();
  assert.equal(pick(m, 'saldo_http_requests_total', { route: '/readyz', code: '5xx' })[0].value, 1);
});

/** A PostgreSQL cluster of this test's own (scripts/pg-test-cluster.sh), to stop and start. */
function cluster() {
  const script = path.resolve(here, '../../scripts/pg-test-cluster.sh');
  const dir = spawnSync('bash', [script, 'start'], { encoding: 'utf8' }).stdout.trim();
  const url = fs.readFileSync(path.join(dir, 'url'), 'utf8').trim();
  const run = (command) => {
    const r = spawnSync('bash', [script, command, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  return {
    url,
    stopServer: () => run('server-stop'),
    startServer: () => run('server-start'),
    remove: () => run('stop'),
  };
}

test('/readyz fails while PostgreSQL is stopped and recovers when it is back', { skip: !onPg }, async () => {
  const pg = cluster();
  const node = await startSaldo({ args: ['--database', pg.url] });
  try {
    const u = await signUp(node);
    const ready = await node.api('GET', '/readyz');
    assert.equal(ready.status, 200, ready.text);
    pg.stopServer();
    for (let i = 0; i < 3; i++) { // the lost connection, then failed reconnects
      const r = await node.api('GET', '/readyz');
      assert.equal(r.status, 503, r.text);
      assert.equal(r.body.status, 'unavailable');
    }
    assert.equal((await node.api('GET', '/healthz')).status, 200);
    assert.equal((await node.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token })).status, 503);
    pg.startServer();
    let r;
    for (let i = 0; i < 50; i++) {
      r = await node.api('GET', '/readyz');
      if (r.status === 200) break;
      await sleep(100);
    }
    assert.deepEqual(r.body, { status: 'ready' });
    for (let i = 0; i < 4; i++) { // every pool thread's connection reopened
      assert.equal((await node.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token })).status, 200);
    }
    assert.match(node.log(), /db_reconnect/);
    // Money-moving requests too: the group writer's connection, which flushes
    // their commits, is opened again in the server's new run.
    for (let i = 0; i < 3; i++) {
      const t = await node.api('POST', `/api/v1/orgs/${u.org.id}/topups`, {
        token: u.token, headers: { 'Idempotency-Key': `after-restart-${i}` },
        body: { amount: { currency: 'EUR', minor: 5000 }, method: 'bank_transfer' },
      });
      assert.equal(t.status, 201, t.text);
    }
    const m = await scrape(node);
    assert.ok(pick(m, 'saldo_http_requests_total', { route: '/readyz', code: '5xx' })[0].value >= 3);
    assert.equal(pick(m, 'saldo_http_requests_total', { route: '/healthz', code: '2xx' })[0].value >= 2, true);
  } finally {
    await node.stop();
    pg.remove();
  }
});
