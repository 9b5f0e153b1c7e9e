// security_input.test.mjs - hostile input: SQL metacharacters, NUL and long
// UTF-8 in the text fields of the API's JSON bodies and in the search boxes
// are stored and shown back exactly or refused with 422, never a 500, and LIKE
// searches take % and _ literally; bodies over the limit are 413 with nothing
// changed; huge or countless headers are refused; slow clients (headers or a
// body that stall) are dropped after the timeout while others are served.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { rawRequest, snapshot, webUser } from './lib/security.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); });

const NASTY = [
  "O'Brien \"Bobby\"; DROP TABLE users;--",
  "Robert'); DELETE FROM orgs WHERE ('1'='1",
  'back\\slash \\\' \\" \\\\ end\\',
  '100% off_sale [a-z] ^$ *',
  "' OR 1=1 -- /* */ #",
  'Zoë Ærøskøbing — 東京 😀 ‮rtl',
];
const NUL = 'nul\u0000byte';
const LONG = 'è€😀'.repeat(2000);

/** Calls the API; any 5xx fails; returns the answer. */
async function call(method, p, opts) {
  const r = await saldo.api(method, p, opts);
  assert.ok(r.status < 500, `${method} ${p}: ${r.status} ${r.text}`);
  return r;
}

test('sign-up and profile names: stored and shown back exactly, or 422', async () => {
  for (const name of NASTY) {
    const u = await signUp(saldo, { name });
    const me = await call('GET', '/api/v1/me', { token: u.token });
    assert.equal(me.body.user.name, name);
    const patched = await call('PATCH', '/api/v1/me', { token: u.token, body: { name: `${name} 2` } });
    assert.equal(patched.body.user.name, `${name} 2`);
    const web = await webUser(saldo, { name });
    const page = await web.web.get('/profile');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')),
      `the page shows ${name} escaped`);
  }
  const u = await signUp(saldo);
  for (const bad of [NUL, LONG]) {
    const s = await call('POST', '/api/v1/signup', { body: { email: `x${Date.now()}@example.test`, password: 'long enough pw', name: bad, country: 'IT', language: 'en' } });
    assert.ok([400, 422].includes(s.status), `sign-up ${JSON.stringify(bad.slice(0, 12))}: ${s.status}`);
    const p = await call('PATCH', '/api/v1/me', { token: u.token, body: { name: bad } });
    assert.ok([400, 422].includes(p.status));
  }
});

test('organization names, billing addresses and API token names keep every character', async () => {
  const u = await signUp(saldo);
  for (const text of NASTY) {
    const o = await call('POST', '/api/v1/orgs', { token: u.token, body: { name: text, kind: 'company' } });
    assert.equal(o.status, 201, o.text);
    const got = await call('GET', `/api/v1/orgs/${o.body.id ?? o.body.organization?.id}`, { token: u.token });
    assert.equal((got.body.organization ?? got.body).name, text);
    const a = await call('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token,
      body: { recipient: text, street: text, city: text, postal_code: '10117', country: 'DE' } });
    if (a.status === 201) {
      const back = await call('GET', `/api/v1/orgs/${u.org.id}/billing-addresses/${a.body.id}`, { token: u.token });
      for (const k of ['recipient', 'street', 'city']) assert.equal(back.body[k], text, k);
    } else {
      assert.equal(a.status, 422, a.text);
    }
    const t = await call('POST', '/api/v1/tokens', { token: u.token, body: { name: text } });
    if (t.status === 201) {
      const list = await call('GET', '/api/v1/tokens', { token: u.token });
      assert.ok(list.body.tokens.some((x) => x.name === text), text);
    } else {
      assert.equal(t.status, 422);
    }
  }
  for (const bad of [NUL, LONG]) {
    assert.ok([400, 422].includes((await call('POST', '/api/v1/orgs', { token: u.token, body: { name: bad, kind: 'company' } })).status));
    assert.ok([400, 422].includes((await call('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token,
      body: { recipient: bad, street: 's', city: 'c', postal_code: '10117', country: 'DE' } })).status));
  }
  // A raw NUL in JSON text and invalid UTF-8 are refused too.
  const rawNul = await call('POST', '/api/v1/orgs', { token: u.token, raw: '{"name":"a\\u0000b","kind":"company"}', headers: { 'Content-Type': 'application/json' } });
  assert.ok([400, 422].includes(rawNul.status));
  const badUtf8 = await call('POST', '/api/v1/orgs', { token: u.token, raw: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), headers: { 'Content-Type': 'application/json' } });
  assert.ok([400, 422].includes(badUtf8.status));
});

test('discount codes with metacharacters are looked up as text, never a 500', async () => {
  const u = await signUp(saldo);
  for (const code of [...NASTY, '%', '_', '%%', "'", NUL, LONG]) {
    const r = await call('POST', `/api/v1/orgs/${u.org.id}/cart/preview`, { token: u.token, body: { currency: 'EUR', discount_code: code } });
    assert.ok([200, 400, 404, 409, 422].includes(r.status), `${JSON.stringify(code.slice(0, 20))}: ${r.status} ${r.text}`);
    if (r.status === 200 && r.body.discount_code) assert.equal(r.body.discount_code.applies, false, 'no code matches a pattern');
  }
});

test('searches take % and _ literally and survive metacharacters', async () => {
  const owner = await signUp(saldo);
  const mk = async (name) => (await call('POST', '/api/v1/orgs', { token: owner.token, body: { name, kind: 'company' } })).body;
  const tag = `z${Date.now()}`;
  await mk(`${tag} 100% Pure`);
  await mk(`${tag} 100x Pure`);
  await mk(`${tag} 1000 Pure`);
  await mk(`${tag} a_b`);
  await mk(`${tag} axb`);
  const search = async (q) => {
    const r = await call('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(q)}`, { token: staff.token });
    assert.equal(r.status, 200, r.text);
    return r.body.organizations.map((o) => o.name).filter((n) => n.startsWith(tag)).sort();
  };
  assert.deepEqual(await search(`${tag} 100%`), [`${tag} 100% Pure`]);
  assert.deepEqual(await search(`${tag} a_b`), [`${tag} a_b`]);
  assert.deepEqual(await search(`${tag} 100`), [`${tag} 100% Pure`, `${tag} 1000 Pure`, `${tag} 100x Pure`]);
  for (const q of [...NASTY, '%', '_', '\\', '\\%', "'", '"', ';--']) await search(q);
  const nul = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(NUL)}`, { token: staff.token });
  assert.ok(nul.status < 500);
  // 900 characters (8 kB encoded): past the field's limit, within the server's for a request line.
  const long = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(LONG.slice(0, 1200))}`, { token: staff.token });
  assert.equal(long.status, 422);
  // Users by email: _ is a letter, not a wildcard.
  const a = await signUp(saldo, { email: `${tag}_u@example.test` });
  await signUp(saldo, { email: `${tag}xu@example.test` });
  const byEmail = await call('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(`${tag}_u@`)}`, { token: staff.token });
  const ids = byEmail.body.organizations.map((o) => o.id);
  assert.ok(ids.includes(a.org.id));
  // The back office's search box says the same.
  const web = await saldo.api('GET', `/staff?q=${encodeURIComponent("'; DROP TABLE orgs;--")}`, { headers: {} });
  assert.ok(web.status < 500);
  assert.equal(saldo.sql("SELECT COUNT(*) FROM orgs") !== '0', true, 'orgs are still there');
});

test('a body over the limit is 413, for the API and the pages, and changes nothing', async () => {
  const u = await webUser(saldo);
  const before = snapshot(saldo);
  const big = 'x'.repeat(1024 * 1024 + 1);
  const api = await saldo.api('POST', '/api/v1/orgs', { token: u.token, raw: JSON.stringify({ name: big, kind: 'company' }), headers: { 'Content-Type': 'application/json' } });
  assert.equal(api.status, 413);
  assert.equal(api.body.error.code, 'body_too_large');
  const _csrf = await u.web.csrf('/profile');
  const page = await u.web.post('/profile', { _csrf, name: big, language: 'en', recovery_email: '' });
  assert.equal(page.status, 413);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  // A Content-Length that announces too much is refused without waiting for it.
  const announced = await rawRequest(saldo.url, `POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${u.token}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n{"name":"x"`, { timeoutMs: 40000 });
  assert.ok([0, 413].includes(announced.status), `announced: ${announced.status}`);
  // Chunked bodies count too.
  const chunk = 'y'.repeat(64 * 1024);
  const chunks = Array.from({ length: 20 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
  const chunked = await rawRequest(saldo.url, `POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${u.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`);
  assert.ok([0, 413].includes(chunked.status), `chunked: ${chunked.status}`);
  assert.equal(snapshot(saldo), before);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 200, 'still serving');
});

test('huge headers and too many headers are refused; the server goes on', async () => {
  const huge = await rawRequest(saldo.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(200 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.ok(huge.status === 0 || [400, 413, 431].includes(huge.status), `huge: ${huge.status}`);
  const many = Array.from({ length: 10000 }, (_, i) => `X-H${i}: v`).join('\r\n');
  const lots = await rawRequest(saldo.url, `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\nConnection: close\r\n\r\n`);
  assert.ok(lots.status === 0 || [400, 413, 431].includes(lots.status), `many: ${lots.status}`);
  const longUrl = await rawRequest(saldo.url, `GET /healthz?${'q'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  assert.ok(longUrl.status === 0 || [400, 414, 431].includes(longUrl.status), `long URL: ${longUrl.status}`);
  const cookie = await rawRequest(saldo.url, `GET / HTTP/1.1\r\nHost: x\r\nCookie: ${'saldo_session=a; '.repeat(5000)}\r\nConnection: close\r\n\r\n`);
  assert.ok(cookie.status === 0 || [303, 400, 413, 431].includes(cookie.status), `cookie: ${cookie.status}`);
  assert.equal((await fetch(`${saldo.url}/healthz`)).status, 200);
});

/** Opens a socket, sends head, then one byte of rest every everyMs (or
 * nothing when everyMs is 0); resolves with when the server closed it. */
function slowClient(head, rest, everyMs) {
  const u = new URL(saldo.url);
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = net.connect(Number(u.port), u.hostname);
    let timer = null;
    let i = 0;
    let answer = '';
    sock.on('data', (d) => { answer += d; });
    const done = () => { clearInterval(timer); resolve({ ms: Date.now() - started, answer }); };
    sock.on('close', done);
    sock.on('error', () => {});
    sock.write(head);
    if (everyMs) {
      timer = setInterval(() => {
        if (i < rest.length && !sock.destroyed) sock.write(rest[i++]);
      }, everyMs);
    }
  });
}

test('slow clients: stalled or dribbled headers and a dribbled body are dropped; others are served meanwhile', { timeout: 120000 }, async () => {
  const u = await signUp(saldo);
  // 1. Headers that stop half-way: dropped after the idle timeout (30 s).
  const stalled = slowClient('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', '', 0);
  // 2. Headers dribbled a byte a second (slowloris): never silent for the idle
  //    timeout, dropped all the same once the headers took longer than it.
  const slowloris = slowClient('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a'.repeat(200), 1000);
  // 3. A body announced whole and dribbled a byte every 2 s: dropped once the
  //    request has taken longer than its limit (60 s), not served.
  const body = JSON.stringify({ name: 'slow body org', kind: 'company' });
  const dribbled = slowClient(`POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${u.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 200}\r\n\r\n`,
    body + ' '.repeat(200), 2000);
  // 4. Many stalled connections at once do not stop anyone else.
  const crowd = Array.from({ length: 50 }, () => slowClient('GET / HTTP/1.1\r\nHost: x\r\n', '', 0));
  await new Promise((r) => setTimeout(r, 1000));
  for (let k = 0; k < 10; k++) {
    const t0 = Date.now();
    const r = await fetch(`${saldo.url}/healthz`);
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 2000, 'others are served at once');
  }
  const s = await stalled;
  assert.ok(s.ms >= 25000 && s.ms < 45000, `stalled headers dropped after ${s.ms} ms`);
  assert.equal(s.answer, '', 'nothing was served to the stalled client');
  const l = await slowloris;
  assert.ok(l.ms >= 25000 && l.ms < 45000, `dribbled headers dropped after ${l.ms} ms`);
  assert.equal(l.answer, '', 'nothing was served to the slowloris');
  const d = await dribbled;
  assert.ok(d.ms >= 55000 && d.ms < 80000, `dribbled body dropped after ${d.ms} ms`);
  assert.doesNotMatch(d.answer, /^HTTP\/1\.1 201/);
  await Promise.all(crowd);
  assert.equal(saldo.sql("SELECT COUNT(*) FROM orgs WHERE name = 'slow body org'"), '0', 'the slow request changed nothing');
});
