// browser_transactions.test.mjs - the transaction history in a real browser:
// reached from the billing tabs, filtered by type and currency with the form,
// the older page keeping the filters, the CSV downloaded from the link with the
// same filters, a bad date range shown next to its field. Screenshots of each step.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let saldo;
let staff;
let browser;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await saldo.stop();
});

const shot = shotter('');
let keyNo = 0;
const credit = (orgId, currency, minor) => saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, {
  token: staff.token, body: { amount: { currency, minor }, reason: 'test credit' },
  headers: { 'Idempotency-Key': `bt-${++keyNo}` },
});

test('filter the transactions, page with the filters, download them as CSV', async () => {
  const u = await signUp(saldo, { language: 'en' });
  for (let i = 1; i <= 21; i++) assert.equal((await credit(u.org.id, 'EUR', i * 100)).status, 201);
  assert.equal((await credit(u.org.id, 'USD', 4000)).status, 201);

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/billing`);
  await page.click('nav.tabs a[href="/billing/transactions"]');
  await page.waitForURL(`${saldo.url}/billing/transactions`);
  assert.equal(await page.locator('tbody tr').count(), 20);
  await shot(page, 'transactions-01-all');

  await page.selectOption('#type', 'adjustment');
  await page.selectOption('#currency', 'USD');
  await page.click('form.history-filters button[type=submit]');
  await page.waitForURL(/type=adjustment&currency=USD/);
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.match(await page.textContent('tbody'), /\+\$40\.00/);
  assert.equal(await page.inputValue('#currency'), 'USD');
  await shot(page, 'transactions-02-usd');

  await page.selectOption('#currency', 'EUR');
  await page.click('form.history-filters button[type=submit]');
  await page.waitForURL(/currency=EUR/);
  assert.equal(await page.locator('tbody tr').count(), 20);
  await page.click('a[rel="next"]');
  await page.waitForURL(/type=adjustment&currency=EUR&cursor=\d+/);
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.match(await page.textContent('tbody'), /\+€1\.00/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="transactions-csv"]')]);
  assert.equal(download.suggestedFilename(), `transactions-${u.org.id}.csv`);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(csv.split('\r\n').length, 1 + 21 + 1, 'header, the 21 EUR adjustments, the final CRLF');
  assert.ok(!csv.includes('USD'));

  await page.fill('#from', '2026-02-02');
  await page.fill('#to', '2026-02-01');
  await page.click('form.history-filters button[type=submit]');
  await page.waitForURL(/from=2026-02-02/);
  assert.equal(await page.textContent('#from-error'), 'The start date is after the end date.');
  assert.equal(await page.getAttribute('#from', 'aria-invalid'), 'true');
  await shot(page, 'transactions-03-bad-range');
  await context.close();
});
