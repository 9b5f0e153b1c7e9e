// web_services.test.mjs - the services pages over plain HTTP: the list and a
// service's page of the current organization (404 for others and for a
// limited member's other services), the renewal form (errors next to the
// field, nothing saved; the confirmation message and mail), a reseller's
// assignment and the end customer's claim page, and the staff service page
// with its status changes and notes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { addCategory, addProduct, addService, makeReseller } from './lib/catalog_fixture.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let smtp;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

async function webUser(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

async function webStaff() {
  const email = `bo${Date.now()}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password })).status, 303);
  return web;
}

test('the list and a service page; another organization gets the 404 page', async () => {
  const u = await webUser({ language: 'en' });
  const other = await webUser();
  let page = await u.web.get('/services');
  assert.equal(page.status, 200);
  assert.match(page.text, /You have no services yet/);
  const prod = addProduct(saldo, addCategory(saldo), { name: 'VPS Medium' });
  const id = addService(saldo, u.org.id, prod, { status: 'active', label: 'db.example' });
  page = await u.web.get('/services');
  assert.match(page.text, new RegExp(`href="/services/${id}">VPS Medium</a>`));
  assert.match(page.text, /db\.example/);
  assert.match(page.text, /badge badge-ok">Active/);
  page = await u.web.get(`/services/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /€12\.00/);
  assert.match(page.text, /name="period"/);
  assert.equal((await other.web.get(`/services/${id}`)).status, 404);
  assert.equal((await u.web.get('/services/999999')).status, 404);
});

test('the renewal form: refusals next to the field, then saved with the confirmation and the mail', async () => {
  const u = await webUser({ language: 'en' });
  const cat = addCategory(saldo);
  const fixed = addService(saldo, u.org.id, addProduct(saldo, cat, { autoRenew: 0 }), { status: 'active' });
  const renewing = addService(saldo, u.org.id, addProduct(saldo, cat, { name: 'Web Hosting' }), { status: 'active' });
  const _csrf = await u.web.csrf(`/services/${fixed}`);
  let r = await u.web.post(`/services/${fixed}/settings`, { _csrf, auto_renew: '1', period: '12' });
  assert.equal(r.status, 422);
  assert.match(r.text, /This product does not renew automatically/);
  r = await u.web.post(`/services/${renewing}/settings`, { _csrf, period: '7' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Choose one of the periods offered/);
  r = await u.web.post(`/services/${renewing}/settings`, { _csrf, auto_renew: '1', period: '24' });
  assert.equal(r.status, 303);
  const page = await u.web.get(r.headers.get('location'));
  assert.match(page.text, /We sent a confirmation to the billing notification address/);
  assert.match(page.text, /<option value="24" selected>/);
  await smtp.waitFor(u.email, (m) => /switched on for Web Hosting/.test(m.subject));
  r = await u.web.post(`/services/${renewing}/settings`, { auto_renew: '1', period: '12' });
  assert.equal(r.status, 403, 'no CSRF token');
});

test('a reseller assigns from the page; the end customer claims through the link', async () => {
  const reseller = await webUser({ language: 'en' });
  const customer = await webUser({ language: 'en' });
  makeReseller(saldo, reseller.org.id);
  const id = addService(saldo, reseller.org.id, addProduct(saldo, addCategory(saldo), { name: 'Site Builder' }),
    { status: 'active' });
  const _csrf = await reseller.web.csrf(`/services/${id}`);
  let r = await reseller.web.post(`/services/${id}/assignment`, { _csrf, email: 'nope' });
  assert.equal(r.status, 422);
  r = await reseller.web.post(`/services/${id}/assignment`, { _csrf, email: customer.email });
  assert.equal(r.status, 303);
  let page = await reseller.web.get(`/services/${id}`);
  assert.match(page.text, /data-testid="assignment">Assigned to <strong>[^<]+<\/strong> · not claimed yet/);
  const mail = await smtp.waitFor(customer.email, (m) => /Site Builder/.test(m.subject));
  const link = /\/claims\/([A-Za-z0-9_-]{43})/.exec(mail.text)[0];

  const anon = new WebClient(saldo.url);
  anon.jar.set('lang', 'en');
  page = await anon.get(link);
  assert.equal(page.status, 200);
  assert.match(page.text, /Sign in to claim the service/);
  // Signing in from the claim page comes back to it.
  const signIn = /href="(\/login\?next=[^"]+)"/.exec(page.text)[1];
  assert.equal(signIn, `/login?next=${link}`);
  const login = await anon.get(signIn);
  const action = /<form method="post" action="([^"]*)"/.exec(login.text)[1];
  r = await anon.post(action, { _csrf: await anon.csrf(signIn), email: customer.email, password: customer.password });
  assert.equal(r.headers.get('location'), link);
  page = await customer.web.get(link);
  assert.match(page.text, new RegExp(`<option value="${customer.org.id}">`));
  const c = await customer.web.csrf(link);
  r = await customer.web.post(link, { _csrf: c, org_id: String(reseller.org.id) });
  assert.equal(r.status, 422);
  r = await customer.web.post(link, { _csrf: c, org_id: String(customer.org.id) });
  assert.equal(r.status, 303);
  page = await customer.web.get('/services');
  assert.match(page.text, /Your reseller keeps managing it/);
  assert.match(page.text, new RegExp(`Managed by ${reseller.org.name}`));
  page = await customer.web.get(`/services/${id}`);
  assert.doesNotMatch(page.text, /name="period"/, 'read-only for the end customer');
  assert.equal((await customer.web.get(link)).status, 404, 'a link works once');
});

test('staff: the organization page lists services; the service page changes status with notes', async () => {
  const u = await signUp(saldo);
  const staff = await webStaff();
  const id = addService(saldo, u.org.id, addProduct(saldo, addCategory(saldo), { name: 'Managed Firewall' }));
  let page = await staff.get(`/staff/orgs/${u.org.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`href="/staff/services/${id}">Managed Firewall`));
  page = await staff.get(`/staff/services/${id}`);
  assert.match(page.text, /Pending activation/);
  assert.match(page.text, /data-testid="action-activate"/);
  assert.doesNotMatch(page.text, /data-testid="action-suspend"/);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  let r = await staff.post(`/staff/services/${id}/suspend`, { _csrf, notes: '' });
  assert.equal(r.status, 409);
  r = await staff.post(`/staff/services/${id}/activate`, { _csrf, notes: 'rules loaded' });
  assert.equal(r.status, 303);
  page = await staff.get(`/staff/services/${id}`);
  assert.match(page.text, /The service&#39;s status has been changed|The service's status has been changed/);
  assert.match(page.text, /badge badge-ok" data-testid="status">Active/);
  assert.match(page.text, /rules loaded/);
  await smtp.waitFor(u.email, (m) => /Managed Firewall is active/.test(m.subject));
  assert.equal((await staff.post(`/staff/services/${id}/explode`, { _csrf })).status, 404);
});
