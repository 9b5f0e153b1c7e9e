// api_orgs.test.mjs - organizations as objects through the API: many per
// login, the profile and every validation naming its field, 404 for
// non-members and 403 for members without the admin right, the logo checked
// by content (real PNG and JPEG made here, fakes renamed), and deletion
// refused with every missing condition listed, then done after a staff debit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addCategory, addProduct, addService } from './lib/catalog_fixture.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { fakes, makeJpeg, makePng } from './lib/images.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let staff;
let doc;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});

/** The answer is documented in docs/openapi.json and fits its schema. */
function conforms(method, template, answer) {
  assertAnswer(doc, method, template, answer);
}
after(async () => saldo.stop());

const createOrg = (u, body) => saldo.api('POST', '/api/v1/orgs', { token: u.token, body });
const patch = (u, id, body) => saldo.api('PATCH', `/api/v1/orgs/${id}`, { token: u.token, body });
const putLogo = (u, id, bytes, type) => saldo.api('PUT', `/api/v1/orgs/${id}/logo`,
  { token: u.token, raw: bytes, headers: { 'Content-Type': type } });
/** Makes user a plain member (no admin right) of org: the invitation routes belong to another part. */
const addMember = (orgId, userId) => saldo.sql(
  `INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${orgId}, ${userId}, 'member', 0, 1)`);

let keyNo = 0;
const adjust = (orgId, minor) => saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`,
  { token: staff.token, body: { amount: { currency: 'EUR', minor }, reason: 'test adjustment' },
    headers: { 'Idempotency-Key': `org-${++keyNo}` } });

test('a login has many organizations: list, create, read', async () => {
  const u = await signUp(saldo);
  const first = await saldo.api('GET', '/api/v1/orgs', { token: u.token });
  assert.equal(first.status, 200);
  assert.equal(first.body.organizations.length, 1);
  assert.deepEqual(first.body.organizations[0], { id: u.org.id, name: u.org.name, kind: 'person', role: 'admin',
    billing: true, personal: true, has_logo: false });
  const c = await createOrg(u, { name: 'Rossi S.r.l.', kind: 'company' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.headers.get('location'), `/api/v1/orgs/${c.body.id}`);
  assert.equal(c.body.name, 'Rossi S.r.l.');
  assert.equal(c.body.kind, 'company');
  assert.equal(c.body.role, 'admin');
  assert.equal(c.body.billing, true);
  assert.equal(c.body.personal, false);
  assert.equal(c.body.legal_representative_user_id, u.user.id);
  assert.equal(c.body.logo, null);
  for (const f of ['legal_name', 'vat_id', 'fiscal_code', 'sdi_code', 'pec']) assert.equal(c.body[f], null);
  conforms('POST', '/api/v1/orgs', c);
  const list = await saldo.api('GET', '/api/v1/orgs', { token: u.token });
  conforms('GET', '/api/v1/orgs', list);
  assert.deepEqual(list.body.organizations.map((o) => o.name), [u.org.name, 'Rossi S.r.l.']);
  const one = await saldo.api('GET', `/api/v1/orgs/${c.body.id}`, { token: u.token });
  assert.equal(one.status, 200);
  assert.deepEqual(one.body, c.body);
  // The personal organization got its legal representative too.
  const own = await saldo.api('GET', `/api/v1/orgs/${u.org.id}`, { token: u.token });
  assert.equal(own.body.legal_representative_user_id, u.user.id);
  assert.equal((await saldo.api('GET', '/api/v1/orgs')).status, 401);
});

test('creating validates name and kind, naming the field', async () => {
  const u = await signUp(saldo);
  for (const [body, field] of [
    [{ kind: 'company' }, 'name'], [{ name: '', kind: 'company' }, 'name'], [{ name: 'x'.repeat(201), kind: 'company' }, 'name'],
    [{ name: 'A' }, 'kind'], [{ name: 'A', kind: 'ngo' }, 'kind'], [{ name: 'A', kind: 'company', extra: 1 }, 'extra'],
  ]) {
    const r = await createOrg(u, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
    assert.ok(r.body.error.message.startsWith(field));
    conforms('POST', '/api/v1/orgs', r);
  }
  const list = await saldo.api('GET', '/api/v1/orgs', { token: u.token });
  assert.equal(list.body.organizations.length, 1, 'nothing created');
});

test('the profile: identifiers normalized and checked, each error naming its field, nothing changed', async () => {
  const u = await signUp(saldo);
  const org = (await createOrg(u, { name: 'Bianchi SpA', kind: 'company' })).body;
  const ok = await patch(u, org.id, { legal_name: 'Bianchi S.p.A.', vat_id: ' it 12345678903', fiscal_code: '12345678903',
    sdi_code: 'm5uxcr1', pec: 'Bianchi@PEC.example.it' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.vat_id, 'IT12345678903');
  assert.equal(ok.body.fiscal_code, '12345678903');
  assert.equal(ok.body.sdi_code, 'M5UXCR1');
  assert.equal(ok.body.pec, 'bianchi@pec.example.it');
  conforms('PATCH', '/api/v1/orgs/{org_id}', ok);
  const bad = [
    [{ name: null }, 'name'], [{ name: '' }, 'name'], [{ kind: 'ngo' }, 'kind'], [{ kind: null }, 'kind'],
    [{ vat_id: 'GR123456789' }, 'vat_id'], [{ vat_id: 'IT1' }, 'vat_id'], [{ vat_id: 'IT-123456' }, 'vat_id'],
    [{ vat_id: 'DE136695978' }, 'vat_id'], [{ vat_id: 'ATU1358562' }, 'vat_id'], // a wrong check digit, a digit short
    [{ fiscal_code: '12345678901' }, 'fiscal_code'], [{ fiscal_code: 'RSSMRA85T10A562T' }, 'fiscal_code'],
    [{ kind: 'person' }, 'fiscal_code'], // an 11-digit code does not fit a person
    [{ kind: 'public_administration' }, 'sdi_code'], // 11 digits fit, the 7-character code does not
    [{ sdi_code: 'ABC12' }, 'sdi_code'], [{ sdi_code: 'ABCDEFGH' }, 'sdi_code'],
    [{ kind: 'public_administration', fiscal_code: '80001990219' }, 'sdi_code'], // 7 for a public body
    [{ sdi_code: '0000000', pec: null }, 'pec'], [{ pec: 'not an address' }, 'pec'],
    [{ legal_representative_user_id: 999999 }, 'legal_representative_user_id'],
    [{ legal_representative_user_id: 'me' }, 'legal_representative_user_id'],
    [{ legal_representative_user_id: null }, 'legal_representative_user_id'],
    [{ legal_name: 'x'.repeat(201) }, 'legal_name'], [{ legal_name: 'a\u0001b' }, 'legal_name'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of bad) {
    const r = await patch(u, org.id, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_field');
    assert.equal(r.body.error.field, field, JSON.stringify(body));
    assert.ok(r.body.error.message.startsWith(`${field}: `));
    conforms('PATCH', '/api/v1/orgs/{org_id}', r);
  }
  const same = await saldo.api('GET', `/api/v1/orgs/${org.id}`, { token: u.token });
  assert.deepEqual(same.body, ok.body, 'no refused change was saved');
  // A person: 16-character code with its check letter; public body: 6-character office code.
  const person = (await createOrg(u, { name: 'Mario Rossi', kind: 'person' })).body;
  const p = await patch(u, person.id, { fiscal_code: 'rssmra85t10a562s', vat_id: 'EL094259216' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.fiscal_code, 'RSSMRA85T10A562S');
  const pa = await patch(u, org.id, { kind: 'public_administration', fiscal_code: '80001990219', sdi_code: 'UFXXYZ' });
  assert.equal(pa.status, 200, pa.text);
  const pec = await patch(u, org.id, { kind: 'company', sdi_code: '0000000' });
  assert.equal(pec.status, 200, 'the PEC is still there');
  const cleared = await patch(u, org.id, { vat_id: null, legal_name: '', pec: null, sdi_code: null });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.vat_id, null);
  assert.equal(cleared.body.legal_name, null);
});

test('non-members get 404 everywhere; members without the admin right read but may not change', async () => {
  const owner = await signUp(saldo);
  const other = await signUp(saldo);
  const org = (await createOrg(owner, { name: 'Verdi', kind: 'company' })).body;
  await putLogo(owner, org.id, makePng(4, 4), 'image/png');
  const calls = [
    ['GET', `/api/v1/orgs/${org.id}`], ['PATCH', `/api/v1/orgs/${org.id}`, { name: 'Mine' }],
    ['DELETE', `/api/v1/orgs/${org.id}`], ['DELETE', `/api/v1/orgs/${org.id}/logo`],
  ];
  for (const [m, p, body] of calls) {
    const r = await saldo.api(m, p, { token: other.token, body });
    assert.equal(r.status, 404, `${m} ${p}`);
  }
  assert.equal((await putLogo(other, org.id, makePng(2, 2), 'image/png')).status, 404);
  assert.equal((await saldo.api('GET', `/orgs/${org.id}/logo`, { token: other.token })).status, 404);
  assert.equal((await saldo.api('GET', '/api/v1/orgs/abc', { token: other.token })).status, 404);

  addMember(org.id, other.user.id);
  const read = await saldo.api('GET', `/api/v1/orgs/${org.id}`, { token: other.token });
  assert.equal(read.status, 200);
  assert.equal(read.body.role, 'member');
  assert.equal(read.body.billing, false);
  assert.equal((await saldo.api('GET', `/orgs/${org.id}/logo`, { token: other.token })).status, 200);
  for (const [m, p, body] of calls.slice(1)) {
    const r = await saldo.api(m, p, { token: other.token, body });
    assert.equal(r.status, 403, `${m} ${p}`);
    conforms(m, '/api/v1/orgs/{org_id}' + (p.endsWith('/logo') ? '/logo' : ''), r);
  }
  assert.equal((await putLogo(other, org.id, makePng(2, 2), 'image/png')).status, 403);
  // A member may be made legal representative; a stranger may not.
  assert.equal((await patch(owner, org.id, { legal_representative_user_id: other.user.id })).status, 200);
  const list = await saldo.api('GET', '/api/v1/orgs', { token: other.token });
  assert.equal(list.body.organizations.find((o) => o.id === org.id).role, 'member');
});

test('the logo is checked by its content and served to members with its real type', async () => {
  const u = await signUp(saldo);
  const org = (await createOrg(u, { name: 'Logo SRL', kind: 'company' })).body;
  const png = makePng(40, 20);
  const put = await putLogo(u, org.id, png, 'image/png');
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.logo.content_type, 'image/png');
  assert.equal(put.body.logo.size_bytes, png.length);
  assert.equal(put.body.logo.url, `/orgs/${org.id}/logo`);
  conforms('PUT', '/api/v1/orgs/{org_id}/logo', put);
  const got = await fetch(`${saldo.url}/orgs/${org.id}/logo`, { headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-disposition'), 'inline');
  const etag = got.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
  const again = await fetch(`${saldo.url}/orgs/${org.id}/logo`,
    { headers: { Authorization: `Bearer ${u.token}`, 'If-None-Match': etag } });
  assert.equal(again.status, 304);

  const jpeg = makeJpeg();
  // A JPEG declared as PNG is still a JPEG: the content decides.
  const j = await putLogo(u, org.id, jpeg, 'image/png');
  assert.equal(j.status, 200, j.text);
  assert.equal(j.body.logo.content_type, 'image/jpeg');
  const jg = await saldo.api('GET', `/orgs/${org.id}/logo`, { token: u.token });
  assert.equal(jg.headers.get('content-type'), 'image/jpeg');

  const refused = [
    [fakes.svg, 'image/png'], [fakes.text, 'image/png'], [fakes.gif, 'image/jpeg'], [fakes.pngSignatureOnly, 'image/png'],
    [fakes.jpegSoiOnly, 'image/jpeg'], [Buffer.alloc(0), 'image/png'], [png, 'image/gif'], [png, 'application/octet-stream'],
    [Buffer.concat([png, Buffer.alloc(1000001 - png.length)]), 'image/png'],
  ];
  for (const [bytes, type] of refused) {
    const r = await putLogo(u, org.id, bytes, type);
    assert.equal(r.status, 422, `${type} ${bytes.length}: ${r.text}`);
    assert.equal(r.body.error.field, 'logo');
    conforms('PUT', '/api/v1/orgs/{org_id}/logo', r);
  }
  const still = await saldo.api('GET', `/api/v1/orgs/${org.id}`, { token: u.token });
  assert.equal(still.body.logo.content_type, 'image/jpeg', 'refused uploads changed nothing');
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${org.id}/logo`, { token: u.token })).status, 204);
  assert.equal((await saldo.api('GET', `/orgs/${org.id}/logo`, { token: u.token })).status, 404);
  const gone = await saldo.api('GET', `/api/v1/orgs/${org.id}`, { token: u.token });
  assert.equal(gone.body.logo, null);
  // The two uploads and the removal are in the audit log; the refused ones are not.
  const audit = await saldo.api('GET', `/api/v1/orgs/${org.id}/audit`, { token: u.token });
  const logo = audit.body.entries.filter((e) => e.action === 'org.logo').map((e) => e.detail);
  assert.deepEqual(logo, [{ change: 'removed' }, { change: 'set', type: 'image/jpeg', bytes: jpeg.length },
    { change: 'set', type: 'image/png', bytes: png.length }]);
});

test('deleting is refused while a wallet holds money or it is your only organization; then it erases', async () => {
  const u = await signUp(saldo);
  // The only organization, with money: both reasons listed.
  assert.equal((await adjust(u.org.id, 1234)).status, 201);
  const refused = await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}`, { token: u.token });
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.body.error.code, 'delete_refused');
  assert.deepEqual(refused.body.error.blockers.map((b) => b.code), ['wallet_not_empty', 'personal_organization']);
  assert.equal(refused.body.error.blockers[0].detail, '€12.34');
  conforms('DELETE', '/api/v1/orgs/{org_id}', refused);

  const second = (await createOrg(u, { name: 'Second Srl', kind: 'company' })).body;
  await patch(u, second.id, { vat_id: 'IT12345678903', pec: 'a@pec.example.it' });
  await putLogo(u, second.id, makePng(3, 3), 'image/png');
  assert.equal((await adjust(second.id, 500)).status, 201);
  const product = addProduct(saldo, addCategory(saldo));
  const running = addService(saldo, second.id, product, { status: 'active' });
  addService(saldo, second.id, product, { status: 'cancelled' });
  const r2 = await saldo.api('DELETE', `/api/v1/orgs/${second.id}`, { token: u.token });
  assert.equal(r2.status, 422);
  assert.deepEqual(r2.body.error.blockers.map((b) => [b.code, b.detail]), [['wallet_not_empty', '€5.00'],
    ['services_running', '1']]);
  conforms('DELETE', '/api/v1/orgs/{org_id}', r2);
  const ended = await saldo.api('POST', `/api/v1/staff/services/${running}/terminate`, { token: staff.token, body: {} });
  assert.equal(ended.status, 200, ended.text);
  const r2b = await saldo.api('DELETE', `/api/v1/orgs/${second.id}`, { token: u.token });
  assert.deepEqual(r2b.body.error.blockers.map((b) => b.code), ['wallet_not_empty']);
  assert.equal((await adjust(second.id, -500)).status, 201, 'the staff debit brings it to zero');
  const ok = await saldo.api('DELETE', `/api/v1/orgs/${second.id}`, { token: u.token });
  assert.equal(ok.status, 204, ok.text);
  conforms('DELETE', '/api/v1/orgs/{org_id}', ok);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${second.id}`, { token: u.token })).status, 404);
  const list = await saldo.api('GET', '/api/v1/orgs', { token: u.token });
  assert.deepEqual(list.body.organizations.map((o) => o.id), [u.org.id]);
  // The row stays for the law, anonymous: no profile, no logo, no members.
  assert.equal(saldo.sql(`SELECT name || '|' || COALESCE(vat_id, '') || '|' || COALESCE(pec, '') FROM orgs WHERE id = ${second.id}`),
    `Deleted organization #${second.id}||`);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM org_logos WHERE org_id = ${second.id}`), '0');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM memberships WHERE org_id = ${second.id}`), '0');
  const s = await saldo.api('GET', `/api/v1/staff/orgs/${second.id}`, { token: staff.token });
  assert.equal(s.status, 200);
  assert.equal(s.body.organization.name, `Deleted organization #${second.id}`);
  assert.match(s.body.organization.profile.deleted_at, /^\d{4}-/);
  conforms('GET', '/api/v1/staff/orgs/{org_id}', s);

  // With another organization, the personal one may go once its wallet is empty.
  const third = (await createOrg(u, { name: 'Third', kind: 'company' })).body;
  const r3 = await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}`, { token: u.token });
  assert.deepEqual(r3.body.error.blockers.map((b) => b.code), ['wallet_not_empty']);
  assert.equal((await adjust(u.org.id, -1234)).status, 201);
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${u.org.id}`, { token: u.token })).status, 204);
  const last = await saldo.api('GET', '/api/v1/orgs', { token: u.token });
  assert.deepEqual(last.body.organizations.map((o) => o.id), [third.id]);
});
