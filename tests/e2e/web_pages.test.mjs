// web_pages.test.mjs - the server-rendered client area over plain HTTP: static
// files (ETag, 304, no traversal), HTML error pages, CSRF on signed-in and
// anonymous forms (refused requests change nothing), session cookie flags and
// fixation, sign-out, the language switch without open redirects, the language
// from Accept-Language, form errors
// next to their fields, the balance in the header, transactions pages, and the
// translations check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { WebClient, rawGet } from './lib/web.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let smtp;
let saldo;
let staff;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

let keyNo = 0;
const credit = (orgId, currency, minor) => saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, {
  token: staff.token, body: { amount: { currency, minor }, reason: 'test credit' },
  headers: { 'Idempotency-Key': `web-${++keyNo}` },
});

/** A customer signed in through the web form, with the API user beside it. */
async function webUser(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

test('every translatable text has an Italian translation and po/saldo.pot is current', () => {
  const r = spawnSync('python3', [path.join(repo, 'scripts/extract-messages.py'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('static files: strong ETag, 304, cache headers, content types', async () => {
  const page = await new WebClient(saldo.url).get('/login');
  const css = /href="(\/static\/saldo\.css\?v=([0-9a-f]{16}))"/.exec(page.text);
  assert.ok(css, 'the layout links the stylesheet with its version');
  const r = await fetch(saldo.url + css[1]);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('cache-control'), /max-age=31536000/);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.ok(etag.startsWith(`"${css[2]}`), 'the version is the start of the content hash');
  assert.ok((await r.text()).includes('--primary'));
  const plain = await fetch(`${saldo.url}/static/saldo.css`);
  assert.equal(plain.headers.get('cache-control'), 'no-cache', 'unversioned URLs revalidate');
  const again = await fetch(`${saldo.url}/static/saldo.css`, { headers: { 'If-None-Match': `"x", ${etag}` } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  const stale = await fetch(`${saldo.url}/static/saldo.css`, { headers: { 'If-None-Match': '"0123"' } });
  assert.equal(stale.status, 200);
  const svg = await fetch(`${saldo.url}/static/logo.svg`);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  const head = await fetch(`${saldo.url}/static/logo.svg`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('unknown static names and traversal attempts are 404 pages', async () => {
  for (const p of ['/static/nope.css', '/static/../src/app.c', '/static/%2e%2e/src/app.c',
    '/static/%2e%2e%2fsrc%2fapp.c', '/static/..%2f..%2fetc%2fpasswd', '/static/.', '/static/saldo.css/x',
    '/static/', '/static/%00']) {
    const r = await rawGet(saldo.url, p);
    assert.ok([404, 400].includes(r.status), `${p}: ${r.status}`);
    assert.doesNotMatch(r.text, /#include|root:/, p);
  }
  const r = await rawGet(saldo.url, '/static/nope.css');
  assert.equal(r.status, 404);
  assert.match(r.headers['content-type'], /^text\/html/);
});

test('error pages are HTML for pages and JSON for the API', async () => {
  const page = await fetch(`${saldo.url}/no/such/page`, { headers: { 'Accept-Language': 'en' } });
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const html = await page.text();
  assert.match(html, /Page not found/);
  assert.match(html, /<footer/);
  const it = await fetch(`${saldo.url}/no/such/page`, { headers: { Cookie: 'lang=it' } });
  assert.match(await it.text(), /Pagina non trovata/);
  const api = await fetch(`${saldo.url}/api/v1/nothing`);
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, 'not_found');
  const method = await fetch(`${saldo.url}/logout`);
  assert.equal(method.status, 405);
  assert.match(method.headers.get('content-type'), /^text\/html/);
});

test('pages that need a customer redirect to the sign-in page', async () => {
  for (const p of ['/', '/billing', '/billing/transactions', '/profile', '/organization', '/services']) {
    const r = await fetch(saldo.url + p, { redirect: 'manual' });
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.get('location'), p === '/' ? '/login' : `/login?next=${p}`, p);
  }
  const support = await fetch(`${saldo.url}/support`);
  assert.equal(support.status, 200, 'support is public');
  assert.match(await support.text(), /support@saldo\.example/);
});

test('sign-in returns to the page asked for, and only to a local one', async () => {
  const u = await signUp(saldo);
  const cases = [['/billing/transactions', '/billing/transactions'], ['//evil.example/x', '/'],
    ['https://evil.example/', '/'], ['/\\evil.example', '/'], ['/profile?tab=a&b=1', '/profile?tab=a&b=1']];
  for (const [next, want] of cases) {
    const web = new WebClient(saldo.url);
    const q = `/login?next=${encodeURIComponent(next)}`;
    const page = await web.get(q);
    const action = /<form method="post" action="([^"]*)"/.exec(page.text)[1].replaceAll('&amp;', '&');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
    const r = await web.post(action, { _csrf, email: u.email, password: u.password });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), want, next);
    // Signed in already, the sign-in page sends on at once.
    assert.equal((await web.get(q)).headers.get('location'), want, next);
  }
});

test('sign-in sets a fresh session cookie with the right flags; sign-out revokes it', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  web.jar.set('saldo_session', 'planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaa');
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/');
  const cookie = r.setCookies.find((c) => c.startsWith('saldo_session='));
  assert.ok(cookie, 'a session cookie is set');
  const attrs = cookie.split(';').map((a) => a.trim());
  assert.ok(attrs.includes('HttpOnly'));
  assert.ok(attrs.includes('SameSite=Lax'));
  assert.ok(attrs.includes('Path=/'));
  assert.ok(attrs.includes('Max-Age=1209600'));
  assert.ok(!attrs.includes('Secure'), 'plain http: no Secure');
  const token = web.jar.get('saldo_session');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(token, 'planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaa');
  const home = await web.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Welcome, Test User/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)[1];
  const out = await web.post('/logout', { _csrf: csrf });
  assert.equal(out.status, 303);
  assert.ok(out.setCookies.some((c) => /^saldo_session=;.*Max-Age=0/.test(c)), 'the cookie is cleared');
  const stolen = await fetch(`${saldo.url}/`, { headers: { Cookie: `saldo_session=${token}` }, redirect: 'manual' });
  assert.equal(stolen.status, 303, 'the old token no longer works');
});

test('with an https base URL the session cookie is Secure', async () => {
  const s = await startSaldo({ args: ['--base-url', 'https://billing.example.test'] });
  try {
    const u = await signUp(s);
    const r = await new WebClient(s.url).login(u.email, u.password);
    const cookie = r.setCookies.find((c) => c.startsWith('saldo_session='));
    assert.match(cookie, /; Secure/);
    assert.ok(r.headers.get('strict-transport-security'));
  } finally {
    await s.stop();
  }
});

test('a signed-in form without _csrf, or with a wrong one, is a 403 page and changes nothing', async () => {
  const u = await webUser({ name: 'Original Name' });
  for (const fields of [{ name: 'Changed', language: 'en', recovery_email: '' },
    { name: 'Changed', language: 'en', recovery_email: '', _csrf: 'x'.repeat(43) }]) {
    const r = await u.web.post('/profile', fields);
    assert.equal(r.status, 403);
    assert.match(r.headers.get('content-type'), /^text\/html/);
  }
  const me = await saldo.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.body.user.name, 'Original Name');
  const _csrf = await u.web.csrf('/profile');
  const ok = await u.web.post('/profile', { _csrf, name: 'Changed', language: 'en', recovery_email: '' });
  assert.equal(ok.status, 303);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).body.user.name, 'Changed');
  const page = await u.web.get('/profile');
  assert.match(page.text, /Your profile has been saved/);
  assert.doesNotMatch((await u.web.get('/profile')).text, /Your profile has been saved/, 'a flash shows once');
});

test('anonymous forms need the double-submit token', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/login');
  const cookie = web.jar.get('saldo_csrf');
  assert.equal(cookie, _csrf);
  const page = await new WebClient(saldo.url).get('/signup');
  assert.ok(page.setCookies.some((c) => /^saldo_csrf=.*HttpOnly.*SameSite=Strict/.test(c)));
  const none = await web.post('/login', { email: u.email, password: u.password });
  assert.equal(none.status, 403);
  const wrong = await web.post('/login', { email: u.email, password: u.password, _csrf: 'A'.repeat(43) });
  assert.equal(wrong.status, 403);
  const noCookie = new WebClient(saldo.url);
  const stolen = await noCookie.post('/login', { email: u.email, password: u.password, _csrf });
  assert.equal(stolen.status, 403, 'the form token alone is not enough');
  assert.ok(!noCookie.jar.has('saldo_session'));
  const email = `nocsrf${Date.now()}@example.test`;
  const signup = await new WebClient(saldo.url).post('/signup', {
    name: 'X', email, country: 'IT', language: 'en', password: 'long enough pw', password_confirm: 'long enough pw',
  });
  assert.equal(signup.status, 403);
  const login = await saldo.api('POST', '/api/v1/sessions', { body: { email, password: 'long enough pw' } });
  assert.equal(login.status, 401, 'no account was created');
  const good = await web.post('/login', { email: u.email, password: u.password, _csrf });
  assert.equal(good.status, 303);
});

test('a wrong password shows the form again with the email, never the password', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/login');
  const r = await web.post('/login', { _csrf, email: u.email, password: 'wrong password 123' }, { 'Accept-Language': 'en' });
  assert.equal(r.status, 401);
  assert.match(r.text, /The email or the password is wrong/);
  assert.match(r.text, new RegExp(`value="${u.email}"`));
  assert.doesNotMatch(r.text, /wrong password 123/);
});

test('sign-up errors are shown next to their fields, with the form filled in again', async () => {
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/signup');
  const r = await web.post('/signup', {
    _csrf, name: 'Ada <b>Lovelace</b>', email: 'not-an-email', country: 'XX', language: 'en',
    password: 'short', password_confirm: 'short',
  }, { Cookie: `${web.cookieHeader()}; lang=en` });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="email-error">[^<]*valid email/);
  assert.match(r.text, /id="password-error">[^<]*at least 10/);
  assert.match(r.text, /id="country-error">/);
  assert.match(r.text, /aria-invalid="true" aria-describedby="email-error"/);
  assert.match(r.text, /value="Ada &lt;b&gt;Lovelace&lt;\/b&gt;"/);
  assert.match(r.text, /value="not-an-email"/);
  assert.doesNotMatch(r.text, /value="short"/);
  const taken = await signUp(saldo);
  const dup = await web.post('/signup', {
    _csrf, name: 'Dup', email: taken.email.toUpperCase(), country: 'IT', language: 'it',
    password: 'long enough pw', password_confirm: 'long enough pw',
  }, { Cookie: `${web.cookieHeader()}; lang=it` });
  assert.equal(dup.status, 409);
  assert.match(dup.text, /id="email-error">Esiste già un account/);
});

test('the language switch sets the cookie and the profile, and redirects only to local paths', async () => {
  const u = await webUser({ language: 'it' });
  let _csrf = await u.web.csrf('/billing');
  const cases = [['/billing', '/billing'], ['//evil.example/x', '/'], ['https://evil.example/', '/'],
    ['/\\evil.example', '/'], ['javascript:alert(1)', '/'], ['', '/'], ['/profile?x=1', '/profile?x=1']];
  for (const [next, want] of cases) {
    const r = await u.web.post('/lang', { _csrf, lang: 'en', next });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), want, next);
  }
  assert.equal(u.web.jar.get('lang'), 'en');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).body.user.language, 'en');
  assert.match((await u.web.get('/billing')).text, />Wallet</);
  _csrf = await u.web.csrf('/billing');
  await u.web.post('/lang', { _csrf, lang: 'it', next: '/billing' });
  assert.match((await u.web.get('/billing')).text, />Portafoglio</);
  const bad = await u.web.post('/lang', { _csrf, lang: 'fr', next: '/' });
  assert.equal(bad.status, 400);
  const anon = new WebClient(saldo.url);
  const a = await anon.post('/lang', { _csrf: await anon.csrf('/login'), lang: 'en', next: '/login' });
  assert.equal(a.status, 303);
  assert.match((await anon.get('/login')).text, /<html lang="en">/);
});

test('a visitor without a choice reads the language their browser asks for, English when it is neither', async () => {
  const lang = async (acceptLanguage) => {
    const r = await fetch(`${saldo.url}/login`, { headers: { 'Accept-Language': acceptLanguage } });
    assert.equal(r.status, 200);
    return (await r.text()).match(/<html lang="([a-z]+)">/)[1];
  };
  assert.equal(await lang('it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7'), 'it');
  assert.equal(await lang('de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7'), 'en');
  assert.equal(await lang('en;q=0.5, it;q=0.8'), 'it'); // by weight, not by order
  assert.equal(await lang('fr-FR,fr;q=0.9'), 'en');
  assert.equal(await lang('*'), 'it');
  assert.match((await rawGet(saldo.url, '/login')).text, /<html lang="it">/); // no header: the provider's language
  const chosen = await fetch(`${saldo.url}/login`, { headers: { 'Accept-Language': 'en', Cookie: 'lang=it' } });
  assert.match(await chosen.text(), /<html lang="it">/); // a choice made on the site comes first
});

test('the balance of every currency is in the header after a staff credit', async () => {
  const u = await webUser({ language: 'it' });
  let page = await u.web.get('/');
  assert.match(page.text, /class="balance"/);
  assert.match(page.text, /ancora nessuno/);
  assert.equal((await credit(u.org.id, 'EUR', 123456)).status, 201);
  assert.equal((await credit(u.org.id, 'USD', 4000)).status, 201);
  for (const p of ['/', '/services', '/support', '/profile', '/organization', '/billing']) {
    page = await u.web.get(p);
    assert.equal(page.status, 200, p);
    const header = page.text.slice(0, page.text.indexOf('</header>'));
    assert.match(header, /1\.234,56\s€/, p);
    assert.match(header, /40,00\sUS\$|40,00\s\$|USD/, p);
  }
});

test('transactions are paged with the API cursor', async () => {
  const u = await webUser({ language: 'en' });
  for (let i = 1; i <= 23; i++) assert.equal((await credit(u.org.id, 'EUR', i * 100)).status, 201);
  const first = await u.web.get('/billing/transactions');
  assert.equal(first.status, 200);
  assert.equal((first.text.match(/<tr>\s*<td>/g) || []).length, 20);
  assert.match(first.text, /\+€23\.00/);
  const older = /href="(\/billing\/transactions\?cursor=\d+)" rel="next"/.exec(first.text);
  assert.ok(older, 'a link to older transactions');
  const second = await u.web.get(older[1]);
  assert.equal((second.text.match(/<tr>\s*<td>/g) || []).length, 3);
  assert.match(second.text, /\+€1\.00/);
  assert.doesNotMatch(second.text, /rel="next"/);
  assert.equal((await u.web.get('/billing/transactions?cursor=abc')).status, 404);
  assert.equal((await u.web.get('/billing/transactions?cursor=-1')).status, 404);
});

test('forgot and reset the password through the pages', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const web = new WebClient(saldo.url);
  let r = await web.post('/password/forgot', { _csrf: await web.csrf('/password/forgot'), email: u.email });
  assert.equal(r.status, 303);
  const unknown = await web.post('/password/forgot', { _csrf: await web.csrf('/password/forgot'), email: 'nobody@example.test' });
  assert.equal(unknown.status, 303, 'the same answer for an unknown account');
  const mail = await smtp.waitFor(u.email, (m) => /reset|password/i.test(m.subject));
  const link = /(\/password\/reset\?token=[A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const _csrf = await web.csrf(link);
  const token = /name="token" value="([^"]+)"/.exec((await web.get(link)).text)[1];
  r = await web.post('/password/reset', { _csrf, token, password: 'new password 1', password_confirm: 'other one 12' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="password_confirm-error"/);
  r = await web.post('/password/reset', { _csrf, token, password: 'new password 1', password_confirm: 'new password 1' });
  assert.equal(r.status, 303);
  r = await web.post('/password/reset', { _csrf, token, password: 'new password 2', password_confirm: 'new password 2' });
  assert.equal(r.status, 422, 'a link works once');
  assert.equal((await web.login(u.email, 'new password 1')).status, 303);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401, 'old sessions are signed out');
});

test('changing the password needs the current one', async () => {
  const u = await webUser({ language: 'en' });
  const _csrf = await u.web.csrf('/profile');
  let r = await u.web.post('/profile/password', { _csrf, current_password: 'not it at all',
    new_password: 'brand new pw 1', new_password_confirm: 'brand new pw 1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="current_password-error">The current password is wrong/);
  assert.doesNotMatch(r.text, /brand new pw 1|not it at all/);
  r = await u.web.post('/profile/password', { _csrf, current_password: u.password,
    new_password: 'brand new pw 1', new_password_confirm: 'brand new pw 1' });
  assert.equal(r.status, 303);
  assert.equal((await u.web.get('/profile')).status, 200, 'this session stays signed in');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401, 'other sessions are signed out');
  assert.equal((await new WebClient(saldo.url).login(u.email, 'brand new pw 1')).status, 303);
});

test('another organization\'s members without the billing right see no money', async () => {
  const u = await webUser();
  const org = await u.web.get('/organization');
  assert.equal(org.status, 200);
  assert.match(org.text, new RegExp(u.user.email.replace(/[.]/g, '\\.')));
});
