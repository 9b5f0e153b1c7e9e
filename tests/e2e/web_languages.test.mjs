// web_languages.test.mjs - the client area and the back office speak one
// language at a time: both are walked by their links (with a balance, a service
// due, a cart, a ticket and an address, so most pages have something to show),
// in Italian no page's text contains an English message of po/it.po whose
// Italian differs (a template string without {{#_}}, a C string without _(), a
// message that missed the catalog), and in English none contains the Italian of
// one (Italian written straight into a page).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DAY, credit, product, service } from './lib/billing.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { otherLanguage } from './lib/page_checks.mjs';
import { walk } from './lib/walk.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

/** Walks web from start asking in lang; returns what otherLanguage(lang) finds. */
async function otherLanguageLeft(web, lang, start) {
  web.jar.set('lang', lang);
  const check = otherLanguage(lang);
  const found = [];
  const { pages } = await walk(web, start, { onPage: (p, html) => found.push(...check(p, html)) });
  assert.ok(pages >= 30, `${pages} pages walked`);
  return found;
}

test('the client area in Italian has no English, in English no Italian', { timeout: 120000 }, async () => {
  const u = await signUp(saldo, { language: 'it', name: 'Ada Rossi' });
  const staff = await staffLogin(saldo);
  await credit(saldo, staff, u.org.id, 5000);
  const productId = product(saldo, { name: 'Hosting' });
  service(saldo, u.org.id, productId, Math.floor(Date.now() / 1000) + 10 * DAY, { label: 'sito.example' });
  await saldo.api('POST', `/api/v1/orgs/${u.org.id}/cart/items`, { token: u.token,
    body: { product_id: productId, period: 12, currency: 'EUR' } });
  await saldo.api('POST', `/api/v1/orgs/${u.org.id}/tickets`, { token: u.token,
    body: { department: 'technical', subject: 'Sito lento', description: 'Il sito risponde piano.' } });
  await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token,
    body: { recipient: 'Ada Rossi', street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI',
      country: 'IT' } });
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  assert.deepEqual(await otherLanguageLeft(web, 'it', ['/']), []);
  assert.deepEqual(await otherLanguageLeft(web, 'en', ['/']), []);
});

test('the back office in Italian has no English, in English no Italian', { timeout: 120000 }, async () => {
  const u = await signUp(saldo, { language: 'it', name: 'Bruno Verdi' });
  const email = `italiano${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password: 'staff password 1' })).status, 303);
  assert.deepEqual(await otherLanguageLeft(web, 'it', ['/staff', `/staff/orgs/${u.org.id}`]), []);
  assert.deepEqual(await otherLanguageLeft(web, 'en', ['/staff', `/staff/orgs/${u.org.id}`]), []);
});
