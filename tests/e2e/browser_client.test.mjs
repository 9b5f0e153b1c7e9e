// browser_client.test.mjs - the client area in a real browser (Debian's
// chromium through playwright-core): sign up through the form (with a field
// error first), confirm the address from the real verification mail, sign in,
// see the balance in the top-right corner after a staff credit, open wallet and
// transactions, switch between Italian and English, a form without its CSRF
// token refused with nothing changed, the session cookie's flags, the 404 page,
// sign out. Every page is saved as a screenshot under OUT_DIR/screenshots.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let smtp;
let saldo;
let browser;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await saldo.stop();
  await smtp.stop();
});

/** A page that records CSP violations and console errors. */
async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    // Error statuses the test asks for are logged as "Failed to load resource": not a problem.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

const shot = shotter('');

test('a customer signs up, confirms, signs in, sees the balance, switches language, signs out', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await newPage(context);
  const email = `browser${Date.now()}@example.test`;
  const password = 'a browser password';
  const base = saldo.url;

  // Sign-up: a field error first, shown next to its field, the form filled in again.
  await page.goto(`${base}/signup`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await shot(page, '01-signup');
  await page.fill('#name', 'Giulia Browser');
  await page.fill('#email', email);
  await page.selectOption('#country', 'IT');
  await page.selectOption('#language', 'en');
  await page.fill('#password', 'short');
  await page.fill('#password_confirm', 'short');
  await page.click('button[type=submit]:has-text("Create account")');
  await page.waitForSelector('#password-error');
  assert.match(await page.textContent('#password-error'), /at least 10 characters/);
  assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#name'), 'Giulia Browser');
  assert.equal(await page.inputValue('#email'), email);
  assert.equal(await page.inputValue('#password'), '', 'passwords are never filled in again');
  await shot(page, '02-signup-error');
  await page.fill('#password', password);
  await page.fill('#password_confirm', password);
  await page.click('button[type=submit]:has-text("Create account")');
  await page.waitForURL(`${base}/login`);
  assert.match(await page.textContent('.alert-success'), /Your account is ready/);
  await shot(page, '03-login-after-signup');

  // The verification mail's link confirms the address.
  const mail = await smtp.waitFor(email, (m) => /confirm/i.test(m.subject));
  const link = /(http:\/\/\S+\/verify\?token=[A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  await page.goto(link);
  assert.match(await page.textContent('h1'), /Email address confirmed/);
  await shot(page, '04-verified');

  // Sign in; the session cookie's flags.
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${base}/`);
  const cookie = (await context.cookies()).find((c) => c.name === 'saldo_session');
  assert.ok(cookie, 'signed in with a session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.secure, false, 'http base URL');
  assert.ok(cookie.expires > Date.now() / 1000 + 13 * 86400, 'Max-Age of two weeks');
  assert.match(await page.textContent('h1'), /Welcome, Giulia Browser/);
  assert.match(await page.textContent('[data-testid=balance]'), /none yet/);
  await shot(page, '05-home-empty');

  // A staff credit shows in the top-right corner.
  const staff = await staffLogin(saldo);
  const me = await saldo.api('POST', '/api/v1/sessions', { body: { email, password } });
  const orgs = await saldo.api('GET', '/api/v1/me', { token: me.body.token });
  const orgId = orgs.body.organizations[0].id;
  for (const [currency, minor, key] of [['EUR', 123456, 'b1'], ['USD', 2500, 'b2']]) {
    const r = await saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, {
      token: staff.token, body: { amount: { currency, minor }, reason: 'browser test credit' },
      headers: { 'Idempotency-Key': key },
    });
    assert.equal(r.status, 201, r.text);
  }
  await page.reload();
  const balance = page.locator('[data-testid=balance]');
  assert.match(await balance.textContent(), /€1,234\.56/);
  assert.match(await balance.textContent(), /25\.00/);
  const box = await balance.boundingBox();
  assert.ok(box.x > 1280 / 2 && box.y < 80, `the balance sits top-right (${box.x}, ${box.y})`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(245, 247, 251)', 'the stylesheet is applied');
  await shot(page, '06-home-balance');

  // Wallet and transactions.
  await page.click('nav.mainnav a:has-text("Billing")');
  await page.waitForURL(`${base}/billing`);
  assert.match(await page.textContent('main'), /€1,234\.56/);
  await shot(page, '07-wallet');
  await page.click('nav.tabs a:has-text("Transactions")');
  await page.waitForURL(`${base}/billing/transactions`);
  assert.equal(await page.locator('table tbody tr').count(), 2);
  assert.match(await page.textContent('table'), /Adjustment/);
  await shot(page, '08-transactions');

  // Italian and back.
  await page.click('form.langswitch button[value=it]');
  await page.waitForURL(`${base}/billing/transactions`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'it');
  assert.match(await page.textContent('h1'), /Movimenti/);
  assert.match(await page.textContent('table'), /Rettifica/);
  assert.match(await page.textContent('[data-testid=balance]'), /1\.234,56\s€/);
  await shot(page, '09-transactions-it');
  await page.goto(`${base}/billing`);
  await shot(page, '10-wallet-it');
  await page.click('form.langswitch button[value=en]');
  await page.waitForURL(`${base}/billing`);
  assert.match(await page.textContent('h1'), /Wallet/);

  // The other pages.
  for (const [p, name, heading] of [['/profile', '11-profile', /Profile/], ['/organization', '12-organization', /Organization/],
    ['/services', '13-services', /Services/], ['/support', '14-support', /Support/]]) {
    await page.goto(base + p);
    assert.match(await page.textContent('h1'), heading);
    await shot(page, name);
  }

  // A form whose _csrf was removed is refused and changes nothing.
  await page.goto(`${base}/profile`);
  await page.fill('#name', 'Changed By Forgery');
  await page.evaluate(() => document.querySelector('form[action="/profile"] input[name=_csrf]').remove());
  const [forged] = await Promise.all([page.waitForNavigation(), page.click('form[action="/profile"] button[type=submit]')]);
  assert.equal(forged.status(), 403);
  assert.match(await page.textContent('h1'), /Not allowed/);
  await shot(page, '15-forbidden');
  await page.goto(`${base}/profile`);
  assert.equal(await page.inputValue('#name'), 'Giulia Browser');

  // A profile change that passes, then the 404 page.
  await page.fill('#name', 'Giulia B.');
  await page.click('form[action="/profile"] button[type=submit]');
  await page.waitForURL(`${base}/profile`);
  assert.match(await page.textContent('.alert-success'), /saved/);
  assert.equal(await page.inputValue('#name'), 'Giulia B.');
  const missing = await page.goto(`${base}/no/such/page`);
  assert.equal(missing.status(), 404);
  assert.match(await page.textContent('h1'), /Page not found/);
  await shot(page, '16-not-found');

  // Small screens.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  await shot(page, '17-home-mobile');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Sign out.
  await page.click('form.signout button');
  await page.waitForURL(`${base}/login`);
  assert.match(await page.textContent('.alert-success'), /signed out/);
  await shot(page, '18-signed-out');
  await page.goto(`${base}/billing`);
  assert.equal(page.url(), `${base}/login?next=/billing`, 'signed out for real');
  assert.ok(!(await context.cookies()).some((c) => c.name === 'saldo_session'));

  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  await context.close();
});

test('an anonymous visitor sees the pages in Italian by default and the 404 page', async () => {
  const context = await browser.newContext({ locale: 'it-IT' });
  const page = await newPage(context);
  await page.goto(`${saldo.url}/login`);
  assert.match(await page.textContent('h1'), /Accedi/);
  await shot(page, '20-login-it');
  await page.goto(`${saldo.url}/password/forgot`);
  assert.match(await page.textContent('h1'), /Password dimenticata/);
  await shot(page, '21-forgot-it');
  const r = await page.goto(`${saldo.url}/verify?token=nope`);
  assert.equal(r.status(), 400);
  assert.match(await page.textContent('h1'), /non funziona/);
  await shot(page, '22-verify-bad-it');
  await page.goto(`${saldo.url}/static/..%2f..%2fapp.c`);
  assert.match(await page.textContent('h1'), /Pagina non trovata/);
  assert.deepEqual(page.problems, []);
  await context.close();
});
