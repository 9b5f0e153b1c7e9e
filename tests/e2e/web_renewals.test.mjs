// web_renewals.test.mjs - the To pay page over plain HTTP (no JavaScript):
// the services due with a period select showing each price, the total of the
// selection against the balance with the shortfall and a link to top up,
// "Update total", paying the chosen services in one go, a form posted twice
// paying once, insufficient funds changing nothing, and the 404 page for a
// member without the billing right.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';
import { balance, credit, DAY, product, service } from './lib/billing.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); });

const now = () => Math.floor(Date.now() / 1000);
const expiry = (id) => Number(saldo.sql(`SELECT expires_at FROM services WHERE id = ${id}`));

async function webUser() {
  const u = await signUp(saldo, { language: 'en' });
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

/** The page's hidden fields and the defaults of its checkboxes and selects. */
function formOf(html) {
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2];
  for (const m of html.matchAll(/name="(renew_\d+)" type="checkbox" value="1" checked/g)) fields[m[1]] = '1';
  for (const m of html.matchAll(/<select id="[^"]+" name="(period_\d+)">([\s\S]*?)<\/select>/g)) {
    fields[m[1]] = /<option value="(\d+)" selected/.exec(m[2])[1];
  }
  return fields;
}

test('the page lists what is due with prices, totals the selection and pays it once', async () => {
  const u = await webUser();
  const p = product(saldo, { prices: { 12: 1000, 24: 1800 } });
  const a = service(saldo, u.org.id, p, now() + 4 * DAY, { label: 'a.example' });
  const b = service(saldo, u.org.id, p, now() - 2 * DAY, { label: 'b.example', status: 'suspended' });
  service(saldo, u.org.id, p, now() + 90 * DAY, { label: 'later.example' });
  await credit(saldo, staff, u.org.id, 2500);
  let page = await u.web.get('/renewals');
  assert.equal(page.status, 200);
  assert.match(page.text, /<title>To pay/);
  assert.match(page.text, /a\.example/);
  assert.match(page.text, /b\.example/);
  assert.doesNotMatch(page.text, /later\.example/);
  assert.match(page.text, /<option value="12" selected>1 year: €10\.00<\/option><option value="24">2 years: €18\.00<\/option>/);
  // Prices are net: the total adds 22% VAT (an Italian consumer).
  assert.match(page.text, /data-testid="total-EUR"><strong>€24\.40<\/strong> · Balance €25\.00/);
  assert.match(page.text, /data-testid="vat-EUR">Net €20\.00 · VAT 22% €4\.40</);
  assert.match(page.text, /Your balance covers it/);
  assert.match(page.text, /href="\/renewals"[^>]*aria-current="page"/);
  const form = formOf(page.text);

  // Two years for a: 28.00 net, 34.16 with VAT, 9.16 short.
  const quote = await u.web.post('/renewals', { ...form, [`period_${a}`]: '24', action: 'quote' });
  assert.equal(quote.status, 200);
  assert.match(quote.text, /data-testid="total-EUR"><strong>€34\.16<\/strong>/);
  assert.match(quote.text, /Your balance is short by €9\.16\. <a href="\/billing">Top up your balance<\/a>/);
  const short = await u.web.post('/renewals', { ...form, [`period_${a}`]: '24', action: 'pay' });
  assert.equal(short.status, 422);
  assert.match(short.text, /Your balance does not cover the total/);
  assert.equal(await balance(saldo, u), 2500);

  // "Get a pro-forma": issued for the selection and shown; paying the selection pays it.
  const pf = await u.web.post('/renewals', { ...form, action: 'proforma' });
  assert.equal(pf.status, 303, pf.text);
  assert.match(pf.headers.get('location'), /^\/billing\/invoices\/\d+$/);
  const pfId = pf.headers.get('location').split('/').pop();
  const shown = await u.web.get(pf.headers.get('location'));
  assert.equal(shown.status, 200);
  assert.match(shown.text, /PF-\d{4}\/\d{6}/);
  assert.equal(saldo.sql(`SELECT kind || ':' || status || ':' || gross_minor FROM documents WHERE id = ${pfId}`), 'proforma:unpaid:2440');
  const unchecked = Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith('renew_')));
  const none = await u.web.post('/renewals', { ...unchecked, action: 'proforma' });
  assert.equal(none.status, 422, 'nothing chosen: nothing issued');

  const before = [expiry(a), expiry(b)];
  const paid = await u.web.post('/renewals', { ...form, action: 'pay' });
  assert.equal(paid.status, 303, paid.text);
  assert.equal(paid.headers.get('location'), '/renewals');
  page = await u.web.get('/renewals');
  assert.match(page.text, /The services have been renewed and paid from your balance/);
  assert.match(page.text, /Nothing to pay/);
  assert.equal(await balance(saldo, u), 2500 - 2440);
  assert.ok(expiry(a) > before[0] + 360 * DAY && expiry(b) > before[1] + 360 * DAY);
  assert.equal(saldo.sql(`SELECT status FROM services WHERE id = ${b}`), 'active');
  assert.equal(saldo.sql(`SELECT status FROM documents WHERE id = ${pfId}`), 'paid');

  const twice = await u.web.post('/renewals', { ...form, action: 'pay' });
  assert.notEqual(twice.status, 303);
  assert.equal(await balance(saldo, u), 2500 - 2440);
});

test('nothing chosen is an error on the page; a member without the billing right gets 404', async () => {
  const u = await webUser();
  const p = product(saldo);
  const a = service(saldo, u.org.id, p, now() + 4 * DAY);
  const page = await u.web.get('/renewals');
  const form = formOf(page.text);
  delete form[`renew_${a}`];
  const r = await u.web.post('/renewals', { ...form, action: 'pay' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Choose at least one service to renew/);
  const m = await webUser();
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${u.org.id}, ${m.user.id}, 'member', 0, 0)`);
  saldo.sql(`DELETE FROM memberships WHERE org_id = ${m.org.id}`);
  const denied = await m.web.get('/renewals');
  assert.equal(denied.status, 404);
  const noCsrf = await u.web.post('/renewals', { ...form, _csrf: 'x', action: 'pay' });
  assert.equal(noCsrf.status, 403);
});
