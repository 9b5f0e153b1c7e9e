// browser_members.test.mjs - members in a real browser (Debian's chromium
// through playwright-core): an administrator invites someone from the members
// page, the invitee opens the link of the real mail, signs up from the
// invitation page and lands in the organization; a staff credit gives the
// organization a balance; the administrator grants and then removes the billing
// right, and the member sees the balance, then no longer does. Screenshots go
// under OUT_DIR/screenshots (members-*.png).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
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

async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}
const shot = shotter('members-');

test('an admin invites, the invitee signs up from the mail\'s link, the billing right shows and hides the balance',
  async () => {
    const base = saldo.url;
    const admin = await signUp(saldo, { name: 'Rossi Hosting', language: 'en' });
    const staff = await staffLogin(saldo);
    const credit = await saldo.api('POST', `/api/v1/staff/orgs/${admin.org.id}/adjustments`, {
      token: staff.token, headers: { 'Idempotency-Key': 'browser-members' },
      body: { amount: { currency: 'EUR', minor: 4200 }, reason: 'opening credit' },
    });
    assert.equal(credit.status, 201);

    // The administrator invites from the members page.
    const adminCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const a = await newPage(adminCtx);
    await a.goto(`${base}/login`);
    await a.fill('#email', admin.email);
    await a.fill('#password', admin.password);
    await a.click('button[type=submit]:has-text("Sign in")');
    await a.goto(`${base}/organization`);
    await a.click('a:has-text("Manage members and invitations")');
    assert.equal(new URL(a.url()).pathname, '/organization/members');
    const email = `invitee${Date.now()}@example.test`;
    await a.fill('#invite-email', email);
    await a.selectOption('#invite-role', 'member');
    await shot(a, '01-invite-form');
    await a.click('button:has-text("Send the invitation")');
    await a.waitForSelector(`[data-invitation="${email}"]`);
    assert.match(await a.textContent('.alert-success'), /The invitation has been sent/);
    await shot(a, '02-pending');

    // The invitee opens the link of the real mail and signs up from the page.
    const mail = await smtp.waitFor(email, (m) => /invitations\//.test(m.text));
    assert.match(mail.subject, /invites you to Rossi Hosting/);
    const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.text)[0];
    const memberCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const m = await newPage(memberCtx);
    await m.goto(link);
    assert.match(await m.textContent('[data-testid="invitation-summary"]'), /Rossi Hosting/);
    assert.equal(await m.inputValue('#email'), email);
    await shot(m, '03-invitation');
    await m.fill('#name', 'Marco Member');
    await m.selectOption('#country', 'IT');
    await m.selectOption('#language', 'en');
    await m.fill('#password', 'a member password');
    await m.fill('#password_confirm', 'a member password');
    await m.click('button:has-text("Create account and join")');
    await m.waitForURL(`${base}/`);
    assert.match(await m.textContent('.alert-success'), /you are now a member of the organization/);
    assert.match(await m.textContent('main'), /Rossi Hosting/, 'landed in the organization');
    assert.equal(await m.locator('[data-testid="balance"]').count(), 0, 'no billing right: no balance');
    assert.equal(await m.locator('nav.mainnav a[href="/billing"]').count(), 0, 'nor Billing in the navigation');
    await shot(m, '04-member-without-billing');

    // The administrator grants the billing right: the member sees the balance.
    await a.goto(`${base}/organization/members`);
    const row = a.locator(`tr[data-member="${email}"]`);
    await row.locator('input[name=billing]').check();
    await row.locator('button:has-text("Save")').click();
    await a.waitForSelector('.alert-success');
    await shot(a, '05-billing-granted');
    await m.reload();
    assert.match(await m.textContent('[data-testid="balance"]'), /€42\.00/);

    // ... and removes it: the balance and the billing pages are gone again.
    await a.locator(`tr[data-member="${email}"] input[name=billing]`).uncheck();
    await a.locator(`tr[data-member="${email}"] button:has-text("Save")`).click();
    await a.waitForSelector('.alert-success');
    await m.reload();
    assert.equal(await m.locator('[data-testid="balance"]').count(), 0);
    const billing = await m.goto(`${base}/billing`);
    assert.equal(billing.status(), 404);
    await shot(m, '06-billing-removed');

    // The administrator's audit log tells the story.
    await a.goto(`${base}/organization/audit`);
    const audit = await a.textContent('[data-testid="audit"]');
    for (const event of ['Invitation sent', 'Invitation accepted', 'Rights changed', 'Credit adjustment by staff']) {
      assert.ok(audit.includes(event), event);
    }
    await shot(a, '07-audit');
    assert.deepEqual(a.problems, []);
    assert.deepEqual(m.problems, []);
    await adminCtx.close();
    await memberCtx.close();
  });
