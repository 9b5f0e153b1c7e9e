// web_accessibility.test.mjs - what a screen reader needs from every page of
// the client area and the back office, walked by their links in both languages:
// the document's language is the page's, there is one main heading, every field
// a person fills in has a label (a <label for>, a <label> around it or an
// aria-label), every image a
// text alternative, and ids are unique.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { busyCustomer } from './lib/billing.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { accessibility } from './lib/page_checks.mjs';
import { walk } from './lib/walk.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

async function check(web, start) {
  const found = [];
  for (const lang of ['en', 'it']) {
    web.jar.set('lang', lang);
    const { pages } = await walk(web, start, { onPage: (p, html) => found.push(...accessibility(p, html, lang)) });
    assert.ok(pages >= 30, `${pages} pages walked`);
  }
  return [...new Set(found)];
}

test('the client area\'s pages have a language, a heading, labels, alternatives and unique ids', { timeout: 120000 },
  async () => {
    const u = await busyCustomer(saldo, await staffLogin(saldo), { name: 'Ada Rossi' });
    const web = new WebClient(saldo.url);
    assert.equal((await web.login(u.email, u.password)).status, 303);
    assert.deepEqual(await check(web, ['/']), []);
  });

test('the back office\'s pages have a language, a heading, labels, alternatives and unique ids', { timeout: 120000 },
  async () => {
    const u = await signUp(saldo, { name: 'Bruno Verdi' });
    const email = `a11y${Date.now()}@saldo.test`;
    assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
    const web = new WebClient(saldo.url);
    assert.equal((await web.staffLogin(email, 'staff password 1')).status, 303);
    assert.deepEqual(await check(web, ['/staff', `/staff/orgs/${u.org.id}`]), []);
  });
