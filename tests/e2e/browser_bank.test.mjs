// browser_bank.test.mjs - bank transfers in a real browser: a customer opens
// "Top up by bank transfer" from the wallet, types an amount, and the EPC QR
// code on the page, read back by zbarimg from a screenshot, carries exactly
// the API's payload; a staff member uploads a statement through the file
// input, reads the summary and credits a queued entry; the customer then
// sees the credit as a bank transfer in the transactions. Screenshots under
// OUT_DIR/screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, tempDir } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { sloppy, statement } from './lib/camt053.mjs';

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

const shot = shotter('bank-');
const dir = tempDir('saldo-bank-browser-');

/** The QR codes zbarimg reads in the PNG of element sel. */
async function decodeQr(page, sel) {
  const png = path.join(dir, 'qr.png');
  await page.locator(sel).screenshot({ path: png });
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]);
  return out.toString('utf8').replace(/\n$/, '');
}

test('the bank transfer page shows the details and an EPC QR code banking apps read', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  // The 422 the test asks for is logged as "Failed to load resource": not a problem.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/billing`);
  await page.click('[data-testid=bank-transfer-link]');
  await page.waitForURL(`${saldo.url}/billing/bank-transfer`);
  const api = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`, { token: u.token })).body;
  assert.equal(await page.textContent('[data-testid=iban]'), 'IT60 X054 2811 1010 0000 0123 456');
  assert.equal(await page.textContent('[data-testid=bic]'), api.bic);
  assert.equal((await page.textContent('[data-testid=reference]')).replace(/ /g, ''), api.reference);
  assert.equal(await decodeQr(page, '[data-testid=epc-qr]'), api.epc_qr_payload);
  await shot(page, '01-instructions');

  await page.fill('#amount', 'twelve');
  await page.click('[data-testid=bank-update]');
  await page.waitForSelector('#amount-error');
  assert.equal(await page.getAttribute('#amount', 'aria-invalid'), 'true');
  await shot(page, '02-amount-error');
  await page.fill('#amount', '12.34');
  await page.click('[data-testid=bank-update]');
  await page.waitForURL(/amount=12\.34/);
  const withAmount = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer?amount=12.34`, { token: u.token })).body;
  const decoded = await decodeQr(page, '[data-testid=epc-qr]');
  assert.equal(decoded, withAmount.epc_qr_payload);
  assert.equal(decoded.split('\n')[7], 'EUR12.34');
  await shot(page, '03-instructions-amount');

  await page.selectOption('#currency', 'USD');
  await page.fill('#amount', '');
  await page.click('[data-testid=bank-update]');
  await page.waitForURL(/currency=USD/);
  assert.equal(await page.locator('[data-testid=epc-qr]').count(), 0, 'no EPC QR for SWIFT');
  assert.match(await page.textContent('h2#bank-title'), /SWIFT/);
  await shot(page, '04-swift');
  assert.deepEqual(problems, []);
  await context.close();
});

test('staff upload a statement, read the summary, credit a queued entry; the customer sees it', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const ref = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`, { token: u.token })).body.reference;
  const email = `bankops${Date.now()}@saldo.test`;
  const password = 'an operator password';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const file = path.join(dir, 'statement.xml');
  fs.writeFileSync(file, statement({ id: `BROWSER-${Date.now()}`, entries: [
    { ref: 'B-1', amount: '25.00', text: `Top-up ${sloppy(ref)}`, debtor: 'Giulia Bianchi' },
    { ref: 'B-2', amount: '10.00', text: 'forgot the reference', debtor: 'Giulia Bianchi' },
  ] }));

  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/staff`);
  await page.click('a[href="/staff/bank"]');
  await page.waitForURL(`${saldo.url}/staff/bank`);
  await shot(page, '10-staff-empty');
  await page.setInputFiles('#statement', file);
  await page.click('[data-testid=statement-import]');
  await page.waitForSelector('[data-testid=import-summary]');
  assert.equal(await page.textContent('[data-testid=sum-credited]'), '1');
  assert.equal(await page.textContent('[data-testid=sum-unmatched]'), '1');
  await shot(page, '11-staff-summary-queue');

  const id = saldo.sql("SELECT id FROM bank_entries WHERE entry_ref = 'B-2'");
  await page.fill(`#org-${id}`, String(u.org.id));
  await page.click(`[data-testid=assign-${id}]`);
  await page.waitForSelector('.alert, [role=status]');
  assert.equal(await page.locator(`[data-testid=queue-row-${id}]`).count(), 0);
  await shot(page, '12-staff-assigned');
  await context.close();

  const customer = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const cp = await customer.newPage();
  await cp.goto(`${saldo.url}/login`);
  await cp.fill('#email', u.email);
  await cp.fill('#password', u.password);
  await cp.click('form[action="/login"] button[type=submit]');
  await cp.waitForURL(`${saldo.url}/`);
  await cp.goto(`${saldo.url}/billing/transactions`);
  const text = await cp.textContent('main');
  assert.equal((text.match(/Bank transfer/g) || []).length >= 3, true, 'two lines and the tab');
  await shot(cp, '13-customer-transactions');
  await customer.close();
});
