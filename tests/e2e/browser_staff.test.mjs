// browser_staff.test.mjs - the back office in a real browser (Debian's chromium
// through playwright-core): a staff member signs in, finds a customer's
// organization by the member's email, credits it through the adjustment form
// (a field error first), sees the new balance and the audit entry with the
// reason; the staff cookie's flags; sign out. Every back office page is saved
// as a screenshot under OUT_DIR/screenshots (staff-*.png).
import assert from 'node:assert/strict';
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

/** A page that records CSP violations and console errors. */
async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

const shot = shotter('staff-');

test('staff sign in, find an organization, credit it, see the balance and the audit entry', async () => {
  const base = saldo.url;
  const u = await signUp(saldo, { name: 'Rossi Web Agency' });
  const other = await signUp(saldo, { name: 'Bianchi Hosting' });
  const email = 'operator@saldo.test';
  const password = 'an operator password';
  assert.equal(saldo.run(['staff', 'add', '--email', email, '--name', 'Olga Operator'], { input: `${password}\n` }).status, 0);
  // Another organization with money and history, so the pages have something to show.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await newPage(context);

  // A staff page without a staff session goes to the sign-in page.
  await page.goto(`${base}/staff`);
  assert.equal(page.url(), `${base}/staff/login`);
  assert.match(await page.textContent('h1'), /Staff sign-in/);
  assert.match(await page.textContent('.bo-badge'), /Back office/);
  await shot(page, '01-login');
  await page.fill('#email', email);
  await page.fill('#password', 'not the password');
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForSelector('.alert-error');
  await shot(page, '02-login-error');
  await page.fill('#password', password);
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForURL(`${base}/staff`);
  const cookie = (await context.cookies()).find((c) => c.name === 'saldo_staff');
  assert.ok(cookie, 'a staff session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/staff');
  assert.ok(!(await context.cookies()).some((c) => c.name === 'saldo_session'), 'not a customer session');
  const header = await page.evaluate(() => getComputedStyle(document.querySelector('.topbar-staff')).backgroundColor);
  assert.equal(header, 'rgb(17, 24, 39)', 'the dark back office header');
  assert.match(await page.textContent('[data-testid=staff-who]'), /operator@saldo\.test/);
  await shot(page, '03-organizations');

  // A first credit of the other organization, through the form.
  await page.goto(`${base}/staff/orgs/${other.org.id}`);
  await page.fill('#amount', '80');
  await page.fill('#reason', 'Welcome credit');
  await page.click('form[action$="/adjustments"] button[type=submit]');
  await page.waitForURL(/adjusted=EUR/);

  // Find the customer's organization by the member's email, from the header's search box.
  await page.fill('#bo-q', u.email);
  await page.click('form.bo-search button[type=submit]');
  await page.waitForURL(/\/staff\?q=/);
  assert.equal(await page.locator('[data-testid=orgs] tbody tr').count(), 1);
  assert.match(await page.textContent('[data-testid=orgs]'), /Rossi Web Agency/);
  await shot(page, '04-search');
  await page.click('[data-testid=orgs] a:has-text("Rossi Web Agency")');
  await page.waitForURL(`${base}/staff/orgs/${u.org.id}`);
  assert.match(await page.textContent('h1'), /Rossi Web Agency/);
  assert.match(await page.textContent('main'), new RegExp(u.email.replace(/[.]/g, '\\.')));
  await shot(page, '05-organization-empty');

  // A mistyped amount is refused next to the field, the form filled in again.
  await page.check('input[name=direction][value=credit]');
  await page.fill('#amount', '1.234,56');
  await page.selectOption('#currency', 'EUR');
  await page.fill('#reason', 'Compensation for the outage of 3 March, ticket #8812');
  await page.click('form[action$="/adjustments"] button[type=submit]');
  await page.waitForSelector('#amount-error');
  assert.match(await page.textContent('#amount-error'), /1,234\.56/);
  assert.equal(await page.getAttribute('#amount', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#reason'), 'Compensation for the outage of 3 March, ticket #8812');
  await shot(page, '06-adjust-error');

  // The credit, as English speakers type it.
  await page.fill('#amount', '1,234.56');
  await page.click('form[action$="/adjustments"] button[type=submit]');
  await page.waitForURL(`${base}/staff/orgs/${u.org.id}?adjusted=EUR`);
  assert.match(await page.textContent('.alert-success'), /adjustment has been posted/);
  assert.match(await page.textContent('.bo-wallet-new'), /€1,234\.56/);
  assert.match(await page.textContent('[data-testid=transfers]'), /\+€1,234\.56/);
  await shot(page, '07-organization-credited');

  // The customer sees it too.
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(w.body.wallets[0].balance.minor, 123456);

  // The audit log: the adjustment with its reason, and the sign-in.
  await page.click('nav.mainnav a:has-text("Audit log")');
  await page.waitForURL(`${base}/staff/audit`);
  const first = page.locator('[data-testid=audit] tbody tr').first();
  assert.match(await first.textContent(), /Credit adjustment/);
  assert.match(await first.textContent(), /ticket #8812/);
  assert.match(await first.textContent(), /\+€1,234\.56/);
  assert.match(await page.textContent('[data-testid=audit]'), /Signed in/);
  await shot(page, '08-audit');

  // In Italian.
  await page.click('form.langswitch button[value=it]');
  await page.waitForURL(`${base}/staff/audit`);
  assert.match(await page.textContent('h1'), /Registro attività/);
  await shot(page, '09-audit-it');
  await page.goto(`${base}/staff/orgs/${u.org.id}`);
  assert.match(await page.textContent('#balances'), /1\.234,56\s€/);
  await shot(page, '10-organization-it');
  await page.click('form.langswitch button[value=en]');
  await page.waitForURL(`${base}/staff/orgs/${u.org.id}`);

  // Small screens.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, '11-organization-mobile');
  await page.setViewportSize({ width: 1280, height: 800 });

  // A 404 in the back office stays in the back office.
  const missing = await page.goto(`${base}/staff/orgs/99999999`);
  assert.equal(missing.status(), 404);
  assert.equal(await page.locator('.topbar-staff').count(), 1);
  await shot(page, '12-not-found');

  // Sign out.
  await page.click('form.signout button');
  await page.waitForURL(`${base}/staff/login`);
  assert.match(await page.textContent('.alert-success'), /signed out of the back office/);
  await shot(page, '13-signed-out');
  await page.goto(`${base}/staff/audit`);
  assert.equal(page.url(), `${base}/staff/login`, 'signed out for real');

  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  await context.close();
});
