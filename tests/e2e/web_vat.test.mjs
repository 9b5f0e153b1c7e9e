// web_vat.test.mjs - EU VAT in the pages over plain HTTP: the back office's
// VAT rates page (today's rate and history per member state; adding a rate,
// typed the Italian way with a comma; errors next to their fields with
// nothing added; the same date twice refused next to the date), and the
// organization page showing the VAT its purchases get, in Italian and in
// English, with the reason of a refused VAT ID next to the field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

let staffNo = 0;
async function webStaff(lang = 'en') {
  const email = `vatstaff${++staffNo}@saldo.test`;
  const password = 'staff password 1';
  const add = saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  assert.equal(add.status, 0, add.stderr);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', lang);
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password })).status, 303);
  return web;
}

async function webUser(language = 'en') {
  const u = await signUp(saldo, { language });
  const web = new WebClient(saldo.url);
  web.jar.set('lang', language);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { ...u, web };
}

const address = (u, country, extra = {}) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, {
  token: u.token, body: { recipient: 'Buyer', street: 'Street 1', city: 'City', country, ...extra } });
const rateRows = () => Number(saldo.sql('SELECT COUNT(*) FROM vat_rates'));

test('the back office VAT rates page: today\'s rates, adding one, errors next to the fields', async () => {
  const web = await webStaff('it');
  let page = await web.get('/staff/vat-rates');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /<h1>Aliquote IVA<\/h1>/);
  assert.match(page.text, /<tr data-country="IT">\s*<th scope="row">IT<\/th>\s*<td class="num">22%<\/td>/);
  assert.match(page.text, /<tr data-country="FI">\s*<th scope="row">FI<\/th>\s*<td class="num">25,5%<\/td>/, 'Italian decimal comma');
  assert.match(page.text, /16% · in vigore dal 2020-07-01/, 'history shown');
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  const rows = rateRows();
  for (const [form, field, status] of [
    [{ country: 'CH', rate: '8,1', effective_from: '2032-01-01' }, 'country', 422],
    [{ country: 'PT', rate: '31', effective_from: '2032-01-01' }, 'rate', 422],
    [{ country: 'PT', rate: '', effective_from: '2032-01-01' }, 'rate', 422],
    [{ country: 'PT', rate: '23', effective_from: '2032-02-30' }, 'effective_from', 422],
    [{ country: 'IT', rate: '22', effective_from: '0000-01-01' }, 'effective_from', 422],
  ]) {
    const r = await web.post('/staff/vat-rates', { _csrf, ...form });
    assert.equal(r.status, status, JSON.stringify(form));
    assert.match(r.text, new RegExp(`id="${field}-error"`), JSON.stringify(form));
  }
  assert.equal(rateRows(), rows, 'nothing was added');
  const ok = await web.post('/staff/vat-rates', { _csrf, country: 'PT', rate: '23,5', effective_from: '2032-01-01' });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/staff/vat-rates');
  page = await web.get('/staff/vat-rates');
  assert.match(page.text, /L&#39;aliquota IVA è stata aggiunta|L'aliquota IVA è stata aggiunta/);
  assert.match(page.text, /23,5% · in vigore dal 2032-01-01 · aggiunta il/);
  assert.equal(saldo.sql("SELECT rate_bp FROM vat_rates WHERE country = 'PT' AND effective_from = '2032-01-01'"), '2350');
  const again = await web.post('/staff/vat-rates', { _csrf, country: 'PT', rate: '24', effective_from: '2032-01-01' });
  assert.equal(again.status, 409);
  assert.match(again.text, /id="effective_from-error">Questo paese ha già un&#39;aliquota da questa data|id="effective_from-error">Questo paese ha già un'aliquota/);
  assert.equal(rateRows(), rows + 1);
  assert.equal(saldo.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'vat_rate.add'"), '1');
});

test('the organization page shows the VAT of its purchases', async () => {
  const it = await webUser('it');
  let page = await it.web.get(`/orgs/${it.org.id}`);
  assert.match(page.text, /Aggiungi un indirizzo di fatturazione per vedere l&#39;IVA|Aggiungi un indirizzo di fatturazione per vedere l'IVA/);
  await address(it, 'IT', { postal_code: '20121', province: 'MI' });
  page = await it.web.get(`/orgs/${it.org.id}`);
  assert.match(page.text, /IVA applicata ai tuoi acquisti: <strong data-testid="vat-summary">22% \(IT\)<\/strong>/);

  const de = await webUser('it');
  await address(de, 'DE', { postal_code: '10117' });
  const _csrf = await de.web.csrf(`/orgs/${de.org.id}`);
  const form = { _csrf, name: de.org.name, kind: 'company', legal_name: '', fiscal_code: '', sdi_code: '', pec: '',
    legal_representative_user_id: String(de.user.id) };
  const bad = await de.web.post(`/orgs/${de.org.id}`, { ...form, vat_id: 'DE136695978' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="vat_id-error">La cifra di controllo di questa partita IVA non corrisponde/);
  const short = await de.web.post(`/orgs/${de.org.id}`, { ...form, vat_id: 'DE13669597' });
  assert.match(short.text, /id="vat_id-error">Una partita IVA tedesca è DE seguito da 9 cifre./);
  assert.equal((await de.web.post(`/orgs/${de.org.id}`, { ...form, vat_id: 'DE 136 695 976' })).status, 303);
  page = await de.web.get(`/orgs/${de.org.id}`);
  assert.match(page.text, /data-testid="vat-summary">Inversione contabile \(0%\)</);
  assert.match(page.text, /data-testid="vat-mention">Inversione contabile – art. 7-ter DPR 633\/72</);

  const ch = await webUser('en');
  await address(ch, 'CH', { postal_code: '8001' });
  page = await ch.web.get(`/orgs/${ch.org.id}`);
  assert.match(page.text, /VAT applied to your purchases: <strong data-testid="vat-summary">Not subject to VAT \(0%\)</);
  assert.match(page.text, /data-testid="vat-mention">Not subject to VAT – art. 7-octies DPR 633\/72</);
});
