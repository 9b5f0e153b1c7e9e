// security_files.test.mjs - what users upload is never served as a page: the
// logo is taken only when its bytes are a PNG or JPEG (HTML and SVG renamed
// .png are refused, by the API and the form), and served with its real image
// type, nosniff and a disposition; downloads are attachments. Static files
// come from the binary only: no path (encoded, double-encoded, backslashes,
// NUL, absolute) reaches a file outside static/. Return addresses after
// sign-in, the language switch and the organization switch are local paths
// only; the gateway's return URL is built from the configured public URL.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSaldo } from './lib/harness.mjs';
import { fakes, makePng } from './lib/images.mjs';
import { headersOf, rawRequest, webUser } from './lib/security.mjs';
import { WebClient, rawGet } from './lib/web.mjs';

let saldo;
let alice;
before(async () => {
  saldo = await startSaldo();
  alice = await webUser(saldo);
});
after(async () => { await saldo.stop(); });

const putLogo = (u, bytes, type) => saldo.api('PUT', `/api/v1/orgs/${u.org.id}/logo`,
  { token: u.token, raw: bytes, headers: { 'Content-Type': type } });
const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const svgPng = Buffer.concat([Buffer.from('<?xml version="1.0"?>\n'), fakes.svg]);

test('HTML and SVG renamed .png, or with a PNG signature only, are refused as a logo (API)', async () => {
  for (const [what, bytes, type] of [['html as png', html, 'image/png'], ['svg as png', fakes.svg, 'image/png'],
    ['svg with xml header', svgPng, 'image/png'], ['svg as svg', fakes.svg, 'image/svg+xml'], ['html as html', html, 'text/html'],
    ['png signature then html', fakes.pngSignatureOnly, 'image/png'], ['gif', fakes.gif, 'image/gif']]) {
    const r = await putLogo(alice, bytes, type);
    assert.ok([415, 422].includes(r.status), `${what}: ${r.status} ${r.text}`);
    assert.notEqual(r.status, 500);
  }
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM org_logos WHERE org_id = ${alice.org.id}`), '0', 'nothing stored');
});

test('the logo form refuses an HTML or SVG file named logo.png', async () => {
  for (const bytes of [html, fakes.svg]) {
    const _csrf = await alice.web.csrf(`/orgs/${alice.org.id}`);
    const fd = new FormData();
    fd.append('_csrf', _csrf);
    fd.append('logo', new Blob([bytes], { type: 'image/png' }), 'logo.png');
    const r = await fetch(`${saldo.url}/orgs/${alice.org.id}/logo`, {
      method: 'POST', body: fd, redirect: 'manual', headers: { Cookie: alice.web.cookieHeader() },
    });
    assert.equal(r.status, 422);
  }
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM org_logos WHERE org_id = ${alice.org.id}`), '0');
});

test('a stored logo is served with its image type, nosniff and a disposition, never as HTML or SVG', async () => {
  const png = makePng(4, 4);
  const put = await putLogo(alice, png, 'image/jpeg'); // the bytes decide the type, not the declared one
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.logo.content_type, 'image/png');
  for (const accept of ['text/html', 'image/svg+xml', '*/*']) {
    const r = await alice.web.get(`/orgs/${alice.org.id}/logo`, { Accept: accept });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-disposition') || '', /^(inline|attachment)/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  }
  // Another organization's member sees nothing.
  const bob = await webUser(saldo);
  assert.equal((await bob.web.get(`/orgs/${alice.org.id}/logo`)).status, 404);
});

test('downloads are attachments with a safe type', async () => {
  const exp = await alice.web.get('/profile/export');
  if (exp.status === 200) {
    assert.match(exp.headers.get('content-disposition'), /^attachment; filename="[\w.-]+"$/);
    assert.doesNotMatch(exp.headers.get('content-type'), /html|svg/);
  }
  const api = await saldo.api('GET', '/api/v1/me/export', { token: alice.token });
  assert.equal(api.status, 200);
  assert.match(api.headers.get('content-disposition'), /^attachment; filename="[\w.-]+"$/);
  assert.match(api.headers.get('content-type'), /^application\/json/);
});

test('static files: traversal in every spelling is 400/404 and never a file outside static/', async () => {
  const paths = [
    '/static/../saldo.db', '/static/../../etc/passwd', '/static/%2e%2e/saldo.db', '/static/%2E%2E%2Fsaldo.db',
    '/static/%252e%252e%252fsaldo.db', '/static/..%2f..%2f..%2fetc%2fpasswd', '/static/..%5c..%5csaldo.db',
    '/static/..\\..\\saldo.db', '/static\\..\\saldo.db', '/static/%c0%ae%c0%ae/saldo.db', '/static/saldo.css%00.db',
    '/static//etc/passwd', '/static/%2fetc%2fpasswd', '/static/./saldo.css/../../saldo.db', '/saldo.db', '/etc/passwd',
    '/static/..', '/static/.%2e/saldo.db', '/static/saldo.css;/../saldo.db',
  ];
  for (const p of paths) {
    const r = await rawGet(saldo.url, p);
    assert.ok([400, 404].includes(r.status), `${p}: ${r.status}`);
    assert.doesNotMatch(r.text, /SQLite format|root:x:0|#include/, p);
  }
  // A raw NUL byte in the request line: libmicrohttpd ends the path there, so
  // at most the static file before it is served, never what follows.
  const nul = await rawRequest(saldo.url, 'GET /static/saldo.css\0/../../saldo.db HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok([0, 200, 400, 404].includes(nul.status), `raw NUL: ${nul.status}`);
  if (nul.status === 200) assert.match(headersOf(nul.text)['content-type'], /^text\/css/);
  assert.doesNotMatch(nul.text, /SQLite format/);
  // Raw request lines fetch cannot send: an absolute URI, absolute and relative paths.
  for (const line of ['GET http://127.0.0.1/static/../saldo.db HTTP/1.1',
    'GET //etc/passwd HTTP/1.1', 'GET /static//../../../../etc/passwd HTTP/1.1', 'GET ../../etc/passwd HTTP/1.1']) {
    const r = await rawRequest(saldo.url, `${line}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 0 || [400, 404].includes(r.status), `${JSON.stringify(line)}: ${r.status}`);
    assert.doesNotMatch(r.text, /SQLite format|root:x:0/, line);
  }
  const ok = await rawGet(saldo.url, '/static/saldo.css');
  assert.equal(ok.status, 200);
  assert.match(ok.headers['content-type'], /^text\/css/);
});

const EVIL = ['https://evil.test/', 'http://evil.test', '//evil.test', '///evil.test', '/\\evil.test', '\\\\evil.test',
  '/\\/evil.test', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>',
  '%2F%2Fevil.test', '/%09/evil.test', ' //evil.test', '/\t/evil.test', '/\r\nLocation: https://evil.test',
  'https:evil.test', 'evil.test', '@evil.test', '/%5cevil.test'];

/** A Location is local: a path on this host, not scheme-relative, no scheme, no backslash or control characters. */
function assertLocal(loc, what) {
  assert.ok(loc, `${what}: a Location`);
  assert.match(loc, /^\/(?![/\\])/, `${what}: ${loc}`);
  assert.doesNotMatch(loc, /[\\\x00-\x20\x7f]/, `${what}: ${loc}`);
  const u = new URL(loc, saldo.url);
  assert.equal(u.origin, new URL(saldo.url).origin, `${what}: ${loc}`);
}

test('?next= after sign-in only ever leads to a local page', async () => {
  for (const next of EVIL) {
    const web = new WebClient(saldo.url);
    const q = `/login?next=${encodeURIComponent(next)}`;
    const _csrf = await web.csrf(q);
    const r = await web.post(q, { _csrf, email: alice.email, password: alice.password, next });
    assert.equal(r.status, 303, `${next}: ${r.status}`);
    assertLocal(r.headers.get('location'), next);
    // Already signed in, the sign-in page sends on at once: still local.
    const again = await web.get(q);
    if (again.status === 303) assertLocal(again.headers.get('location'), `again ${next}`);
    // And the page never writes an outside address into a link or form field.
    const page = await new WebClient(saldo.url).get(q);
    assert.doesNotMatch(page.text, /(https?:)?\/\/evil\.test|\\evil|javascript:|data:text/i, `the page echoes ${next}`);
  }
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/login?next=%2Fbilling%2Ftopup');
  const local = await web.post('/login?next=%2Fbilling%2Ftopup', { _csrf, email: alice.email, password: alice.password });
  assert.equal(local.headers.get('location'), '/billing/topup', 'a local page is kept');
});

test('the language and organization switches and staff sign-in only redirect to local paths', async () => {
  const _csrf = await alice.web.csrf('/profile');
  for (const next of EVIL) {
    const lang = await alice.web.post('/lang', { _csrf, lang: 'en', next });
    assert.equal(lang.status, 303, `lang ${next}`);
    assertLocal(lang.headers.get('location'), `lang ${next}`);
    const sw = await alice.web.post('/orgs/switch', { _csrf, org_id: String(alice.org.id), next });
    assert.ok([303, 404, 422].includes(sw.status), `switch ${next}: ${sw.status}`);
    if (sw.status === 303) assertLocal(sw.headers.get('location'), `switch ${next}`);
  }
  const email = `redir${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  for (const next of EVIL.slice(0, 8)) {
    const web = new WebClient(saldo.url);
    const s = await web.post('/staff/login', { _csrf: await web.csrf('/staff/login'), email, password: 'staff password 1', next });
    assert.equal(s.status, 303);
    assertLocal(s.headers.get('location'), `staff ${next}`);
  }
});

test('the gateway return URL is built from the public URL, whatever the request says', async () => {
  const r = await rawRequest(saldo.url, `GET /billing/topups/1/return HTTP/1.1\r\nHost: evil.test\r\nX-Forwarded-Host: evil.test\r\nCookie: ${alice.web.cookieHeader()}\r\nConnection: close\r\n\r\n`);
  assert.ok([303, 404].includes(r.status), `${r.status}`);
  const loc = headersOf(r.text).location;
  if (loc) assert.doesNotMatch(loc, /evil/);
  assert.doesNotMatch(r.text, /evil\.test/);
});
