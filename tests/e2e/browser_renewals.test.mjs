// browser_renewals.test.mjs - the To pay page in a real browser: reached from
// the navigation, two services due (one suspended), a longer period chosen,
// the total updated and found short with the link to top up, a shorter
// period, paid from the balance, the page empty afterwards and the renewals
// among the transactions. Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { balance, credit, DAY, product, service } from './lib/billing.mjs';

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
const now = () => Math.floor(Date.now() / 1000);

test('choose periods, see the total against the balance, pay from the balance', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const p = product(saldo, { prices: { 12: 1000, 24: 1800, 36: 2500 }, name: 'Web hosting' });
  const promo = product(saldo, { prices: { 12: 500, 24: 900 }, promotional: true, name: 'Domain' });
  const a = service(saldo, u.org.id, p, now() + 6 * DAY, { label: 'shop.example' });
  const b = service(saldo, u.org.id, promo, now() - 3 * DAY, { label: 'shop.example.it', status: 'suspended' });
  await credit(saldo, staff, u.org.id, 4000);

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.click('nav.mainnav a[href="/renewals"]');
  await page.waitForURL(`${saldo.url}/renewals`);
  assert.equal(await page.textContent('h1'), 'To pay');
  assert.equal(await page.locator('tbody tr').count(), 2);
  assert.match(await page.textContent(`[data-testid="due-${b}"]`), /Suspended/);
  // Prices are net: the total adds 22% VAT (an Italian consumer).
  assert.match(await page.textContent('[data-testid="total-EUR"]'), /€18\.30 · Balance €40\.00/);
  assert.match(await page.textContent('[data-testid="vat-EUR"]'), /Net €15\.00 · VAT 22% €3\.30/);
  await shot(page, 'renewals-01-due');

  await page.selectOption(`#period_${a}`, '36');
  await page.selectOption(`#period_${b}`, '24');
  await page.click('button[value="quote"]');
  await page.waitForURL(`${saldo.url}/renewals`);
  assert.match(await page.textContent('[data-testid="total-EUR"]'), /€41\.48/);
  assert.match(await page.textContent('[data-testid="shortfall-EUR"]'), /short by €1\.48/);
  assert.equal(await page.getAttribute('[data-testid="shortfall-EUR"] a', 'href'), '/billing');
  await shot(page, 'renewals-02-short');

  await page.selectOption(`#period_${a}`, '24');
  await page.click('button[value="pay"]');
  await page.waitForURL(`${saldo.url}/renewals`);
  assert.match(await page.textContent('.alert-success'), /renewed and paid/);
  assert.match(await page.textContent('main'), /Nothing to pay/);
  await shot(page, 'renewals-03-paid');
  assert.equal(await balance(saldo, u), 4000 - 3294, '27.00 net + 22% VAT');

  await page.goto(`${saldo.url}/billing/transactions`);
  assert.equal(await page.locator('td:has-text("Renewal")').count(), 2);
  await shot(page, 'renewals-04-transactions');
  await context.close();
});
