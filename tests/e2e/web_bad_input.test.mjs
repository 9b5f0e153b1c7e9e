// web_bad_input.test.mjs - the pages, walked as a customer and as staff: every
// page reachable by a link answers without a server error, and every form found
// on them, posted with each of its fields in turn holding something no one should
// type (nothing, a NUL, 20,000 characters, markup, a sign, a number past 2^63,
// digits of another script, a non-character), is answered with a page or a
// redirect, never a 500. Forms that would end the walk (sign out, delete, leave)
// are left out. The ledger holds afterwards. Every page walked also keeps the
// rules the browser enforces for it: the security headers, never cached, a
// CSRF token in each form, nothing inline that the Content-Security-Policy
// would silently block (scripts, event handlers, style attributes), and no
// placeholder, (null), undefined or NaN in the text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { busyCustomer } from './lib/billing.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { browserRules, errorsLinked } from './lib/page_checks.mjs';
import { walk } from './lib/walk.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

const GARBAGE = ['', '\u0000', 'x'.repeat(20000), '<b onmouseover="x">\'"&', '-1', '99999999999999999999', '١٢٣',
  '\uFFFF'];
const SKIP_FORM = /logout|sign-out|delete|leave|\/lang\b/;

/** POSTs fields as the form would: urlencoded, or multipart/form-data. */
async function post(web, form, fields) {
  if (!form.multipart) return web.post(form.action, fields);
  const body = new FormData();
  for (const [n, v] of fields) body.append(n, v);
  const res = await fetch(web.base + form.action, { method: 'POST', body, redirect: 'manual',
    headers: { Cookie: web.cookieHeader() } });
  web.take(res);
  return { status: res.status, text: await res.text() };
}

/** Posts each form with each editable field holding each GARBAGE value; a
 * form shown again with errors must tie each message to its field. */
async function spoil(web, forms) {
  let sent = 0;
  const unlinked = new Set();
  for (const f of forms) {
    for (const [i, [name, , editable]] of f.fields.entries()) {
      if (!editable) continue;
      for (const bad of GARBAGE) {
        const fields = f.fields.map(([n, v], k) => [n, k === i ? bad : v]);
        const r = await post(web, f, fields);
        sent++;
        assert.ok(r.status < 500, `POST ${f.action} ${name}=${JSON.stringify(bad.slice(0, 20))}: ${r.status} ${r.text.slice(0, 300)}`);
        assert.ok([200, 303, 400, 403, 404, 409, 413, 422, 429].includes(r.status), `POST ${f.action} ${name}: ${r.status}`);
        if (r.status === 422) for (const m of errorsLinked(`POST ${f.action}`, r.text)) unlinked.add(m);
      }
    }
  }
  assert.deepEqual([...unlinked], []);
  return sent;
}

test('a customer\'s pages keep the browser\'s rules and their forms take any input without a server error', { timeout: 300000 }, async () => {
  const u = await busyCustomer(saldo, await staffLogin(saldo), { language: 'en' });
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const broken = [];
  const { pages, forms } = await walk(web, ['/'], { skipForm: SKIP_FORM,
    onPage: (p, html, headers) => broken.push(...browserRules(p, html, headers)) });
  assert.deepEqual([...new Set(broken)], []);
  assert.ok(pages >= 30 && forms.length >= 20, `${pages} pages, ${forms.length} forms`);
  for (const action of ['/support/tickets', '/profile', '/organization/addresses', '/cart/checkout'])
    assert.ok(forms.some((f) => f.action === action), `the walk found the form of ${action}`);
  const sent = await spoil(web, forms);
  assert.ok(sent > 300, `${sent} posts`);
  assert.equal((await web.get('/')).status, 200, 'still signed in');
  assert.equal(saldo.run(['ledger', 'verify']).status, 0);
});

test('the back office\'s pages keep the browser\'s rules and their forms take any input without a server error', { timeout: 300000 }, async () => {
  const u = await signUp(saldo, { language: 'en' });
  const email = `walker${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  assert.equal((await web.staffLogin(email, 'staff password 1')).status, 303);
  const broken = [];
  const { pages, forms } = await walk(web, ['/staff', `/staff/orgs/${u.org.id}`], { skipForm: SKIP_FORM,
    onPage: (p, html, headers) => broken.push(...browserRules(p, html, headers)) });
  assert.deepEqual([...new Set(broken)], []);
  assert.ok(pages >= 20 && forms.length >= 15, `${pages} pages, ${forms.length} forms`);
  const sent = await spoil(web, forms);
  assert.ok(sent > 300, `${sent} posts`);
  assert.equal((await web.get('/staff')).status, 200, 'still signed in');
  assert.equal(saldo.run(['ledger', 'verify']).status, 0);
});

test('the public pages keep the browser\'s rules and their forms take any input without a server error', { timeout: 300000 }, async () => {
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const broken = [];
  const { pages, forms } = await walk(web, ['/login', '/signup', '/password/forgot', '/status', '/terms'],
    { skipForm: SKIP_FORM, onPage: (p, html, headers) => broken.push(...browserRules(p, html, headers)) });
  assert.deepEqual([...new Set(broken)], []);
  assert.ok(pages >= 5 && forms.length >= 3, `${pages} pages, ${forms.length} forms`);
  for (const action of ['/login', '/signup', '/password/forgot'])
    assert.ok(forms.some((f) => f.action === action), `the walk found the form of ${action}`);
  const users = saldo.sql('SELECT COUNT(*) FROM users');
  assert.ok(await spoil(web, forms) > 50);
  assert.equal(saldo.sql('SELECT COUNT(*) FROM users'), users, 'no account made of garbage');
});
