// browser_twofa.test.mjs - two-factor authentication in a real browser: set it
// up from the profile (QR code, typed key, first code), save the recovery
// codes, sign in again with a code on the second step, then with a recovery
// code, and see a wrong code refused next to its field. Screenshots of each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { totp } from './lib/totp.mjs';

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

async function signIn(page, u) {
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
}

test('set up two-factor, then sign in with a code and with a recovery code', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, u);
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/profile`);
  await page.click('a[href="/profile/2fa"]');
  await shot(page, 'twofa-01-off');
  await page.click('form[action="/profile/2fa/setup"] button');
  assert.equal(await page.locator('.qr-box svg').count(), 1, 'the QR code is on the page');
  const secret = (await page.textContent('#totp-secret')).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, 'twofa-02-setup');

  await page.fill('#otp', '000000' === totp(secret) ? '111111' : '000000');
  await page.click('form[action="/profile/2fa/confirm"] button');
  assert.match(await page.textContent('#otp-error'), /wrong/);
  assert.equal((await page.textContent('#totp-secret')).replace(/\s+/g, ''), secret, 'the same key is shown again');
  const first = totp(secret); // kept: recomputing it later may give the next step's code
  await page.fill('#otp', first);
  await page.click('form[action="/profile/2fa/confirm"] button');
  const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await shot(page, 'twofa-03-codes');
  await page.click('text=I have saved them');
  assert.match(await page.textContent('main'), /Codes left:\s*10/);
  await shot(page, 'twofa-04-on');

  await page.click('button:has-text("Sign out")');
  await signIn(page, u);
  await page.waitForURL(`${saldo.url}/login/otp`);
  await shot(page, 'twofa-05-second-step');
  await page.fill('#otp', first); // used to confirm a moment ago: refused
  await page.click('form[action="/login/otp"] button[type=submit]');
  assert.match(await page.textContent('#otp-error'), /wrong, used or expired/);
  await page.fill('#otp', totp(secret, Date.now() / 1000 + 30));
  await page.click('form[action="/login/otp"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  // Asked for a page while signed out: both steps of sign-in lead back to it.
  await page.click('button:has-text("Sign out")');
  await page.goto(`${saldo.url}/profile/2fa`);
  await page.waitForURL(`${saldo.url}/login?next=/profile/2fa`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login?next=/profile/2fa"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/login/otp?next=/profile/2fa`);
  await page.fill('#otp', codes[4]);
  await page.click('form[action="/login/otp?next=/profile/2fa"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/profile/2fa`);
  assert.match(await page.textContent('main'), /Codes left:\s*9/);
  await context.close();
});

test('the second step cannot be reached without a correct password', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login/otp`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await context.close();
});
