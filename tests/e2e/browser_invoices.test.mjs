// browser_invoices.test.mjs - in a real browser: a bank transfer credited
// gives a receipt listed on Billing > Invoices with its "Get invoice" link;
// the filters narrow the list (and a bad date is refused next to its field);
// the receipt's page shows the buyer as it was at issue, the line at 0% and
// the totals. Another organization's document is the 404 page. In the back
// office: search any document, and credit an invoice through the credit note
// form. Screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { providerDay, signUp, startSaldo, tempDir } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { statement } from './lib/camt053.mjs';
import { pastInvoice } from './lib/invoice_fixture.mjs';
import { WebClient } from './lib/web.mjs';

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
const dir = tempDir('saldo-binv-');

async function payByTransfer(u, amount) {
  const ref = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`, { token: u.token })).body.reference;
  const file = path.join(dir, `s${u.org.id}.xml`);
  fs.writeFileSync(file, statement({ id: `STMT-${u.org.id}`, entries: [{ ref: `E-${u.org.id}`, amount, structured: ref }] }));
  assert.equal(saldo.run(['import-statement', file]).status, 0);
}

test('invoices page: the receipt of a transfer, filters, its page, another organization 404', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const a = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, {
    token: u.token,
    body: { recipient: 'Ada Rossi', street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI', country: 'IT' },
  });
  assert.equal(a.status, 201, a.text);
  await payByTransfer(u, '42.50');
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.goto(`${saldo.url}/billing`);
  await page.click('[data-testid=invoices-link]');
  await page.waitForURL(`${saldo.url}/billing/invoices`);
  const rows = page.locator('[data-testid=invoice-row]');
  assert.equal(await rows.count(), 1);
  const row = await rows.first().textContent();
  assert.match(row, /RC-\d{4}\/\d{6}/);
  assert.match(row, /Receipt/);
  assert.match(row, /€42\.50/);
  assert.match(row, /Paid/);
  const pdf = await page.getAttribute('[data-testid=get-invoice]', 'href');
  assert.match(pdf, /^\/billing\/invoices\/\d+\.pdf$/);
  await shot(page, 'invoices-01-list');

  await page.selectOption('#kind', 'invoice');
  await page.click('form[data-testid=invoice-filters] button[type=submit]');
  await page.waitForURL(/kind=invoice/);
  assert.equal(await rows.count(), 0);
  assert.match(await page.textContent('main'), /No documents match these filters/);
  await page.goto(`${saldo.url}/billing/invoices?from=2026-02-30`);
  assert.match(await page.textContent('#from-error'), /YYYY-MM-DD/);
  await shot(page, 'invoices-02-bad-filter');
  await page.goto(`${saldo.url}/billing/invoices?status=paid&q=RC-`);
  assert.equal(await rows.count(), 1);

  await rows.first().locator('a').first().click();
  await page.waitForURL(/\/billing\/invoices\/\d+$/);
  assert.match(await page.textContent('h1'), /Receipt RC-/);
  assert.match(await page.textContent('[data-testid=buyer]'), /Milano/);
  assert.match(await page.textContent('[data-testid=invoice-lines]'), /Payment on account.*0%/s);
  assert.match(await page.textContent('[data-testid=invoice-gross]'), /€42\.50/);
  await shot(page, 'invoices-03-receipt');
  const id = /\/billing\/invoices\/(\d+)$/.exec(page.url())[1];

  const other = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(other.email, other.password)).status, 303);
  assert.equal((await web.get(`/billing/invoices/${id}`)).status, 404);
  assert.equal((await web.get('/billing/invoices')).status, 200);
  await context.close();
});

test('back office: search any document by number or buyer, open it; bad filters named; the reports; customers get nothing', async () => {
  const u = await signUp(saldo, { language: 'en' });
  await payByTransfer(u, '9.90');
  const number = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices`, { token: u.token })).body.documents[0].number;
  const email = `backoffice${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password: 'staff password 1' })).status, 303);
  const found = await web.get(`/staff/documents?q=${encodeURIComponent(number)}`);
  assert.equal(found.status, 200);
  assert.equal((found.text.match(/data-testid="document-row"/g) || []).length, 1);
  assert.ok(found.text.includes(`href="/staff/orgs/${u.org.id}"`));
  const link = /href="(\/staff\/documents\/\d+)">/.exec(found.text)[1];
  const one = await web.get(link);
  assert.equal(one.status, 200);
  assert.match(one.text, new RegExp(`Receipt ${number.replace('/', '\\/')}`));
  assert.match(one.text, /Payment on account/);
  // The seller's address in parts, as the e-invoice needs it (provider.street, postal_code, city, province).
  assert.match(one.text, /data-testid="seller">Saldo Hosting S\.r\.l\.<br>Via Roma 1<br>00184 Roma RM<br>IT<br>/);
  assert.equal((await web.get('/staff/documents/999999999')).status, 404);
  const bad = await web.get('/staff/documents?to=31-12-2026');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="to-error"/);
  const reports = await web.get('/staff/reports');
  assert.equal(reports.status, 200);
  assert.match(reports.text, /action="\/staff\/reports\/oss.csv"/);
  const csv = await web.get(`/staff/reports/revenue.csv?year=${providerDay().slice(0, 4)}`);
  assert.equal(csv.status, 200);
  assert.match(csv.text, /^month,currency,net,vat,gross\r\n/);
  const customer = new WebClient(saldo.url);
  assert.equal((await customer.login(u.email, u.password)).status, 303);
  assert.notEqual((await customer.get('/staff/documents')).status, 200);
  assert.notEqual((await customer.get('/staff/reports/oss.csv?quarter=2026-Q1')).status, 200);
});

test('back office: the credit note form credits the lines ticked, refuses no line or no reason next to the field', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const inv = pastInvoice(saldo, u.org.id, 800000 + Number(u.org.id));
  const email = `credit${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'lang', value: 'en', url: saldo.url }]);
  const page = await context.newPage();
  await page.goto(`${saldo.url}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', 'staff password 1');
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/staff`);
  await page.goto(`${saldo.url}/staff/documents/${inv.id}`);
  await page.fill('#reason', 'Backup not delivered');
  await page.click('[data-testid=credit-form] button[type=submit]');
  assert.match(await page.textContent('#lines-error'), /Choose the lines/);
  await shot(page, 'invoices-04-credit-error');
  // A line the page never offers (a form made by hand) is refused, not read as line 0.
  await page.$eval('input[name=line][value="0"]', (box) => { box.value = 'zero'; box.checked = true; });
  await page.click('[data-testid=credit-form] button[type=submit]');
  assert.match(await page.textContent('#lines-error'), /not on this invoice/);
  assert.equal(await page.isChecked('input[name=line][value="0"]'), false);
  await page.check('input[name=line][value="1"]');
  await page.click('[data-testid=credit-form] button[type=submit]');
  await page.waitForURL(/\/staff\/documents\/\d+$/);
  assert.match(await page.textContent('h1'), /Credit note NC-/);
  assert.match(await page.textContent('main'), new RegExp(`Credits invoice ${inv.number.replace('/', '\\/')}`));
  assert.match(await page.textContent('main'), /The credit note has been issued/);
  await shot(page, 'invoices-05-credit-note');
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(w.body.wallets.find((x) => x.currency === 'EUR').balance.minor, 610);
  await page.goto(`${saldo.url}/staff/documents/${inv.id}`);
  assert.equal(await page.isDisabled('input[name=line][value="1"]'), true);
  await page.check('input[name=line][value="0"]');
  await page.fill('#reason', 'x');
  await page.click('[data-testid=credit-form] button[type=submit]');
  assert.match(await page.textContent('#reason-error'), /./);
  assert.equal(await page.isChecked('input[name=line][value="0"]'), true, 'the form keeps what was ticked');
  await page.fill('#reason', 'Cancelled by agreement');
  await page.click('[data-testid=credit-form] button[type=submit]');
  await page.waitForURL(/\/staff\/documents\/\d+$/);
  await page.goto(`${saldo.url}/staff/documents/${inv.id}`);
  assert.equal(await page.locator('[data-testid=credit-form]').count(), 0, 'nothing left to credit');
  assert.match(await page.textContent('h1'), /Invoice 2020\//);
  assert.match(await page.textContent('.page-head'), /Cancelled/);
  await context.close();
});
