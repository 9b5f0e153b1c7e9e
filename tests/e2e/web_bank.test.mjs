// web_bank.test.mjs - the bank pages over plain HTTP: "Top up by bank
// transfer" only for members with the billing right (404 for the others, the
// sign-in page for visitors), in Italian with the amount typed the Italian
// way, a bad amount refused next to its field; the staff bank page only for
// staff, its forms refused without their CSRF token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let smtp;
let saldo;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

async function webUser(u) {
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return web;
}

test('visitors go to the sign-in page; members without the billing right get 404', async () => {
  const r = await fetch(`${saldo.url}/billing/bank-transfer`, { redirect: 'manual' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=/billing/bank-transfer');
  const admin = await signUp(saldo);
  const email = `nobilling${Date.now()}@example.test`;
  const inv = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/invitations`,
    { token: admin.token, body: { email, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const password = 'a long password';
  const a = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: 'No Billing', password, country: 'IT', language: 'en' } });
  assert.equal(a.status, 201, a.text);
  const web = await webUser({ email, password });
  const page = await web.get('/billing/bank-transfer');
  assert.equal(page.status, 404);
  assert.doesNotMatch(page.text, /SALDO/);
});

test('the page in Italian: details, reference, QR code, an amount typed the Italian way', async () => {
  const u = await signUp(saldo, { language: 'it' });
  const web = await webUser(u);
  web.jar.set('lang', 'it');
  const ref = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`, { token: u.token })).body.reference;
  const page = await web.get('/billing/bank-transfer');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /<h1>Ricarica con bonifico<\/h1>/);
  assert.match(page.text, /data-testid="iban">IT60 X054 2811 1010 0000 0123 456</);
  assert.match(page.text, new RegExp(`data-testid="reference"><strong>${ref.replace(/(.{4})/g, '$1 ').trim()}<`));
  assert.match(page.text, /1-3 giorni lavorativi/);
  assert.match(page.text, /<svg[^>]*>/);
  assert.match(page.text, /Codice QR EPC per l/, 'the QR code has its accessible name');
  const wallet = await web.get('/billing');
  assert.match(wallet.text, /href="\/billing\/bank-transfer"/, 'linked from the wallet');

  const typed = await web.get('/billing/bank-transfer?currency=EUR&amount=12%2C34');
  assert.equal(typed.status, 200);
  assert.match(typed.text, /value="12,34"/);
  const bad = await web.get('/billing/bank-transfer?currency=EUR&amount=dodici');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="amount-error">Scrivi un importo positivo in euro/);
  assert.match(bad.text, /aria-invalid="true"/);
  const swift = await web.get('/billing/bank-transfer?currency=USD');
  assert.equal(swift.status, 200);
  assert.match(swift.text, /Bonifico internazionale \(SWIFT\) in USD/);
  assert.doesNotMatch(swift.text, /<svg/);
  assert.match(swift.text, /2-5 giorni lavorativi/);
  const unknown = await web.get('/billing/bank-transfer?currency=XYZ');
  assert.equal(unknown.status, 200, 'an unknown currency shows the euro instructions');
  assert.match(unknown.text, /Bonifico SEPA in euro/);
});

test('the staff bank page needs a staff session and its forms their CSRF token', async () => {
  const u = await signUp(saldo);
  const customer = await webUser(u);
  const asCustomer = await customer.get('/staff/bank');
  assert.equal(asCustomer.status, 303);
  assert.match(asCustomer.headers.get('location'), /^\/staff\/login/);
  const email = `bankweb${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'it');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password: 'staff password 1' })).status, 303);
  const page = await web.get('/staff/bank');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Estratti conto bancari<\/h1>/);
  assert.match(page.text, /enctype="multipart\/form-data"/);
  const fd = new FormData();
  fd.append('statement', new Blob(['<x/>'], { type: 'application/xml' }), 's.xml');
  const noCsrf = await fetch(`${saldo.url}/staff/bank/statements`,
    { method: 'POST', body: fd, headers: { Cookie: web.cookieHeader() }, redirect: 'manual' });
  assert.equal(noCsrf.status, 403);
  assert.equal((await web.post('/staff/bank/entries/1/ignore', { note: 'x' })).status, 403);
});
