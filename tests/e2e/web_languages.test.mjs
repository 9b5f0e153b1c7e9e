// web_languages.test.mjs - the client area and the back office speak one
// language at a time: both are walked by their links (with a balance, a service
// due, a cart, a ticket and an address, so most pages have something to show),
// in Italian no page's text contains an English message of po/it.po whose
// Italian differs (a template string without {{#_}}, a C string without _(), a
// message that missed the catalog), and in English none contains the Italian of
// one (Italian written straight into a page).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { DAY, credit, product, service } from './lib/billing.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { unescape, walk } from './lib/walk.mjs';
import { WebClient } from './lib/web.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

/** po/it.po as [[msgid, msgstr]] (continuation lines joined, escapes read). */
function catalog() {
  const entries = [];
  let cur = null;
  let key = null;
  const str = (line) => JSON.parse(line.slice(line.indexOf('"')));
  for (const line of fs.readFileSync(path.join(root, 'po/it.po'), 'utf8').split('\n')) {
    if (line.startsWith('msgid ')) { cur = { id: str(line), str: '' }; key = 'id'; entries.push(cur); }
    else if (line.startsWith('msgstr ')) { cur.str = str(line); key = 'str'; }
    else if (line.startsWith('"') && cur) cur[key] += str(line);
  }
  return entries.filter((e) => e.id).map((e) => [e.id, e.str]);
}

/** The pieces of one language worth looking for in the other's pages: the
 * literal runs of a message (its English, or its Italian when italian) between
 * its placeholders, 16 characters or more with a space, that the other does not
 * contain. */
function pieces(italian) {
  const out = new Set();
  for (const [id, it] of catalog()) {
    if (!it || it === id) continue;
    const [mine, other] = italian ? [it, id] : [id, it];
    for (const run of mine.split(/%[-0-9.]*[a-z]+|\{\{\{?[^}]*\}?\}\}|\n/)) {
      const piece = run.trim();
      if (piece.length >= 16 && piece.includes(' ') && !other.includes(piece)) out.add(piece);
    }
  }
  return [...out];
}

/** A page's visible text: no tags, scripts or styles; entities read; spaces folded. */
const textOf = (html) => unescape(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' '))
  .replace(/\s+/g, ' ');

/** Walks web from start; returns ["page: piece"] for every piece of the other
 * language found (Italian pieces when lang is "en", English ones when "it"). */
async function otherLanguage(web, lang, start) {
  web.jar.set('lang', lang);
  const wrong = pieces(lang === 'en');
  assert.ok(wrong.length > 300, `${wrong.length} pieces to look for`);
  const found = [];
  const { pages } = await walk(web, start, {
    onPage: (p, html) => {
      const text = textOf(html);
      for (const piece of wrong) if (text.includes(piece)) found.push(`${p}: ${piece}`);
    },
  });
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
  assert.deepEqual(await otherLanguage(web, 'it', ['/']), []);
  assert.deepEqual(await otherLanguage(web, 'en', ['/']), []);
});

test('the back office in Italian has no English, in English no Italian', { timeout: 120000 }, async () => {
  const u = await signUp(saldo, { language: 'it', name: 'Bruno Verdi' });
  const email = `italiano${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password: 'staff password 1' })).status, 303);
  assert.deepEqual(await otherLanguage(web, 'it', ['/staff', `/staff/orgs/${u.org.id}`]), []);
  assert.deepEqual(await otherLanguage(web, 'en', ['/staff', `/staff/orgs/${u.org.id}`]), []);
});
