// browser_orgs.test.mjs - organizations in a real browser (Debian's chromium
// through playwright-core): sign in, create a second organization from the
// header's menu, switch between the two in the header, fill the profile (a
// field error first), upload a fake logo (refused) then real PNG and JPEG
// logos, and see the logo decoded in the header in place of the name. Every
// step is saved as a screenshot under OUT_DIR/screenshots.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { launchBrowser, shotter } from './lib/browser.mjs';
import { fakes, makeJpeg, makePng } from './lib/images.mjs';

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

const shot = shotter('orgs-');

/** The switcher's current organization: its name, or its logo's alt text. */
async function headerOrg(page) {
  const logo = page.locator('[data-testid=org-logo]');
  if (await logo.count()) return { logo: true, name: await logo.getAttribute('alt') };
  return { name: (await page.textContent('[data-testid=org-name]')).trim() };
}

async function switchTo(page, name) {
  await page.click('[data-testid=orgswitch] summary');
  await Promise.all([page.waitForNavigation(), page.click(`.orgswitch-menu button:has-text("${name}")`)]);
}

test('create a second organization, switch in the header, upload a logo and see it there', async () => {
  const u = await signUp(saldo, { name: 'Anna Browser' });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const base = saldo.url;

  await page.goto(`${base}/login`);
  await page.fill('#email', u.email);
  await page.fill('#password', u.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${base}/`);
  assert.deepEqual(await headerOrg(page), { name: 'Anna Browser' });

  // The header's menu: a new organization.
  await page.click('[data-testid=orgswitch] summary');
  await shot(page, '01-switcher-open');
  await page.click('.orgswitch-menu a:has-text("New organization")');
  await page.waitForURL(`${base}/orgs/new`);
  await page.check('input[name=kind][value=company]');
  await page.click('button:has-text("Create the organization")');
  await page.waitForSelector('#name-error');
  await shot(page, '02-new-error');
  await page.fill('#name', 'Browser Hosting Srl');
  await page.click('button:has-text("Create the organization")');
  await page.waitForURL(/\/orgs\/\d+$/);
  const orgId = Number(/(\d+)$/.exec(page.url())[1]);
  assert.match(await page.textContent('.alert-success'), /The organization has been created/);
  assert.deepEqual(await headerOrg(page), { name: 'Browser Hosting Srl' });
  await shot(page, '03-created');

  // Switch back and forth: the change is immediate, on the page we were on.
  await page.goto(`${base}/billing`);
  await switchTo(page, 'Anna Browser');
  assert.equal(new URL(page.url()).pathname, '/billing');
  assert.deepEqual(await headerOrg(page), { name: 'Anna Browser' });
  await shot(page, '04-switched-back');
  await switchTo(page, 'Browser Hosting Srl');
  assert.deepEqual(await headerOrg(page), { name: 'Browser Hosting Srl' });

  // The profile: a wrong fiscal code is shown next to its field; then saved.
  await page.goto(`${base}/orgs/${orgId}`);
  await page.fill('#vat_id', 'IT 123 456 789 03');
  await page.fill('#fiscal_code', '12345678901');
  await page.click('#profile button[type=submit]');
  await page.waitForSelector('#fiscal_code-error');
  assert.equal(await page.getAttribute('#fiscal_code', 'aria-invalid'), 'true');
  await shot(page, '05-profile-error');
  await page.fill('#fiscal_code', '12345678903');
  await page.fill('#sdi_code', 'm5uxcr1');
  await page.click('#profile button[type=submit]');
  await page.waitForSelector('.alert-success');
  assert.equal(await page.inputValue('#vat_id'), 'IT12345678903');
  assert.equal(await page.inputValue('#sdi_code'), 'M5UXCR1');

  // A fake logo (text named .png) is refused; a real PNG goes to the header.
  await page.setInputFiles('#logo-file', { name: 'logo.png', mimeType: 'image/png', buffer: fakes.text });
  await page.click('button:has-text("Upload the logo")');
  await page.waitForSelector('#logo-error');
  assert.match(await page.textContent('#logo-error'), /PNG or JPEG/);
  await shot(page, '06-logo-refused');
  await page.setInputFiles('#logo-file', { name: 'logo.png', mimeType: 'image/png', buffer: makePng(160, 40, [29, 78, 216]) });
  await page.click('button:has-text("Upload the logo")');
  await page.waitForSelector('.alert-success');
  const header = await headerOrg(page);
  assert.deepEqual(header, { logo: true, name: 'Browser Hosting Srl' }, 'the logo replaces the name');
  assert.equal(await page.locator('[data-testid=org-logo]').evaluate((img) => img.naturalWidth), 160, 'decoded');
  await shot(page, '07-logo-in-header');

  // A JPEG made by the tests decodes in the browser as well.
  await page.setInputFiles('#logo-file', { name: 'logo.jpg', mimeType: 'image/jpeg', buffer: makeJpeg() });
  await page.click('button:has-text("Upload the logo")');
  await page.waitForSelector('.alert-success');
  await page.reload();
  assert.equal(await page.locator('[data-testid=org-logo]').evaluate((img) => img.complete && img.naturalWidth), 8);

  // The other organization still shows its name.
  await switchTo(page, 'Anna Browser');
  assert.deepEqual(await headerOrg(page), { name: 'Anna Browser' });
  await shot(page, '08-other-org-name');

  // The delete section of an organization with nothing blocking it.
  await page.goto(`${base}/orgs/${orgId}`);
  await page.click('#delete button:has-text("Delete organization")');
  await page.waitForSelector('#confirm-error');
  await page.check('input[name=confirm]');
  await shot(page, '09-delete-confirm');
  await page.click('#delete button:has-text("Delete organization")');
  await page.waitForURL(`${base}/`);
  assert.match(await page.textContent('.alert-success'), /The organization has been deleted/);
  await page.click('[data-testid=orgswitch] summary');
  assert.equal(await page.locator('.orgswitch-menu button').count(), 1);
  await shot(page, '10-deleted');

  // Small screens keep the switcher usable.
  await page.setViewportSize({ width: 390, height: 800 });
  await shot(page, '11-small-screen');
  assert.deepEqual(problems, []);
  await context.close();
});
