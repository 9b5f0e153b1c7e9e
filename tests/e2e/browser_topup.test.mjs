// browser_topup.test.mjs - top-ups in a real browser against a real gateway
// sandbox: from the wallet to the Top up page, a card with the 3-D Secure
// challenge on the gateway's page, back to saldo's return page, the balance
// credited; then PayPal approved. Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startPayments } from './lib/gateway.mjs';
import { signUp } from './lib/harness.mjs';
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

async function startTopup(page, amount, method) {
  await page.goto(`${saldo.url}/billing`);
  await page.click('[data-testid="topup-link"]');
  await page.waitForURL(`${saldo.url}/billing/topup`);
  await page.fill('#amount', amount);
  await page.check(`[data-testid="method-${method}"]`);
  await page.click('[data-testid="topup-pay"]');
  await page.waitForURL(/\/billing\/topups\/\d+$/);
  await page.click('[data-testid="topup-continue"]');
  await page.waitForURL(new RegExp(`^${gw.url}/pay/pay_`));
}

test('top up by card with 3-D Secure, then by PayPal', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/billing/topup`);
  assert.match(await page.textContent('[data-testid="topup-form"]'), /Bitcoin \(arrives: after network confirmation\)/);
  assert.match(await page.textContent('[data-testid="topup-form"]'), /Card \(arrives: immediate\)/);
  await shot(page, 'topup-01-form');
  await page.fill('#amount', '2');
  await page.click('[data-testid="topup-pay"]');
  assert.match(await page.textContent('#amount-error'), /from 5\.00/);

  await startTopup(page, '15.00', 'card');
  await shot(page, 'topup-02-gateway-card');
  await page.fill('#number', '4000 0000 0000 3220');
  await page.fill('#expiry', '11/34');
  await page.fill('#cvc', '123');
  await page.fill('#name', 'Ada Lovelace');
  await page.click('#pay');
  await page.waitForSelector('#sandbox-box');
  await shot(page, 'topup-03-3ds');
  await page.fill('#code', await page.textContent('#otp'));
  await page.click('#confirm');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/topups/\\d+/return\\?payment_id=pay_`), { timeout: 10000 });
  await page.waitForSelector('[data-testid="topup-done"]');
  assert.equal(await page.textContent('[data-testid="topup-title"]'), 'Payment received');
  assert.match(await page.textContent('[data-testid="balance"]'), /€15\.00/);
  await shot(page, 'topup-04-done');

  await startTopup(page, '7.50', 'paypal');
  await shot(page, 'topup-05-paypal');
  await page.click('#approve');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/topups/\\d+/return`), { timeout: 10000 });
  await page.waitForSelector('[data-testid="topup-done"]');
  assert.match(await page.textContent('[data-testid="balance"]'), /€22\.50/);
  await page.click('[data-testid="notifications-link"]');
  await page.waitForURL(`${saldo.url}/notifications`);
  assert.equal(await page.locator('[data-testid="notification"]').count(), 2);
  await shot(page, 'topup-06-notifications');
  await context.close();
});
