// browser_order_payments.test.mjs - in a real browser against a real gateway
// sandbox: the cart paid by card (the 3-D Secure card, its challenge on the
// gateway's page), back on saldo's return page "Order placed" with the link
// to the order, the service renewing automatically; then the To pay page paid
// by PayPal. Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startPayments } from './lib/gateway.mjs';
import { signUp } from './lib/harness.mjs';
import { DAY, product as renewable, service } from './lib/billing.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let payments;
let saldo;
let gw;
let relay;
let browser;
before(async () => {
  payments = await startPayments({ smtp: false });
  ({ saldo, gw, relay } = payments);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await payments.stop();
});

const shot = shotter('');
const now = () => Math.floor(Date.now() / 1000);

test('the cart paid by card with 3-D Secure: order placed, auto-renew on; To pay by PayPal', async () => {
  const u = await signUp(saldo, { language: 'en' });
  saldo.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('opc', 'Hosting', 'Hosting', ${now()})`);
  saldo.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, created_at, updated_at)
             SELECT id, 'opp', 'Web hosting', 'Hosting web', 1, ${now()}, ${now()} FROM catalog_categories WHERE code = 'opc'`);
  const product = saldo.sql("SELECT id FROM catalog_products WHERE code = 'opp'");
  saldo.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor, setup_minor) VALUES (${product}, 'EUR', 12, 4800, 1000)`);

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/cart`);
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const add = await context.request.post(`${saldo.url}/cart/items`, {
    form: { _csrf: csrf, product_id: product, period: '12', currency: 'EUR' }, maxRedirects: 0,
  });
  assert.equal(add.status(), 303);
  await page.goto(`${saldo.url}/cart`);
  assert.match(await page.textContent('[data-testid=shortfall]'), /Missing: €70\.76/, '58.00 net + 22% VAT');
  await page.check('[data-testid=pay-with-card]');
  await page.check('#accept_terms');
  await shot(page, 'order-pay-01-cart-card');
  await page.click('[data-testid=order-pay]');
  await page.waitForURL(/\/billing\/topups\/\d+$/);
  assert.equal(await page.textContent('[data-testid="topup-title"]'), 'Payment pending');
  assert.match(await page.textContent('[data-testid="topup-pending"]'), /your order is placed as soon as it is/);
  await page.click('[data-testid="topup-continue"]');
  await page.waitForURL(new RegExp(`^${gw.url}/pay/pay_`));
  await page.fill('#number', '4000 0000 0000 3220');
  await page.fill('#expiry', '11/34');
  await page.fill('#cvc', '123');
  await page.fill('#name', 'Ada Lovelace');
  await shot(page, 'order-pay-02-gateway');
  await page.click('#pay');
  await page.waitForSelector('#sandbox-box');
  await page.fill('#code', await page.textContent('#otp'));
  await page.click('#confirm');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/topups/\\d+/return\\?payment_id=pay_`), { timeout: 10000 });
  await page.waitForSelector('[data-testid="order-placed"]');
  assert.equal(await page.textContent('[data-testid="topup-title"]'), 'Order placed');
  await shot(page, 'order-pay-03-placed');
  await page.click('[data-testid="order-link"]');
  await page.waitForURL(/\/orders\/\d+$/);
  assert.match(await page.textContent('[data-testid=order-total]'), /€70\.76/);
  await shot(page, 'order-pay-04-order');
  const orderId = page.url().split('/').pop();
  assert.equal(saldo.sql(`SELECT auto_renew FROM services WHERE order_id = ${orderId}`), '1');
  assert.equal(saldo.sql(`SELECT count(*) FROM cart_items`), '0', 'the cart was emptied');

  const hosting = renewable(saldo, { prices: { 12: 1000, 24: 1800 } });
  const s = service(saldo, u.org.id, hosting, now() + 5 * DAY, { label: 'due.example' });
  const before = saldo.sql(`SELECT expires_at FROM services WHERE id = ${s}`);
  await page.goto(`${saldo.url}/renewals`);
  await page.check('[data-testid=pay-with-paypal]');
  await shot(page, 'order-pay-05-to-pay');
  await page.click('button[value="pay"]');
  await page.waitForURL(/\/billing\/topups\/\d+$/);
  await page.click('[data-testid="topup-continue"]');
  await page.waitForURL(new RegExp(`^${gw.url}/pay/pay_`));
  await page.click('#approve');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/topups/\\d+/return`), { timeout: 10000 });
  await page.waitForSelector('[data-testid="renewals-paid"]');
  assert.equal(await page.textContent('[data-testid="topup-title"]'), 'Services renewed');
  assert.ok(Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${s}`)) > Number(before));
  await shot(page, 'order-pay-06-renewed');
  await context.close();
});
