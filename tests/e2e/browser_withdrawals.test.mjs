// browser_withdrawals.test.mjs - withdrawals in a real browser: the customer
// reaches the Withdraw page from the wallet, mistypes the IBAN and sees the
// error next to it, requests a bank withdrawal; staff approve it in the back
// office and export it; the customer sees it sent to the bank. Screenshots of
// each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { credit } from './lib/billing.mjs';

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

test('request a bank withdrawal, staff approve and export it', async () => {
  const u = await signUp(saldo, { language: 'en' });
  await credit(saldo, staff, u.org.id, 5000);
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/billing`);
  await page.click('nav.tabs a[href="/billing/withdrawals"]');
  await page.waitForURL(`${saldo.url}/billing/withdrawals`);
  assert.equal(await page.textContent('h1'), 'Withdraw');
  await shot(page, 'withdrawals-01-form');

  await page.fill('#amount', '12.50');
  await page.fill('#iban', 'DE89 3704 0044 0532 0130 01');
  await page.fill('#holder', 'Mario Rossi');
  await page.fill('#note', 'October');
  await page.click('[data-testid="withdraw-form"] button[type=submit]');
  assert.match(await page.textContent('#iban-error'), /This IBAN is not valid/);
  await shot(page, 'withdrawals-02-bad-iban');

  await page.fill('#iban', 'DE89 3704 0044 0532 0130 00');
  await page.click('[data-testid="withdraw-form"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/billing/withdrawals`);
  assert.match(await page.textContent('main'), /Your withdrawal request has been received/);
  assert.match(await page.textContent('tbody'), /Waiting for approval/);
  assert.match(await page.textContent('tbody'), /€12\.50/);
  await shot(page, 'withdrawals-03-pending');

  const bo = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  const email = `bo${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  await bo.goto(`${saldo.url}/staff/login`);
  await bo.fill('#email', email);
  await bo.fill('#password', 'staff password 1');
  await bo.click('form[action="/staff/login"] button[type=submit]');
  await bo.waitForURL(`${saldo.url}/staff`);
  await bo.click('nav.mainnav a[href="/staff/withdrawals"]');
  await bo.waitForURL(`${saldo.url}/staff/withdrawals`);
  await shot(bo, 'withdrawals-04-staff-queue');
  await bo.click('[data-testid="pending"] form[action$="/approve"] button');
  await bo.waitForURL(`${saldo.url}/staff/withdrawals`);
  assert.match(await bo.textContent('main'), /The withdrawal has been approved/);
  assert.match(await bo.textContent('[data-testid="approved"]'), /In the next export/);
  await shot(bo, 'withdrawals-05-approved');
  await bo.click('form[action="/staff/withdrawals/export"] button');
  await bo.waitForURL(`${saldo.url}/staff/withdrawals`);
  assert.match(await bo.textContent('main'), /The credit-transfer file has been created/);
  assert.equal(await bo.locator('[data-testid="exports"] tbody tr').count(), 1);
  await shot(bo, 'withdrawals-06-exported');

  await page.reload();
  assert.match(await page.textContent('tbody'), /Sent to the bank/);
  await shot(page, 'withdrawals-07-sent');
  await context.close();
});
