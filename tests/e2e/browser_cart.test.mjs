// browser_cart.test.mjs - in a real browser: a product put in the cart (as
// the catalog's form posts it), a wrong discount code refused with its
// reason, a good one applied, the terms forgotten then accepted, order and
// pay, and the order's page. Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let saldo;
let browser;
let staff;
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

test('add to cart, code, terms, order and pay, see the order', async () => {
  const u = await signUp(saldo, { language: 'en' });
  saldo.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('bc', 'Hosting', 'Hosting', ${now()})`);
  saldo.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
             SELECT id, 'bp', 'Web hosting', 'Hosting web', 1, ${now()}, ${now()} FROM catalog_categories WHERE code = 'bc'`);
  const product = saldo.sql("SELECT id FROM catalog_products WHERE code = 'bp'");
  saldo.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor) VALUES (${product}, 'EUR', 12, 4800, 1000)`);
  let r = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': 'bfund' }, body: { amount: { currency: 'EUR', minor: 10000 }, reason: 'test funds' },
  });
  assert.equal(r.status, 201, r.text);
  r = await saldo.api('POST', '/api/v1/staff/discount-codes', { token: staff.token, body: { code: 'WELCOME10', kind: 'percent', percent_bp: 1000 } });
  assert.equal(r.status, 201, r.text);

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/cart`);
  await shot(page, 'cart-01-empty');
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const add = await context.request.post(`${saldo.url}/cart/items`, {
    form: { _csrf: csrf, product_id: product, period: '12', currency: 'EUR' }, maxRedirects: 0,
  });
  assert.equal(add.status(), 303);
  await page.goto(`${saldo.url}/cart`);
  // Prices are net: the total to pay adds 22% VAT (an Italian consumer).
  assert.match(await page.textContent('[data-testid=cart-net]'), /€58\.00/);
  assert.match(await page.textContent('[data-testid=cart-vat]'), /€12\.76/);
  assert.match(await page.textContent('[data-testid=cart-total]'), /€70\.76/);
  await shot(page, 'cart-02-line');

  await page.fill('#discount_code', 'WELCOME11');
  await page.click('form[action="/cart/code"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/cart`);
  assert.match(await page.textContent('[data-testid=code-error]'), /There is no such discount code/);
  await shot(page, 'cart-03-code-refused');
  await page.fill('#discount_code', 'welcome10');
  await page.click('form[action="/cart/code"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/cart`);
  assert.match(await page.textContent('[data-testid=cart-total]'), /€64\.90/);

  await page.click('[data-testid=order-pay]');
  assert.match(await page.textContent('#accept_terms-error'), /Accept the terms/);
  await shot(page, 'cart-04-terms');
  await page.check('#accept_terms');
  await page.click('[data-testid=order-pay]');
  await page.waitForURL(/\/orders\/\d+$/);
  assert.match(await page.textContent('.alert-success'), /your order is paid/);
  assert.match(await page.textContent('[data-testid=order-total]'), /€64\.90/);
  await shot(page, 'cart-05-order');
  await page.click('a[href="/orders"]');
  await page.waitForURL(`${saldo.url}/orders`);
  await shot(page, 'cart-06-orders');
  assert.equal(saldo.sql(`SELECT status FROM services WHERE org_id = ${u.org.id}`), 'pending');
  await context.close();
});
