// browser_refunds.test.mjs - refunds in a real browser: the customer, after a
// card top-up paid at the sandbox gateway and partly spent, reaches the
// Refunds page from the wallet, asks for more than is unused and sees the
// error next to the amount, asks for the unused part; staff approve it in the
// back office, which sends it to the gateway; the customer sees it refunded.
// Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, shotter } from './lib/browser.mjs';
import { startPayments } from './lib/gateway.mjs';
import { signUp } from './lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** A card top-up of minor cents paid at the gateway and credited; returns the gateway's payment id. */
async function cardTopup(u, minor) {
  const r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token,
    body: { amount: { currency: 'EUR', minor }, method: 'card' }, headers: { 'Idempotency-Key': `b-${Date.now()}` } });
  assert.equal(r.status, 201, r.text);
  const gid = /\/pay\/(pay_[0-9a-f]{24})$/.exec(r.body.payment.redirect_url)[1];
  await gw.form(`/pay/${gid}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123', name: 'Ada' });
  for (let i = 0; i < 200; i++) {
    const p = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments/${r.body.payment.id}`, { token: u.token });
    if (p.body.payment.status === 'succeeded') return gid;
    await sleep(50);
  }
  throw new Error('the top-up was never credited');
}

test('ask for a refund of the unused balance; staff approve it and the gateway refunds the card', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const gid = await cardTopup(u, 5000);
  // 20.00 of it spent (an order is another feature: a purchase straight in the ledger is not allowed, so a staff debit).
  const staffEmail = `bo${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', staffEmail], { input: 'staff password 1\n' }).status, 0);
  const s = await saldo.api('POST', '/api/v1/staff/sessions', { body: { email: staffEmail, password: 'staff password 1' } });
  const debit = await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, { token: s.body.token,
    body: { amount: { currency: 'EUR', minor: -2000 }, reason: 'spent' }, headers: { 'Idempotency-Key': `d-${Date.now()}` } });
  assert.equal(debit.status, 201, debit.text);

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);
  await page.goto(`${saldo.url}/billing`);
  await page.click('nav.tabs a[href="/billing/refunds"]');
  await page.waitForURL(`${saldo.url}/billing/refunds`);
  assert.equal(await page.textContent('h1'), 'Refunds');
  assert.match(await page.textContent('[data-testid="refundable"]'), /€30\.00/);
  await shot(page, 'refunds-01-form');

  await page.fill('#amount', '30.01');
  await page.fill('#reason', 'Closing the account');
  await page.click('[data-testid="refund-form"] button[type=submit]');
  assert.match(await page.textContent('#amount-error'), /more than your unused balance/);
  await shot(page, 'refunds-02-too-much');

  await page.fill('#amount', '30.00');
  await page.click('[data-testid="refund-form"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/billing/refunds`);
  assert.match(await page.textContent('main'), /Your refund request has been received/);
  assert.match(await page.textContent('[data-testid="refunds"] tbody'), /Waiting for approval/);
  await shot(page, 'refunds-03-requested');

  const bo = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  await bo.goto(`${saldo.url}/staff/login`);
  await bo.fill('#email', staffEmail);
  await bo.fill('#password', 'staff password 1');
  await bo.click('form[action="/staff/login"] button[type=submit]');
  await bo.waitForURL(`${saldo.url}/staff`);
  await bo.click('nav.mainnav a[href="/staff/refunds"]');
  await bo.waitForURL(`${saldo.url}/staff/refunds`);
  assert.match(await bo.textContent('[data-testid="requested"]'), /Closing the account/);
  await shot(bo, 'refunds-04-staff-queue');
  await bo.click('[data-testid="requested"] form[action$="/approve"] button');
  await bo.waitForURL(`${saldo.url}/staff/refunds`);
  assert.match(await bo.textContent('main'), /The refund has been sent through the payment gateway/);
  assert.match(await bo.textContent('[data-testid="decided"]'), /re_[0-9a-f]{24}/);
  await shot(bo, 'refunds-05-staff-paid');

  const atGateway = await gw.api('GET', `/v1/payments/${gid}`);
  assert.deepEqual(atGateway.body.amount_refunded, { currency: 'EUR', minor: 3000 });
  await page.reload();
  assert.match(await page.textContent('[data-testid="refunds"] tbody'), /Refunded/);
  assert.match(await page.textContent('[data-testid="refundable"]'), /€30\.00/);
  assert.match(await page.textContent('[data-testid="nothing-open"]'), /Nothing is refundable now/);
  await shot(page, 'refunds-06-refunded');
  await context.close();
});
