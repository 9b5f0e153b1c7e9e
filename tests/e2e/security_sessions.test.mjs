// security_sessions.test.mjs - session fixation (a cookie planted before
// sign-in is never the one after), sign-out ending the session on the server
// (customers, staff, API tokens), the flags of every cookie, and the security
// headers on pages, API answers, errors and static files, with HSTS and Secure
// cookies when the public URL is https.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { webStaff, webUser } from './lib/security.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => { await saldo.stop(); });

const attrsOf = (cookie) => cookie.split(';').slice(1).map((a) => a.trim());

function assertSecurityHeaders(h, what, { https = false } = {}) {
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: CSP`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: CSP without unsafe-*`);
  assert.match(csp, /default-src 'self'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.match(csp, /object-src 'none'/, what);
  assert.equal(h.get('x-frame-options'), 'DENY', what);
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.match(h.get('referrer-policy') || '', /^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/, what);
  if (https) assert.match(h.get('strict-transport-security') || '', /max-age=(\d{7,})/, `${what}: HSTS`);
  else assert.equal(h.get('strict-transport-security'), null, `${what}: no HSTS on http`);
}

test('customer sign-in rotates the session: a planted or earlier cookie is not the one after', async () => {
  const u = await signUp(saldo);
  const victim = new RegExp(u.email.replace(/[.+]/g, '\\$&'));
  // A value the server never issued: the sign-in sets a fresh one.
  const web = new WebClient(saldo.url);
  web.jar.set('saldo_session', 'planted-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  let r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  assert.ok(r.setCookies.some((c) => c.startsWith('saldo_session=')), 'a new cookie is set');
  assert.notEqual(web.jar.get('saldo_session'), 'planted-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  assert.match((await web.get('/profile')).text, victim, 'signed in as the victim');
  // A real session of the attacker's, planted with its CSRF token (both known
  // to the attacker): signing in as the victim never upgrades that session.
  const attacker = await webUser(saldo);
  const planted = attacker.web.jar.get('saldo_session');
  const plantedCsrf = await attacker.web.csrf('/profile');
  const forced = new WebClient(saldo.url);
  forced.jar.set('saldo_session', planted);
  r = await forced.post('/login', { _csrf: plantedCsrf, email: u.email, password: u.password });
  assert.equal(r.status, 303, r.text);
  assert.ok(r.setCookies.some((c) => c.startsWith('saldo_session=')), 'a new session cookie is set');
  assert.notEqual(forced.jar.get('saldo_session'), planted);
  const theirs = await fetch(`${saldo.url}/profile`, { headers: { Cookie: `saldo_session=${planted}` } });
  assert.doesNotMatch(await theirs.text(), victim, 'the planted session is not the victim\'s');
});

test('customer sign-out ends the session on the server: the old cookie is refused', async () => {
  const u = await webUser(saldo);
  const token = u.web.jar.get('saldo_session');
  const _csrf = await u.web.csrf('/profile');
  const count = () => Number(saldo.sql(`SELECT COUNT(*) FROM sessions WHERE user_id = ${u.user.id} AND revoked_at IS NULL`));
  const before = count();
  const out = await u.web.post('/logout', { _csrf });
  assert.equal(out.status, 303);
  assert.equal(count(), before - 1, 'the session is revoked on the server');
  const replay = await fetch(`${saldo.url}/profile`, { headers: { Cookie: `saldo_session=${token}` }, redirect: 'manual' });
  assert.equal(replay.status, 303);
  assert.match(replay.headers.get('location'), /^\/login/);
  const api = await saldo.api('GET', '/api/v1/me', { headers: { Cookie: `saldo_session=${token}` } });
  assert.equal(api.status, 401);
  // An API token dies on DELETE /sessions/current.
  const del = await saldo.api('DELETE', '/api/v1/sessions/current', { token: u.token });
  assert.equal(del.status, 204);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401);
});

test('staff sign-in rotates the staff cookie; sign-out ends it; a customer cookie is no staff cookie', async () => {
  const st = await webStaff(saldo);
  const web = new WebClient(saldo.url);
  web.jar.set('saldo_staff', 'planted-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  const _csrf = await web.csrf('/staff/login');
  const r = await web.post('/staff/login', { _csrf, email: st.email, password: st.password });
  assert.equal(r.status, 303);
  const cookie = r.setCookies.find((c) => c.startsWith('saldo_staff='));
  assert.ok(cookie);
  const attrs = attrsOf(cookie);
  for (const a of ['HttpOnly', 'SameSite=Strict', 'Path=/staff']) assert.ok(attrs.includes(a), `${a} in ${cookie}`);
  const token = web.jar.get('saldo_staff');
  assert.notEqual(token, 'planted-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  assert.equal((await web.get('/staff')).status, 200);
  const csrf = await web.csrf('/staff');
  assert.equal((await web.post('/staff/logout', { _csrf: csrf })).status, 303);
  const replay = await fetch(`${saldo.url}/staff`, { headers: { Cookie: `saldo_staff=${token}` }, redirect: 'manual' });
  assert.equal(replay.status, 303);
  assert.equal(replay.headers.get('location'), '/staff/login');
  // A customer's session cookie under the staff name opens nothing.
  const u = await webUser(saldo);
  const asStaff = await fetch(`${saldo.url}/staff`, { headers: { Cookie: `saldo_staff=${u.web.jar.get('saldo_session')}` }, redirect: 'manual' });
  assert.equal(asStaff.status, 303);
});

test('cookie flags on http: HttpOnly, SameSite, Path, no Secure', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  const page = await web.get('/login');
  const csrf = page.setCookies.find((c) => c.startsWith('saldo_csrf='));
  assert.ok(csrf);
  for (const a of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(attrsOf(csrf).includes(a), `${a} in ${csrf}`);
  const r = await web.login(u.email, u.password);
  const session = r.setCookies.find((c) => c.startsWith('saldo_session='));
  const attrs = attrsOf(session);
  for (const a of ['HttpOnly', 'SameSite=Lax', 'Path=/']) assert.ok(attrs.includes(a), `${a} in ${session}`);
  assert.ok(!attrs.includes('Secure'));
  assert.ok(attrs.some((a) => /^Max-Age=\d+$/.test(a)));
  // Every cookie the pages set is HttpOnly.
  const lang = await web.post('/lang', { _csrf: await web.csrf('/profile'), lang: 'it', next: '/' });
  for (const c of [...r.setCookies, ...lang.setCookies]) assert.ok(attrsOf(c).includes('HttpOnly'), c);
});

test('security headers on pages, API answers, 404/405/413 of both, redirects and static files', async () => {
  const u = await webUser(saldo);
  const checks = [
    ['page', await u.web.get('/')],
    ['anonymous page', await new WebClient(saldo.url).get('/login')],
    ['redirect', await new WebClient(saldo.url).get('/profile')],
    ['page 404', await u.web.get('/no-such-page')],
    ['page 405', await fetch(`${saldo.url}/login`, { method: 'PUT', redirect: 'manual' })],
    ['page 403', await u.web.post('/profile', { name: 'x' })],
    ['page 413', await u.web.post('/profile', { name: 'x'.repeat(2 * 1024 * 1024) })],
    ['API', await saldo.api('GET', '/api/v1/me', { token: u.token })],
    ['API 401', await saldo.api('GET', '/api/v1/me')],
    ['API 404', await saldo.api('GET', '/api/v1/nothing')],
    ['API 405', await saldo.api('PUT', '/api/v1/me', { token: u.token })],
    ['API 413', await saldo.api('POST', '/api/v1/signup', { raw: 'x'.repeat(2 * 1024 * 1024), headers: { 'Content-Type': 'application/json' } })],
    ['API 422', await saldo.api('POST', '/api/v1/signup', { body: {} })],
    ['static', await fetch(`${saldo.url}/static/saldo.css`)],
    ['static 404', await fetch(`${saldo.url}/static/nothing.css`)],
    ['health', await fetch(`${saldo.url}/healthz`)],
  ];
  const statuses = Object.fromEntries(checks.map(([w, r]) => [w, r.status]));
  assert.deepEqual(statuses, {
    page: 200, 'anonymous page': 200, redirect: 303, 'page 404': 404, 'page 405': 405, 'page 403': 403, 'page 413': 413,
    API: 200, 'API 401': 401, 'API 404': 404, 'API 405': 405, 'API 413': 413, 'API 422': 422,
    static: 200, 'static 404': 404, health: 200,
  });
  for (const [what, r] of checks) assertSecurityHeaders(r.headers, what);
  assert.match(checks.find(([w]) => w === 'page 413')[1].headers.get('content-type'), /^text\/html/);
  assert.match(checks.find(([w]) => w === 'API 413')[1].headers.get('content-type'), /^application\/json/);
});

test('an https public URL: HSTS everywhere and Secure cookies', async () => {
  const s = await startSaldo({ args: ['--base-url', 'https://billing.example.test'] });
  try {
    const u = await signUp(s);
    const web = new WebClient(s.url);
    const login = await web.get('/login');
    const r = await web.login(u.email, u.password);
    for (const c of [...login.setCookies, ...r.setCookies]) assert.ok(attrsOf(c).includes('Secure'), c);
    assertSecurityHeaders(r.headers, 'sign-in', { https: true });
    assertSecurityHeaders((await s.api('GET', '/api/v1/nothing')).headers, 'API 404', { https: true });
    assertSecurityHeaders((await fetch(`${s.url}/static/saldo.css`)).headers, 'static', { https: true });
    assertSecurityHeaders((await web.get('/')).headers, 'page', { https: true });
    const st = await webStaff(s);
    const staffCookie = st.web.jar.get('saldo_staff');
    assert.ok(staffCookie);
  } finally {
    await s.stop();
  }
});
