// security_csrf.test.mjs - every state-changing page form (read from the
// router_add calls of the sources) refuses a POST without _csrf, with a wrong
// one, or with another session's: 403 and not one row changed. The API takes
// bearer tokens; a cookie alone cannot call a state-changing /api route.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSaldo } from './lib/harness.mjs';
import { fill, routes, snapshot, webStaff, webUser } from './lib/security.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let alice;
let bob;
let staff;
before(async () => {
  saldo = await startSaldo();
  alice = await webUser(saldo, { name: 'Alice Csrf' });
  bob = await webUser(saldo, { name: 'Bob Csrf' });
  staff = await webStaff(saldo);
});
after(async () => { await saldo.stop(); });

const pagePosts = () => routes().filter((r) => r.method === 'POST' && r.flags.includes('ROUTE_PAGE'));
const bodyOf = (extra) => ({ name: 'Changed by CSRF', email: 'evil@example.test', amount: '100', currency: 'EUR', ...extra });

test('the route list covers the forms of customers, staff and visitors', () => {
  const posts = pagePosts();
  assert.ok(posts.length >= 60, `page POST routes: ${posts.length}`);
  for (const want of ['/profile', '/orgs/{org_id}', '/billing/topup', '/staff/orgs/{org_id}/adjustments', '/login', '/signup']) {
    assert.ok(posts.some((r) => r.pattern === want), want);
  }
});

test('customer and staff forms: no _csrf, a wrong one, another session\'s → 403 and nothing changed', async () => {
  const bobCsrf = await bob.web.csrf('/profile');
  const aliceCsrf = await alice.web.csrf('/profile');
  assert.notEqual(bobCsrf, aliceCsrf, 'each session has its own token');
  const otherStaff = await webStaff(saldo);
  const otherStaffCsrf = await otherStaff.web.csrf('/staff');
  const before = snapshot(saldo);
  let checked = 0;
  for (const ro of pagePosts()) {
    const staffRoute = ro.flags.includes('ROUTE_STAFF') || ro.pattern.startsWith('/staff/');
    if (ro.pattern === '/staff/login' || ro.pattern === '/staff/lang' || (!ro.flags.includes('ROUTE_USER') && !staffRoute)) {
      continue; /* visitors' forms: the next test */
    }
    const who = staffRoute ? staff.web : alice.web;
    const other = staffRoute ? otherStaffCsrf : bobCsrf;
    const p = fill(ro.pattern, { org_id: alice.org.id, user_id: bob.user.id });
    for (const extra of [{}, { _csrf: 'A'.repeat(43) }, { _csrf: '' }, { _csrf: other }]) {
      const r = await who.post(p, bodyOf(extra));
      assert.equal(r.status, 403, `${p} ${JSON.stringify(extra)}: ${r.status}`);
      assert.match(r.headers.get('content-type'), /^text\/html/, p);
    }
    // The token in a header is checked the same way.
    const h = await who.post(p, bodyOf({}), { 'X-CSRF-Token': other });
    assert.equal(h.status, 403, `${p} header`);
    checked += 1;
  }
  assert.ok(checked >= 50, `forms checked: ${checked}`);
  assert.equal(snapshot(saldo), before, 'no refused form changed a row');
  // Still signed in, and the right token works.
  const ok = await alice.web.post('/profile', { _csrf: aliceCsrf, name: 'Alice Csrf 2', language: 'en', recovery_email: '' });
  assert.equal(ok.status, 303);
});

test('a multipart form (the logo upload) needs its _csrf part too', async () => {
  const fd = new FormData();
  fd.append('logo', new Blob([Buffer.from('x')], { type: 'image/png' }), 'logo.png');
  const r = await fetch(`${saldo.url}/orgs/${alice.org.id}/logo`, {
    method: 'POST', body: fd, redirect: 'manual', headers: { Cookie: alice.web.cookieHeader() },
  });
  assert.equal(r.status, 403);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM org_logos WHERE org_id = ${alice.org.id}`), '0');
});

test('visitors\' forms need the double-submit token: none, wrong, or the cookie\'s without it → 403', async () => {
  const before = snapshot(saldo);
  const visitor = pagePosts().filter((r) => !r.flags.includes('ROUTE_USER') && !r.flags.includes('ROUTE_STAFF'));
  assert.ok(visitor.length >= 6, visitor.map((r) => r.pattern).join(' '));
  for (const ro of visitor) {
    const p = fill(ro.pattern, { token: 'A'.repeat(43) });
    const fields = { email: 'visitor@example.test', password: 'long enough password', name: 'V', country: 'IT', language: 'en' };
    const fresh = new WebClient(saldo.url);
    let r = await fresh.post(p, fields);
    assert.equal(r.status, 403, `${p} without any token: ${r.status}`);
    const withCookie = new WebClient(saldo.url);
    const token = await withCookie.csrf('/login');
    r = await withCookie.post(p, { ...fields, _csrf: 'B'.repeat(43) });
    assert.equal(r.status, 403, `${p} wrong token: ${r.status}`);
    r = await new WebClient(saldo.url).post(p, { ...fields, _csrf: token });
    assert.equal(r.status, 403, `${p} the token without its cookie: ${r.status}`);
  }
  assert.equal(snapshot(saldo), before, 'no refused form changed a row');
});

test('a cookie session alone cannot call a state-changing /api route', async () => {
  const before = snapshot(saldo);
  const cookie = alice.web.cookieHeader();
  const apiWrites = routes().filter((r) => r.pattern.startsWith('/api/') && r.method !== 'GET' && r.flags.includes('ROUTE_USER'));
  assert.ok(apiWrites.length >= 30, `API writes: ${apiWrites.length}`);
  for (const ro of apiWrites) {
    const p = fill(ro.pattern, { org_id: alice.org.id });
    const r = await saldo.api(ro.method, p, { headers: { Cookie: cookie }, body: { name: 'Changed by CSRF' } });
    assert.equal(r.status, 403, `${ro.method} ${p}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.code, 'csrf');
    const w = await saldo.api(ro.method, p, { headers: { Cookie: cookie, 'X-CSRF-Token': 'A'.repeat(43) }, body: {} });
    assert.equal(w.status, 403, `${ro.method} ${p} wrong header`);
  }
  // A staff cookie is not seen outside the back office at all.
  const s = await saldo.api('POST', '/api/v1/staff/orgs/1/adjustments', { headers: { Cookie: staff.web.cookieHeader() }, body: {} });
  assert.equal(s.status, 401);
  assert.equal(snapshot(saldo), before, 'no refused API call changed a row');
});
