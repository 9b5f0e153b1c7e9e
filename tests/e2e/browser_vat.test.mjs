// browser_vat.test.mjs - the back office's VAT rates page in a real browser
// (Debian's chromium through playwright-core): a staff member opens it from the
// navigation, sees Italy at 22%, opens a country's history, adds a rate with a
// mistake first (the error next to the field, nothing added), then a good one
// from a future date, and sees it in the history. No CSP violation or console
// error. Screenshots under OUT_DIR/screenshots (vat-*.png).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let saldo;
let browser;
before(async () => {
  saldo = await startSaldo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await saldo.stop();
});

const shot = shotter('vat-');

test('staff add a VAT rate through the page', async () => {
  const base = saldo.url;
  const email = 'vat.operator@saldo.test';
  const password = 'an operator password';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { // the 422 of the refused form is expected
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));

  await page.goto(`${base}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForURL(`${base}/staff`);
  await page.click('nav.mainnav a[href="/staff/vat-rates"]');
  await page.waitForURL(`${base}/staff/vat-rates`);
  assert.match(await page.textContent('h1'), /VAT rates/);
  assert.equal(await page.getAttribute('nav.mainnav a[href="/staff/vat-rates"]', 'aria-current'), 'page');
  assert.equal((await page.textContent('tr[data-country="IT"] td.num')).trim(), '22%');
  await page.click('tr[data-country="DE"] summary');
  assert.match(await page.textContent('tr[data-country="DE"] details'), /16% · in force from 2020-07-01/);
  await shot(page, '01-rates');

  const rows = saldo.sql('SELECT COUNT(*) FROM vat_rates');
  await page.selectOption('#country', 'NL');
  await page.fill('#rate', '35');
  await page.fill('#effective_from', '2033-01-01');
  await page.click('form[action="/staff/vat-rates"] button[type=submit]');
  await page.waitForSelector('#rate-error');
  assert.match(await page.textContent('#rate-error'), /from 0 to 30/);
  assert.equal(await page.getAttribute('#rate', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#country'), 'NL', 'the choice is kept');
  assert.equal(saldo.sql('SELECT COUNT(*) FROM vat_rates'), rows, 'nothing added');
  await shot(page, '02-error');

  await page.fill('#rate', '22.5');
  await page.click('form[action="/staff/vat-rates"] button[type=submit]');
  await page.waitForSelector('.alert-success');
  assert.equal(page.url(), `${base}/staff/vat-rates`);
  assert.match(await page.textContent('.alert-success'), /The VAT rate has been added/);
  assert.equal((await page.textContent('tr[data-country="NL"] td.num')).trim(), '21%', 'today still the old rate');
  await page.click('tr[data-country="NL"] summary');
  assert.match(await page.textContent('tr[data-country="NL"] details'), /22.5% · in force from 2033-01-01 · added on/);
  await shot(page, '03-added');
  assert.deepEqual(problems, []);
  await context.close();
});
