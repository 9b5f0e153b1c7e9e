// browser_gateway.test.mjs - the sandbox gateway's hosted pages in a real
// browser: the card form with each test card (and a typing mistake shown next
// to its field), the 3-D Secure challenge right and wrong, the Apple Pay and
// Google Pay buttons, PayPal approve and cancel, crypto confirmations; then
// back to the merchant's return_url. Screenshots of each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startGateway, startReceiver } from './lib/gateway.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let gw;
let merchant;
let browser;
let page;
before(async () => {
  merchant = await startReceiver();
  gw = await startGateway({ webhookUrl: merchant.url, args: ['--confirmations', '2', '--confirmation-interval', '1'] });
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 900, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await gw?.stop();
  await merchant?.close();
});

const shot = shotter('gateway_');
const returnUrl = () => merchant.url.replace('/webhooks/gateway', '/billing/return');

async function open(method, over = {}) {
  const p = (await gw.api('POST', '/v1/payments', {
    body: { amount: { currency: 'EUR', minor: 2500 }, method, customer: 'cus_b', return_url: returnUrl(), ...over },
  })).body;
  await page.goto(p.redirect_url);
  return p;
}

async function payCard(number) {
  await page.fill('#number', number);
  await page.fill('#expiry', '11/34');
  await page.fill('#cvc', '123');
  await page.fill('#name', 'Ada Lovelace');
  await page.click('#pay');
}

async function outcome(p, want) {
  await page.waitForSelector('#status');
  assert.equal(await page.textContent('#status'), want);
  await page.waitForURL(`${returnUrl()}?payment_id=${p.id}`, { timeout: 10000 });
  assert.equal((await gw.api('GET', `/v1/payments/${p.id}`)).body.status, want);
}

test('card page: a typing mistake, then each test card', async () => {
  const p = await open('card');
  await shot(page, 'card');
  await payCard('4242 4242 4242 4241');
  assert.match(await page.textContent('#error-number'), /check digit/);
  await shot(page, 'card_error');
  await payCard('4242 4242 4242 4242');
  await shot(page, 'card_succeeded');
  await outcome(p, 'succeeded');
  for (const [number, code] of [['4000 0000 0000 0002', 'card_declined'], ['4000 0000 0000 9995', 'insufficient_funds'],
    ['4000 0000 0000 0069', 'expired_card']]) {
    const q = await open('card');
    await payCard(number);
    await page.waitForSelector('#failure-code');
    assert.equal(await page.textContent('#failure-code'), code);
    await shot(page, `card_${code}`);
    await outcome(q, 'failed');
  }
});

test('3-D Secure challenge: a wrong code, then the right one; three wrong codes fail', async () => {
  const p = await open('card');
  await payCard('4000 0000 0000 3220');
  await page.waitForSelector('#sandbox-box');
  await shot(page, '3ds');
  const otp = await page.textContent('#otp');
  await page.fill('#code', otp === '000000' ? '111111' : '000000');
  await page.click('#confirm');
  assert.match(await page.textContent('#error-code'), /Tries left: 2/);
  await shot(page, '3ds_wrong');
  await page.fill('#code', otp);
  await page.click('#confirm');
  await outcome(p, 'succeeded');

  const q = await open('card');
  await payCard('4000 0000 0000 3220');
  for (let i = 0; i < 3; i++) {
    await page.fill('#code', '999x');
    await page.click('#confirm');
  }
  assert.equal(await page.textContent('#failure-code'), 'authentication_failed');
  await outcome(q, 'failed');
});

test('Apple Pay and Google Pay buttons pay with the sandbox wallet card', async () => {
  for (const [method, button, wallet] of [['card', '#apple-pay', 'apple_pay'], ['wallet', '#google-pay', 'google_pay']]) {
    const p = await open(method);
    if (method === 'wallet') {
      assert.equal(await page.locator('#number').count(), 0);
      await shot(page, 'wallet');
    }
    await page.click(button);
    await outcome(p, 'succeeded');
    const got = (await gw.api('GET', `/v1/payments/${p.id}`)).body;
    assert.equal(got.wallet, wallet);
    assert.equal(got.card.last4, '4242');
  }
});

test('PayPal: approve, and cancel', async () => {
  const p = await open('paypal');
  await shot(page, 'paypal');
  await page.click('#approve');
  await outcome(p, 'succeeded');
  const q = await open('paypal');
  await page.click('#cancel');
  await outcome(q, 'canceled');
});

test('crypto: address and amount, confirmations advance with time', async () => {
  const p = await open('crypto');
  assert.match(await page.textContent('#address'), /^tb1q[0-9a-f]{38}$/);
  assert.equal(await page.textContent('#btc'), '0.00050000');
  await shot(page, 'crypto');
  await page.click('#send');
  assert.equal(await page.textContent('#required'), '2');
  await shot(page, 'crypto_sent');
  for (let i = 0; i < 50 && (await page.locator('#status').count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.click('#refresh');
  }
  await outcome(p, 'succeeded');
});
