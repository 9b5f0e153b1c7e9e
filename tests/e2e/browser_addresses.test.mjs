// browser_addresses.test.mjs - in a real browser: add two billing addresses
// (one refused first, the message next to its field), make the second the
// default, set a notification address, download the data export from the
// profile, and delete the account. Screenshots of each page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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

async function fillAddress(page, a) {
  for (const [k, v] of Object.entries(a)) await page.fill(`#${k}`, v);
}

test('addresses, notification address, export and account deletion', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/organization`);
  await page.click('a[href="/organization/addresses"]');
  await shot(page, 'addresses-01-empty');
  await fillAddress(page, { recipient: 'Rossi S.r.l.', street: 'Via Dante 12', postal_code: '2012', city: 'Milano', province: 'MI', country: 'IT' });
  await page.click('form[action="/organization/addresses"] button[type=submit]');
  assert.match(await page.textContent('#postal_code-error'), /five digits/);
  assert.equal(await page.inputValue('#recipient'), 'Rossi S.r.l.', 'the form keeps what was typed');
  await shot(page, 'addresses-02-error');
  await page.fill('#postal_code', '20121');
  await page.click('form[action="/organization/addresses"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/organization/addresses`);
  assert.match(await page.textContent('.alert-success'), /added/);

  await fillAddress(page, { recipient: 'Rossi GmbH', street: 'Unter den Linden 5', postal_code: '10117', city: 'Berlin', province: '', country: 'DE' });
  await page.click('form[action="/organization/addresses"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/organization/addresses`);
  const items = page.locator('.address-item');
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).textContent(), /Default\s*Rossi S\.r\.l\./);
  await items.nth(1).locator('button:has-text("Make default")').click();
  await page.waitForURL(`${saldo.url}/organization/addresses`);
  assert.match(await page.textContent('.alert-success'), /default billing address/);
  assert.match(await page.locator('.address-item').nth(0).textContent(), /Default\s*Rossi GmbH/);
  await shot(page, 'addresses-03-two');

  await page.click('a[href="/organization/notifications"]');
  assert.equal(await page.getAttribute('#notify-billing', 'placeholder'), u.email, 'the administrator is the fallback');
  await page.fill('#notify-billing', 'invoices@example.test');
  await page.click('form[action="/organization/notifications"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/organization/notifications`);
  assert.equal(await page.inputValue('#notify-billing'), 'invoices@example.test');
  await shot(page, 'addresses-04-notifications');

  await page.goto(`${saldo.url}/profile`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/profile/export"]')]);
  assert.match(download.suggestedFilename(), /^saldo-export-\d{4}-\d\d-\d\d\.json$/);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.user.email, u.email);
  assert.deepEqual(exported.organizations[0].billing_addresses.map((a) => a.recipient), ['Rossi GmbH', 'Rossi S.r.l.']);
  assert.equal(exported.organizations[0].notification_addresses.billing.address, 'invoices@example.test');

  await page.locator('#delete-account').scrollIntoViewIfNeeded();
  await page.fill('#delete_password', u.password);
  await page.click('form[action="/profile/delete"] button[type=submit]');
  assert.match(await page.textContent('#delete_confirm-error'), /Tick the box/);
  await shot(page, 'addresses-05-delete-confirm');
  await page.fill('#delete_password', u.password);
  await page.check('#delete_confirm');
  await page.click('form[action="/profile/delete"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/login`);
  assert.match(await page.textContent('.alert-success'), /account has been deleted/);
  await shot(page, 'addresses-06-deleted');
  await page.goto(`${saldo.url}/profile`);
  await page.waitForURL(`${saldo.url}/login?next=/profile`);
  await context.close();
});
