// web_demo.test.mjs - what `make run` shows first: the demo database (`saldo
// demo`), walked by its links as Mario (Italian, a reseller), as Anna (English)
// and as staff, each in both languages. Every page must answer, speak one
// language, be usable with a screen reader and keep the browser's rules
// (lib/page_checks.mjs), and `ledger verify` must hold on the demo's money.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSaldo } from './lib/harness.mjs';
import { accessibility, browserRules, otherLanguage } from './lib/page_checks.mjs';
import { walk } from './lib/walk.mjs';
import { WebClient } from './lib/web.mjs';

const PASSWORD = 'saldo-demo-1';

let saldo;
before(async () => {
  saldo = await startSaldo();
  const seeded = saldo.run(['demo']);
  assert.equal(seeded.status, 0, seeded.stderr);
});
after(async () => saldo.stop());

/** Walks web from start in both languages; returns every problem found. */
async function problems(web, start) {
  const found = [];
  for (const lang of ['it', 'en']) {
    web.jar.set('lang', lang);
    const language = otherLanguage(lang);
    const { pages } = await walk(web, start, {
      onPage: (p, html, headers) => found.push(...language(p, html), ...accessibility(p, html, lang),
        ...browserRules(p, html, headers)),
    });
    assert.ok(pages >= 30, `${pages} pages walked in ${lang}`);
  }
  return [...new Set(found)];
}

for (const email of ['mario.rossi@example.com', 'anna.schmidt@example.com']) {
  test(`the demo as ${email}: every page answers, in one language, accessible, within the browser's rules`,
    { timeout: 180000 }, async () => {
      const web = new WebClient(saldo.url);
      assert.equal((await web.login(email, PASSWORD)).status, 303);
      assert.deepEqual(await problems(web, ['/']), []);
    });
}

test('the demo\'s back office: every page answers, in one language, accessible, within the browser\'s rules',
  { timeout: 180000 }, async () => {
    const web = new WebClient(saldo.url);
    assert.equal((await web.staffLogin('staff@example.com', 'saldo-staff-1')).status, 303);
    assert.deepEqual(await problems(web, ['/staff']), []);
    assert.equal(saldo.run(['ledger', 'verify']).status, 0);
  });
