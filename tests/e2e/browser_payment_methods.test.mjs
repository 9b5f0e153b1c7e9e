// browser_payment_methods.test.mjs - saved cards in a real browser against a
// real gateway sandbox: a top-up by card with "Save this card", the card on
// the Cards page as the default, a second top-up paid with it at once, a card
// added without a payment (the gateway's verification page), the default
// moved, a card removed after the confirmation page. Screenshots of each step.
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
const cardLabels = async (page) => (await page.$$eval('[data-testid^="card-"] [data-testid="card-label"]',
  (els) => els.map((e) => e.textContent.trim())));

test('save a card while topping up, pay with it, add another, set the default, remove one', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  // Top up 20.00 by card, asking to save it.
  await page.goto(`${saldo.url}/billing/topup`);
  await page.fill('#amount', '20.00');
  await page.check('[data-testid="method-card"]');
  await page.check('[data-testid="topup-save-card"]');
  await shot(page, 'cards-01-topup-save');
  await page.click('[data-testid="topup-pay"]');
  await page.waitForURL(/\/billing\/topups\/\d+$/);
  await page.click('[data-testid="topup-continue"]');
  await page.waitForURL(new RegExp(`^${gw.url}/pay/pay_`));
  assert.match(await page.textContent('body'), /The card will be saved for later payments/);
  await page.fill('#number', '4242 4242 4242 4242');
  await page.fill('#expiry', '12/39');
  await page.fill('#cvc', '123');
  await page.click('#pay');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/topups/\\d+/return\\?payment_id=pay_`), { timeout: 10000 });
  await page.waitForSelector('[data-testid="topup-done"]');

  // The card is on the Cards page, the default.
  await page.goto(`${saldo.url}/billing`);
  await page.click('[data-testid="payment-methods-link"]');
  await page.waitForURL(`${saldo.url}/billing/payment-methods`);
  assert.deepEqual(await cardLabels(page), ['Visa •••• 4242']);
  assert.equal(await page.locator('[data-testid="card-default"]').count(), 1);
  await shot(page, 'cards-02-saved');

  // A top-up with the saved card (preselected) is paid at once.
  await page.goto(`${saldo.url}/billing/topup`);
  const saved = page.locator('[data-testid^="method-saved:"]');
  assert.equal(await saved.count(), 1);
  assert.equal(await saved.isChecked(), true);
  assert.match(await page.textContent('[data-testid="topup-form"]'), /Visa •••• 4242 \(12\/2039\)/);
  assert.match(await page.textContent('[data-testid="topup-form"]'), /A new card/);
  await page.fill('#amount', '7.00');
  await page.click('[data-testid="topup-pay"]');
  await page.waitForURL(/\/billing\/topups\/\d+$/);
  await page.waitForSelector('[data-testid="topup-done"]');
  assert.match(await page.textContent('[data-testid="balance"]'), /€27\.00/);
  await shot(page, 'cards-03-paid-with-saved');

  // Add a Mastercard without a payment: the gateway's verification page.
  await page.goto(`${saldo.url}/billing/payment-methods`);
  await page.click('[data-testid="card-add"]');
  await page.waitForURL(/\/billing\/payment-methods\/add\/\d+$/);
  await page.click('[data-testid="card-add-continue"]');
  await page.waitForURL(new RegExp(`^${gw.url}/setup/set_`));
  await shot(page, 'cards-04-gateway-verify');
  await page.fill('#number', '5555 5555 5555 4444');
  await page.fill('#expiry', '10/36');
  await page.fill('#cvc', '321');
  await page.click('#save');
  await page.waitForURL(new RegExp(`^${saldo.url}/billing/payment-methods$`), { timeout: 10000 });
  assert.match(await page.textContent('[role="status"]'), /The card has been saved/);
  assert.deepEqual(await cardLabels(page), ['Visa •••• 4242', 'Mastercard •••• 4444']);
  assert.match(await page.textContent('body'), /expires 10\/2036/);
  await shot(page, 'cards-05-added');

  // The Mastercard becomes the default.
  const ids = await page.$$eval('li[data-testid^="card-"]', (els) => els.map((e) => e.dataset.testid));
  await page.click(`[data-testid="${ids[1]}"] [data-testid="card-make-default"]`);
  await page.waitForURL(`${saldo.url}/billing/payment-methods`);
  assert.equal(await page.locator(`[data-testid="${ids[1]}"] [data-testid="card-default"]`).count(), 1);
  assert.equal(await page.locator(`[data-testid="${ids[0]}"] [data-testid="card-default"]`).count(), 0);
  await shot(page, 'cards-06-default');

  // Remove the Visa, after the confirmation page.
  await page.click(`[data-testid="${ids[0]}"] [data-testid="card-remove"]`);
  await page.waitForSelector('[data-testid="card-remove-confirm"]');
  assert.match(await page.textContent('[data-testid="card-remove-confirm"]'), /Visa •••• 4242/);
  await shot(page, 'cards-07-remove-confirm');
  await page.click('[data-testid="card-remove-yes"]');
  await page.waitForURL(`${saldo.url}/billing/payment-methods`);
  assert.match(await page.textContent('[role="status"]'), /The card has been removed/);
  assert.deepEqual(await cardLabels(page), ['Mastercard •••• 4444']);
  await shot(page, 'cards-08-removed');
  const atGateway = await gw.api('GET', `/v1/customers/org_${u.org.id}/payment-methods`);
  assert.deepEqual(atGateway.body.data.map((m) => m.last4), ['4444']);
  await context.close();
});
