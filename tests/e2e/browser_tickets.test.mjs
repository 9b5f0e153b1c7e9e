// browser_tickets.test.mjs - in a real browser (chromium): a customer opens a
// ticket with a file from /support (one refused first, the message next to
// its field), a staff member answers it in the back office's queue, and the
// customer sees the answer and downloads the file. Screenshots of each page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, tempDir } from './lib/harness.mjs';
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

test('a customer opens a ticket with a file, staff answer in the back office, the customer reads it', async () => {
  const dir = tempDir('saldo-tickets-');
  const log = path.join(dir, 'mail.log');
  fs.writeFileSync(log, 'Nov 22 09:14 smtp: connection timed out\n');
  const fake = path.join(dir, 'page.png');
  fs.writeFileSync(fake, '<html><body>not a picture</body></html>');

  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/support`);
  await shot(page, 'tickets-01-support');
  await page.selectOption('#department', 'technical');
  await page.selectOption('#priority', 'high');
  await page.fill('#subject', 'Mail server down');
  await page.fill('#description', 'No mail since this morning.\nThe log is attached.');
  await page.fill('#server_ip', '192.0.2.25');
  await page.fill('#problem_started_at', '2026-11-22T09:14');
  await page.setInputFiles('#files', [fake]);
  await page.click('form[action="/support/tickets"] button[type=submit]');
  assert.match(await page.textContent('#files-error'), /PNG, JPEG, GIF, PDF, ZIP or plain text/);
  assert.equal(await page.inputValue('#subject'), 'Mail server down', 'the form keeps what was typed');
  await shot(page, 'tickets-02-error');
  await page.setInputFiles('#files', [log]);
  await page.click('form[action="/support/tickets"] button[type=submit]');
  await page.waitForURL(/\/support\/tickets\/\d+$/);
  const ticketUrl = page.url();
  const id = ticketUrl.split('/').pop();
  assert.match(await page.textContent('.alert-success'), /opened/);
  assert.match(await page.textContent('.page-head'), /2026-11-22 09:14 CET/);
  await shot(page, 'tickets-03-opened');

  const email = `browserstaff${Date.now()}@saldo.test`;
  const add = saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' });
  assert.equal(add.status, 0, add.stderr);
  const bo = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await bo.addCookies([{ name: 'lang', value: 'en', url: saldo.url }]);
  const staff = await bo.newPage();
  await staff.goto(`${saldo.url}/staff/login`);
  await staff.fill('#email', email);
  await staff.fill('#password', 'staff password 1');
  await staff.click('form[action="/staff/login"] button[type=submit]');
  await staff.waitForURL(`${saldo.url}/staff`);
  await staff.click('a[href="/staff/tickets"]');
  const row = staff.locator(`[data-testid="queue-${id}"]`);
  assert.match(await row.textContent(), /min left/);
  await shot(staff, 'tickets-04-queue');
  await row.locator(`a[href="/staff/tickets/${id}"]`).click();
  await staff.waitForURL(`${saldo.url}/staff/tickets/${id}`);
  assert.match(await staff.textContent('[data-testid="thread"]'), /mail\.log/);
  await staff.fill('#body', 'We restarted the mail server. Please check now.');
  await staff.selectOption('#next-status', 'waiting');
  await staff.click('form[data-testid="answer"] button[type=submit]');
  await staff.waitForURL(`${saldo.url}/staff/tickets/${id}`);
  assert.match(await staff.textContent('.alert-success'), /sent to the customer/);
  await shot(staff, 'tickets-05-answered');

  await page.goto(ticketUrl);
  assert.match(await page.textContent('[data-testid="thread"]'), /We restarted the mail server/);
  assert.match(await page.textContent('[data-testid="ticket-status"]'), /Waiting for you/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid^="attachment-"]')]);
  assert.equal(download.suggestedFilename(), 'mail.log');
  await shot(page, 'tickets-06-customer-sees-answer');
  await bo.close();
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
