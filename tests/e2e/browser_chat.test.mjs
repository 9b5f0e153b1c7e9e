// browser_chat.test.mjs - live chat in a real browser (chromium): a customer
// and an operator in two browser contexts. The customer opens the chat panel
// from the button at the bottom right, the operator claims the chat in the
// back office's console (whose list shows the new chat without a reload),
// messages appear on both sides live (server-sent
// events, no reload), the operator turns the chat into a ticket and the
// customer sees the ticket in /support. Then a visitor without JavaScript
// uses /chat with plain forms on the public pages. Screenshots of each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
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

const shot = shotter('chat-');

test('a customer and an operator chat live; the operator turns the chat into a ticket', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const customer = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  customer.on('pageerror', (e) => errors.push(e.message));
  await customer.goto(`${saldo.url}/login`);
  await customer.fill('#email', u.email);
  await customer.fill('#password', u.password);
  await customer.click('form[action="/login"] button[type=submit]');
  await customer.waitForURL(`${saldo.url}/`);

  const email = `chatop${Date.now()}@saldo.test`;
  await staffLogin(saldo, email);
  const operator = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  operator.on('pageerror', (e) => errors.push(e.message));
  await operator.goto(`${saldo.url}/staff/login`);
  await operator.fill('#email', email);
  await operator.fill('#password', 'staff password 1');
  await operator.click('form[action="/staff/login"] button[type=submit]');
  await operator.waitForURL(`${saldo.url}/staff`);
  await operator.click('a[href="/staff/chats"]');
  await operator.waitForURL(`${saldo.url}/staff/chats`);
  assert.match(await operator.textContent('[data-testid="chat-list"]'), /No chats yet/);

  await customer.click('[data-testid="chat-button"]');
  await customer.waitForSelector('[data-testid="chat-panel-start"]');
  await customer.fill('#chat-panel-message', 'Hello, my site is slow');
  await shot(customer, '01-customer-start');
  await customer.click('[data-testid="chat-panel-start"] button[type=submit]');
  await customer.waitForSelector('[data-testid="chat-panel-write"]');
  assert.match(await customer.textContent('[data-testid="chat-panel-messages"]'), /Hello, my site is slow/);

  const id = saldo.sql(`SELECT MAX(id) FROM chats WHERE user_id = ${u.user.id}`);
  // The console's list shows the new chat without a reload.
  await operator.waitForSelector(`[data-testid="chat-row-${id}"]`, { timeout: 15000 });
  await operator.click(`[data-testid="chat-row-${id}"] a`);
  await operator.waitForURL(`${saldo.url}/staff/chats/${id}`);
  await operator.click('[data-testid="chat-claim"]');
  await operator.waitForSelector('[data-testid="chat-reply"]');
  assert.match(await operator.textContent('[data-testid="chat-status"]'), /Active/);
  await customer.waitForFunction(() => /An operator joined the chat/.test(
    document.querySelector('[data-testid="chat-panel-messages"]').textContent));

  // Operator → customer, live.
  await operator.fill('#chat-body', 'Which site?');
  await operator.click('[data-testid="chat-reply"] button[type=submit]');
  await customer.waitForFunction(() => /Which site\?/.test(
    document.querySelector('[data-testid="chat-panel-messages"]').textContent));
  await operator.waitForFunction(() => document.querySelector('#chat-body').value === '');
  // Customer → operator, live.
  await customer.fill('#chat-panel-body', 'shop.example.test');
  await customer.press('#chat-panel-body', 'Enter');
  await operator.waitForFunction(() => /shop\.example\.test/.test(
    document.querySelector('[data-testid="chat-messages"]').textContent));
  await shot(customer, '02-customer-live');
  await shot(operator, '03-operator-console');
  assert.equal(await customer.locator('[data-testid="chat-panel-message"]').count(), 4, 'each message once');

  await operator.selectOption('#ticket-department', 'technical');
  await operator.selectOption('#ticket-priority', 'high');
  await operator.fill('#ticket-subject', 'Slow shop');
  await operator.click('[data-testid="chat-to-ticket"] button[type=submit]');
  await operator.waitForSelector('[data-testid="chat-ticket"]');
  const ticketId = (await operator.textContent('[data-testid="chat-ticket"]')).replace(/\D/g, '');
  assert.match(await operator.textContent('[data-testid="chat-status"]'), /Closed/);
  await shot(operator, '04-operator-ticket');
  await customer.waitForSelector('[data-testid="chat-panel-closed"]');
  assert.match(await customer.textContent('[data-testid="chat-panel-messages"]'),
    new RegExp(`This chat continues as ticket #${ticketId}\\.`));
  await shot(customer, '05-customer-closed');

  await customer.goto(`${saldo.url}/support`);
  assert.match(await customer.textContent('main'), /Slow shop/);
  await customer.click('text=Slow shop');
  await customer.waitForURL(`${saldo.url}/support/tickets/${ticketId}`);
  assert.match(await customer.textContent('[data-testid="thread"]'), /Hello, my site is slow[\s\S]*Which site\?[\s\S]*shop\.example\.test/);
  await shot(customer, '06-customer-ticket');
  assert.deepEqual(errors, []);
});

test('a visitor without JavaScript chats through /chat with plain forms', async () => {
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/catalog`);
  await page.click('[data-testid="chat-button"]');
  await page.waitForURL(`${saldo.url}/chat`);
  await page.fill('#chat-email', 'nojs@example.test');
  await page.fill('#chat-message', 'Do you sell domains?');
  await page.click('[data-testid="chat-start"] button[type=submit]');
  assert.ok(await page.isVisible('#chat-name-error'), 'the name is required');
  assert.equal(await page.inputValue('#chat-message'), 'Do you sell domains?', 'the form keeps what was typed');
  await page.fill('#chat-name', 'Nora');
  await page.click('[data-testid="chat-start"] button[type=submit]');
  await page.waitForSelector('[data-testid="chat-messages"]');
  const cookie = (await context.cookies()).find((c) => c.name === 'saldo_chat');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Lax');
  const id = saldo.sql("SELECT MAX(id) FROM chats WHERE visitor_email = 'nojs@example.test'");
  const staff = await staffLogin(saldo);
  await saldo.api('POST', `/api/v1/staff/chats/${id}/messages`, { token: staff.token, body: { body: 'Yes, we do.' } });
  await page.click('[data-testid="chat-reload"]');
  assert.match(await page.textContent('[data-testid="chat-messages"]'), /Do you sell domains\?[\s\S]*Yes, we do\./);
  await page.fill('#chat-body', 'Great, thanks');
  await page.click('[data-testid="chat-write"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/chat`);
  assert.match(await page.textContent('[data-testid="chat-messages"]'), /Great, thanks/);
  await shot(page, '07-visitor-nojs');
  await page.click('[data-testid="chat-end"]');
  await page.waitForSelector('[data-testid="chat-start"]');
  assert.equal(saldo.sql(`SELECT status FROM chats WHERE id = ${id}`), 'closed');
  await context.close();
});
