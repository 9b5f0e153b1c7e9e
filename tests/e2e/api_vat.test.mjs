// api_vat.test.mjs - EU VAT over the API: the seeded rates and staff adding
// one from an effective date (validated naming the field, never editing a
// rate: a second rate on the same date is refused, audited), the preview of
// an organization's VAT on a date before and after a new rate (IT consumer,
// DE business reverse charged, CH customer not subject, no address yet), and
// a VAT ID with a wrong check digit refused at the profile with the reason.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let staff;
let doc;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => saldo.stop());

function conforms(method, template, answer) {
  assertAnswer(doc, method, template, answer);
}

const rates = () => saldo.api('GET', '/api/v1/staff/vat-rates', { token: staff.token });
const addRate = (body, token = staff.token) => saldo.api('POST', '/api/v1/staff/vat-rates', { token, body });
const preview = (u, date) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/vat-preview${date ? `?date=${date}` : ''}`,
  { token: u.token });
const address = (u, country, extra = {}) => saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, {
  token: u.token, body: { recipient: 'Buyer', street: 'Street 1', city: 'City', country, ...extra } });
const profile = (u, body) => saldo.api('PATCH', `/api/v1/orgs/${u.org.id}`, { token: u.token, body });

test('the 27 member states are seeded with their rates and history', async () => {
  const r = await rates();
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/staff/vat-rates', r);
  assert.equal(r.body.countries.length, 27);
  const by = Object.fromEntries(r.body.countries.map((c) => [c.country, c]));
  assert.equal(by.IT.current.rate_bp, 2200);
  assert.equal(by.DE.current.rate, '19');
  assert.equal(by.FI.current.rate, '25.5');
  assert.equal(by.GR.current.rate_bp, 2400);
  assert.ok(by.DE.rates.length >= 3, 'history rows kept (DE 16% in the second half of 2020)');
  assert.ok(by.DE.rates.some((x) => x.rate_bp === 1600 && x.effective_from === '2020-07-01'));
  assert.equal(by.IT.rates[0].created_by_staff_id, null);
  assert.equal(by.US, undefined, 'countries outside the EU have no rows');
  const anon = await saldo.api('GET', '/api/v1/staff/vat-rates');
  assert.equal(anon.status, 401);
  const customer = await signUp(saldo);
  assert.equal((await addRate({ country: 'IT', rate: '10', effective_from: '2031-01-01' }, customer.token)).status, 401);
});

test('staff add a rate: validated naming the field, a date only once, audited', async () => {
  const before = (await rates()).body;
  for (const [body, field] of [
    [{ country: 'CH', rate: '8.1', effective_from: '2030-01-01' }, 'country'],
    [{ country: 'EL', rate: '24', effective_from: '2030-01-01' }, 'country'],
    [{ country: 'it', rate: '22', effective_from: '2030-01-01' }, 'country'],
    [{ rate: '22', effective_from: '2030-01-01' }, 'country'],
    [{ country: 'FR', rate: '30.5', effective_from: '2030-01-01' }, 'rate'],
    [{ country: 'FR', rate: '-1', effective_from: '2030-01-01' }, 'rate'],
    [{ country: 'FR', rate: '20.125', effective_from: '2030-01-01' }, 'rate'],
    [{ country: 'FR', rate: 20.5, effective_from: '2030-01-01' }, 'rate'],
    [{ country: 'FR', effective_from: '2030-01-01' }, 'rate'],
    [{ country: 'FR', rate: '21', effective_from: '2030-02-30' }, 'effective_from'],
    [{ country: 'FR', rate: '21', effective_from: '01/01/2030' }, 'effective_from'],
    [{ country: 'FR', rate: '21' }, 'effective_from'],
  ]) {
    const r = await addRate(body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
    conforms('POST', '/api/v1/staff/vat-rates', r);
  }
  assert.deepEqual((await rates()).body, before, 'nothing was added');

  const ok = await addRate({ country: 'FR', rate: '21.5', effective_from: '2030-01-01' });
  assert.equal(ok.status, 201, ok.text);
  conforms('POST', '/api/v1/staff/vat-rates', ok);
  assert.deepEqual({ ...ok.body, id: 0 }, { id: 0, country: 'FR', rate_bp: 2150, rate: '21.5', effective_from: '2030-01-01' });
  const again = await addRate({ country: 'FR', rate: 25, effective_from: '2030-01-01' });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.error.code, 'rate_exists');
  conforms('POST', '/api/v1/staff/vat-rates', again);

  const fr = (await rates()).body.countries.find((c) => c.country === 'FR');
  assert.equal(fr.current.rate_bp, 2000, 'a future rate is not current yet');
  assert.equal(fr.rates[0].rate_bp, 2150);
  assert.equal(typeof fr.rates[0].created_by_staff_id, 'number');
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const entries = audit.body.entries.filter((e) => e.action === 'vat_rate.add');
  assert.equal(entries.length, 1, 'one audit entry, for the rate added');
  assert.equal(entries[0].target_id, ok.body.id);
});

test('the preview: IT consumer, FR consumer before and after a new rate, DE business, CH customer', async () => {
  const it = await signUp(saldo);
  let r = await preview(it);
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/orgs/{org_id}/vat-preview', r);
  assert.equal(r.body.status, 'no_billing_address');
  assert.equal(r.body.decision, null);

  assert.equal((await address(it, 'IT', { postal_code: '20121', province: 'MI' })).status, 201);
  r = await preview(it, '2026-06-01');
  conforms('GET', '/api/v1/orgs/{org_id}/vat-preview', r);
  assert.equal(r.body.seller_country, 'IT');
  assert.deepEqual(r.body.evidence, { billing_country: 'IT', vat_id: null, vat_id_valid: false, business: false,
    date: '2026-06-01' });
  assert.deepEqual(r.body.decision, { scheme: 'domestic', rate_bp: 2200, rate: '22', rate_country: 'IT',
    mention: 'none', mention_text: null });

  const fr = await signUp(saldo);
  await address(fr, 'FR', { postal_code: '75001' });
  await addRate({ country: 'FR', rate: '23', effective_from: '2031-07-01' });
  r = await preview(fr, '2031-06-30');
  assert.equal(r.body.decision.scheme, 'oss');
  assert.equal(r.body.decision.rate_bp, 2150, 'the day before: the rate from 2030');
  r = await preview(fr, '2031-07-01');
  assert.equal(r.body.decision.rate_bp, 2300, 'from its effective date: the new rate');
  assert.equal(r.body.decision.rate_country, 'FR');
  r = await preview(fr, '2029-12-31');
  assert.equal(r.body.decision.rate_bp, 2000);

  const de = await signUp(saldo);
  await address(de, 'DE', { postal_code: '10117' });
  assert.equal((await profile(de, { kind: 'company', vat_id: 'DE136695976' })).status, 200);
  r = await preview(de);
  conforms('GET', '/api/v1/orgs/{org_id}/vat-preview', r);
  assert.equal(r.body.evidence.vat_id, 'DE136695976');
  assert.equal(r.body.evidence.business, true);
  assert.deepEqual(r.body.decision, { scheme: 'reverse_charge', rate_bp: 0, rate: '0', rate_country: null,
    mention: 'reverse_charge', mention_text: 'Reverse charge – Art. 196 Directive 2006/112/EC' });

  const ch = await signUp(saldo);
  await address(ch, 'CH', { postal_code: '8001' });
  r = await preview(ch);
  assert.equal(r.body.decision.scheme, 'not_subject');
  assert.equal(r.body.decision.mention_text, 'Not subject to VAT – art. 7-octies DPR 633/72');
  assert.equal(r.body.evidence.business, false);

  for (const bad of ['2026-13-01', 'today', '2026-1-1']) {
    const x = await preview(it, bad);
    assert.equal(x.status, 422, bad);
    assert.equal(x.body.error.field, 'date');
    conforms('GET', '/api/v1/orgs/{org_id}/vat-preview', x);
  }
  const other = await signUp(saldo);
  const hidden = await saldo.api('GET', `/api/v1/orgs/${it.org.id}/vat-preview`, { token: other.token });
  assert.equal(hidden.status, 404, 'another organization: 404');
});

test('a VAT ID with a wrong check digit is refused at the profile with the reason', async () => {
  const u = await signUp(saldo);
  for (const [vat, reason] of [
    ['DE136695978', 'The check digit of this VAT ID does not match: look for a typing error.'],
    ['DE13669597', 'A German VAT ID is DE followed by 9 digits.'],
    ['GR094259216', 'A VAT ID starts with the prefix of an EU country, like IT or DE (EL for Greece, XI for Northern Ireland).'],
  ]) {
    const r = await profile(u, { kind: 'company', vat_id: vat });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, 'vat_id');
    assert.equal(r.body.error.message, `vat_id: ${reason}`);
  }
  const get = await saldo.api('GET', `/api/v1/orgs/${u.org.id}`, { token: u.token });
  assert.equal(get.body.vat_id, null, 'nothing was saved');
  const ok = await profile(u, { kind: 'company', vat_id: 'fr 4z 123456782' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.vat_id, 'FR4Z123456782');
});
