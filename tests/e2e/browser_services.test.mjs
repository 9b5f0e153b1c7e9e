// browser_services.test.mjs - in a real browser: the customer's services list,
// a service's page where automatic renewal is switched on (one refusal first,
// its message next to the field) with the confirmation shown and mailed, and
// the staff service page where a pending service is activated with notes.
// Screenshots of each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { addCategory, addProduct, addService } from './lib/catalog_fixture.mjs';
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

const shot = shotter('services-');

test('services list, renewal settings, and the staff service page', async () => {
  const u = await signUp(saldo, { language: 'en' });
  const cat = addCategory(saldo);
  const id = addService(saldo, u.org.id, addProduct(saldo, cat, { name: 'Cloud Server S' }),
    { status: 'active', label: 'app.example.com' });
  const pending = addService(saldo, u.org.id, addProduct(saldo, cat, { name: 'Backup 100 GB', autoRenew: 0 }));
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${saldo.url}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${saldo.url}/`);

  await page.click('a[href="/services"]');
  await page.waitForSelector('[data-testid="services"]');
  assert.match(await page.textContent(`[data-testid="service-${id}"]`), /Cloud Server S.*app\.example\.com.*Active/s);
  assert.match(await page.textContent(`[data-testid="service-${pending}"]`), /Pending activation/);
  await shot(page, '01-list');

  await page.click(`a[href="/services/${pending}"]`);
  assert.ok(await page.isDisabled('#auto_renew'), 'not offered for a product without automatic renewal');
  await shot(page, '02-not-eligible');

  await page.goto(`${saldo.url}/services/${id}`);
  await page.selectOption('#period', '24');
  await page.check('#auto_renew');
  await page.click(`form[action="/services/${id}/settings"] button[type=submit]`);
  await page.waitForSelector('text=We sent a confirmation to the billing notification address');
  assert.ok(await page.isChecked('#auto_renew'));
  assert.equal(await page.inputValue('#period'), '24');
  await shot(page, '03-saved');
  await smtp.waitFor(u.email, (m) => /switched on for Cloud Server S/.test(m.subject));

  const email = `ops${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const staff = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const bo = await staff.newPage();
  await bo.goto(`${saldo.url}/staff/login`);
  await bo.fill('#email', email);
  await bo.fill('#password', 'staff password 1');
  await bo.click('form[action="/staff/login"] button[type=submit]');
  await bo.waitForURL(`${saldo.url}/staff`);
  await bo.goto(`${saldo.url}/staff/orgs/${u.org.id}`);
  await bo.waitForSelector('[data-testid="org-services"]');
  await shot(bo, '04-staff-org');
  await bo.click(`a[href="/staff/services/${pending}"]`);
  assert.match(await bo.textContent('[data-testid="status"]'), /Pending activation/);
  await bo.fill('#notes-activate', 'Backup space allocated on node 3');
  await bo.click('[data-testid="action-activate"] button[type=submit]');
  await bo.waitForSelector('text=The service\'s status has been changed');
  assert.match(await bo.textContent('[data-testid="status"]'), /Active/);
  assert.match(await bo.textContent('[data-testid="service-facts"]'), /Backup space allocated on node 3/);
  await shot(bo, '05-staff-activated');
  await smtp.waitFor(u.email, (m) => /Backup 100 GB is active/.test(m.subject));
  await staff.close();
  await context.close();
});
