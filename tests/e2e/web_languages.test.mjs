// web_languages.test.mjs - the client area and the back office speak one
// language at a time: both are walked by their links (with a balance, a service
// due, a cart, a ticket and an address, so most pages have something to show),
// in Italian no page's text contains an English message of po/it.po whose
// Italian differs (a template string without {{#_}}, a C string without _(), a
// message that missed the catalog), and in English none contains the Italian of
// one (Italian written straight into a page).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { busyCustomer } from './lib/billing.mjs';
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
  const u = await busyCustomer(saldo, await staffLogin(saldo),
    { language: 'it', name: 'Ada Rossi', subject: 'Sito lento', description: 'Il sito risponde piano.' });
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
  assert.equal((await web.staffLogin(email, 'staff password 1')).status, 303);
  assert.deepEqual(await otherLanguageLeft(web, 'it', ['/staff', `/staff/orgs/${u.org.id}`]), []);
  assert.deepEqual(await otherLanguageLeft(web, 'en', ['/staff', `/staff/orgs/${u.org.id}`]), []);
});
