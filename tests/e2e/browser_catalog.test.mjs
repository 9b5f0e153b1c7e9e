// browser_catalog.test.mjs - in a real browser: staff create a category and a
// product with prices in the grid (one refused first, the message next to its
// cell), then a customer opens the catalog from the navigation and sees it
// with net prices, changes the currency, and finds the cart form. Screenshots
// of each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
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

const shot = shotter('');

test('staff create a product with prices; a customer sees it with net prices', async () => {
  const email = `shop${Date.now()}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const staffCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  const staff = await staffCtx.newPage();
  await staff.goto(`${saldo.url}/staff/login`);
  await staff.fill('#email', email);
  await staff.fill('#password', password);
  await staff.click('form[action="/staff/login"] button[type=submit]');
  await staff.waitForURL(`${saldo.url}/staff`);

  await staff.click('a[href="/staff/catalog"]');
  await staff.click('a[href="/staff/catalog/categories/new"]');
  await staff.fill('#code', 'pec');
  await staff.fill('#name_en', 'PEC mailboxes');
  await staff.fill('#name_it', 'Caselle PEC');
  await staff.click('button:has-text("Save category")');
  await staff.waitForURL(`${saldo.url}/staff/catalog`);
  assert.match(await staff.textContent('.alert-success'), /category has been saved/);

  await staff.click('a[href="/staff/catalog/products/new"]');
  await staff.selectOption('#category_id', { label: 'PEC mailboxes' });
  await staff.fill('#code', 'pec-standard');
  await staff.fill('#name_en', 'PEC mailbox Standard');
  await staff.fill('#name_it', 'Casella PEC Standard');
  await staff.fill('#description_en', '2 GB certified mailbox.');
  await staff.fill('#description_it', 'Casella certificata da 2 GB.');
  await staff.fill('#instructions_en', 'Webmail: https://webmail.pec.example.com');
  await staff.check('#auto_renew');
  await staff.fill('#price_EUR_12', '5');
  await staff.fill('#price_EUR_24', '9,50');
  await staff.fill('#price_CHF_12', '6.00');
  await staff.click('button:has-text("Save product")');
  assert.match(await staff.textContent('#price_EUR_24-error'), /such as 1,234.56/);
  assert.equal(await staff.inputValue('#name_en'), 'PEC mailbox Standard', 'the form keeps what was typed');
  await shot(staff, 'catalog-01-staff-product-error');
  await staff.fill('#price_EUR_24', '9.50');
  await staff.click('button:has-text("Save product")');
  await staff.waitForURL(/\/staff\/catalog\/products\/\d+$/);
  assert.match(await staff.textContent('.alert-success'), /product has been saved/);
  assert.equal(await staff.inputValue('#price_EUR_24'), '€9.50');
  await shot(staff, 'catalog-02-staff-product');
  await staff.click('a[href="/staff/catalog"]');
  assert.match(await staff.textContent('[data-testid="staff-product-pec-standard"]'), /On sale/);
  await shot(staff, 'catalog-03-staff-list');
  await staffCtx.close();

  const u = await signUp(saldo, { language: 'it' });
  const ctx = await browser.newContext({ locale: 'it-IT', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);
  await page.click('nav.mainnav a[href="/catalog"]');
  await page.waitForURL(`${saldo.url}/catalog`);
  assert.match(await page.textContent('.page-head'), /IVA esclusa/);
  const card = page.locator('[data-testid="product-pec-standard"]');
  assert.match(await card.textContent(), /Casella PEC Standard/);
  assert.match(await card.textContent(), /5,00 €/);
  assert.match(await card.textContent(), /9,50 €/);
  assert.deepEqual(await card.locator('select[name="period"] option').allTextContents(), ['1 anno', '2 anni']);
  assert.equal(await card.locator('form[action="/cart/items"] input[name="currency"]').inputValue(), 'EUR');
  await shot(page, 'catalog-04-customer-eur');
  await page.selectOption('#currency', 'CHF');
  await page.click('form.catalog-currency button[type=submit]');
  await page.waitForURL(`${saldo.url}/catalog?currency=CHF`);
  assert.match(await page.locator('[data-testid="product-pec-standard"]').textContent(), /6,00 CHF/);
  await shot(page, 'catalog-05-customer-chf');
  await ctx.close();
});
