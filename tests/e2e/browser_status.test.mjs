// browser_status.test.mjs - in a real browser: staff post an incident in the
// back office (a missing title is refused next to its field first), the
// customer sees the unread badge and the notification, marks it read, and the
// public /status page (no session) shows it; the staff organization page
// sends an abuse report. Screenshots of each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';

let saldo;
let smtp;
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

const shot = shotter('');

test('staff post an incident; the customer sees the badge and the notification; /status shows it', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const email = `ops${Date.now()}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const staffCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  const staff = await staffCtx.newPage();
  await staff.goto(`${saldo.url}/staff/login`);
  await staff.fill('#email', email);
  await staff.fill('#password', password);
  await staff.click('form[action="/staff/login"] button[type=submit]');
  await staff.waitForURL(`${saldo.url}/staff`);

  await staff.click('a[href="/staff/announcements"]');
  await staff.selectOption('#kind', 'incident');
  await staff.fill('#title_it', 'Rete lenta');
  await staff.fill('#body_en', 'We are looking into slow network traffic.');
  await staff.fill('#body_it', 'Stiamo verificando il traffico di rete lento.');
  await staff.click('[data-testid=announcement-post]');
  assert.match(await staff.textContent('#title_en-error'), /title/);
  assert.equal(await staff.inputValue('#title_it'), 'Rete lenta', 'the form keeps what was typed');
  await shot(staff, 'status-01-staff-error');
  await staff.fill('#title_en', 'Slow network');
  await staff.click('[data-testid=announcement-post]');
  await staff.waitForURL(`${saldo.url}/staff/announcements`);
  assert.match(await staff.textContent('.alert-success'), /posted/);
  assert.match(await staff.textContent('[data-testid=announcements]'), /Slow network/);
  await shot(staff, 'status-02-staff-list');
  await smtp.waitFor(u.email, (m) => m.subject === 'Incident: Slow network');

  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);
  assert.equal((await page.textContent('[data-testid=notifications-count]')).trim(), '1');
  await page.click('[data-testid=notifications-link]');
  await page.waitForURL(`${saldo.url}/notifications`);
  const note = page.locator('[data-testid=notification]').first();
  assert.match(await note.textContent(), /Incident\s+Slow network/);
  assert.match(await note.textContent(), /slow network traffic/);
  await shot(page, 'status-03-notifications');
  await page.click('[data-testid=notifications-read]');
  await page.waitForURL(`${saldo.url}/notifications`);
  assert.equal(await page.locator('[data-testid=notifications-count]').count(), 0, 'no badge once read');

  const anon = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await anon.goto(`${saldo.url}/login`);
  await anon.click('a[href="/status"]');
  await anon.waitForURL(`${saldo.url}/status`);
  assert.match(await anon.textContent('[data-testid=status-incidents]'), /Slow network/);
  assert.equal(await anon.locator('[data-testid=status-operational]').count(), 0);
  await shot(anon, 'status-04-public');

  // The resolution: the page is operational again and lists it as resolved.
  await staff.selectOption('#kind', 'resolved');
  await staff.fill('#title_en', 'Network back to normal');
  await staff.fill('#title_it', 'Rete tornata normale');
  await staff.fill('#body_en', 'Fixed.');
  await staff.fill('#body_it', 'Risolto.');
  await staff.click('[data-testid=announcement-post]');
  await staff.waitForURL(`${saldo.url}/staff/announcements`);
  await anon.reload();
  assert.match(await anon.textContent('[data-testid=status-operational]'), /All systems operational/);
  assert.match(await anon.textContent('[data-testid=status-resolved]'), /Network back to normal/);

  // An abuse report from the staff organization page.
  await staff.goto(`${saldo.url}/staff/orgs/${u.org.id}`);
  await staff.fill('#abuse-subject', 'Spam from your server');
  await staff.fill('#abuse-body', 'Please stop the spam.');
  await staff.click('[data-testid=abuse-send]');
  await staff.waitForURL(`${saldo.url}/staff/orgs/${u.org.id}#abuse`);
  assert.match(await staff.textContent('[data-testid=abuse-reports]'), /Spam from your server/);
  await shot(staff, 'status-05-abuse');
  await smtp.waitFor(u.email, (m) => m.subject.includes('Spam from your server'));
});
