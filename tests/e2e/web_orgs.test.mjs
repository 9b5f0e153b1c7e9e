// web_orgs.test.mjs - organization pages over HTTP: create one (a field error
// first), the header's switcher changing the current organization at once,
// the profile form (errors next to the field, nothing saved) and its
// read-only view for members, the logo uploaded as multipart/form-data
// (fakes refused, CSRF required) and shown in the header in place of the
// name, deletion (confirmation, the list of what is missing), the back
// office's view with the profile, the logo and the deleted mark, in Italian too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { fakes, makePng } from './lib/images.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => saldo.stop());

async function webUser(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  if (over.language) web.jar.set('lang', over.language);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

/** The header's current organization: its name, or the logo's alt text. */
function headerOrg(html) {
  const name = /data-testid="org-name">([^<]*)</.exec(html);
  if (name) return { name: name[1] };
  const logo = /<img class="orgswitch-logo" src="([^"]+)" alt="([^"]*)"/.exec(html);
  return logo ? { logo: logo[1], name: logo[2] } : null;
}

/** POSTs a multipart form like a browser's file upload. */
async function upload(web, path, fields, file) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('logo', new Blob([file.bytes], { type: file.type }), file.name);
  const res = await fetch(web.base + path, { method: 'POST', body: fd, headers: { Cookie: web.cookieHeader() }, redirect: 'manual' });
  web.take(res);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

test('create an organization, then switch between organizations from the header', async () => {
  const u = await webUser();
  const home = await u.web.get('/');
  assert.deepEqual(headerOrg(home.text), { name: u.org.name });
  assert.match(home.text, /action="\/orgs\/switch"/);
  const _csrf = await u.web.csrf('/orgs/new');
  const bad = await u.web.post('/orgs/new', { _csrf, name: '  ', kind: 'company' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="name-error">This field is required\./);
  const made = await u.web.post('/orgs/new', { _csrf, name: 'Acme <Srl>', kind: 'company' });
  assert.equal(made.status, 303, made.text);
  const orgId = Number(/^\/orgs\/(\d+)$/.exec(made.headers.get('location'))[1]);
  const profile = await u.web.get(`/orgs/${orgId}`);
  assert.equal(profile.status, 200);
  assert.match(profile.text, /The organization has been created/);
  assert.deepEqual(headerOrg(profile.text), { name: 'Acme &lt;Srl&gt;' }, 'the new one is current, escaped');
  // Back to the first one, from any page: the answer goes back to that page.
  const sw = await u.web.post('/orgs/switch', { _csrf, org_id: String(u.org.id), next: '/billing' });
  assert.equal(sw.status, 303);
  assert.equal(sw.headers.get('location'), '/billing');
  assert.deepEqual(headerOrg((await u.web.get('/')).text), { name: u.org.name });
  // Someone else's organization, or garbage, is a 404 and changes nothing.
  const other = await signUp(saldo);
  assert.equal((await u.web.post('/orgs/switch', { _csrf, org_id: String(other.org.id), next: '/' })).status, 404);
  assert.equal((await u.web.post('/orgs/switch', { _csrf, org_id: 'x', next: '/' })).status, 404);
  assert.equal((await u.web.post('/orgs/switch', { org_id: String(orgId), next: '/' })).status, 403, 'no CSRF token');
  assert.deepEqual(headerOrg((await u.web.get('/')).text), { name: u.org.name });
  assert.equal((await u.web.get(`/orgs/${other.org.id}`)).status, 404);
  assert.equal((await u.web.get(`/orgs/${other.org.id}/logo`)).status, 404);
  const anon = await new WebClient(saldo.url).get('/orgs/new');
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get('location'), '/login?next=/orgs/new');
});

test('the profile form: errors next to the field, nothing saved; then saved and normalized', async () => {
  const u = await webUser();
  const _csrf = await u.web.csrf(`/orgs/${u.org.id}`);
  const base = { _csrf, name: u.org.name, kind: 'person', legal_name: '', vat_id: '', fiscal_code: '', sdi_code: '', pec: '',
    legal_representative_user_id: String(u.user.id) };
  for (const [change, field] of [[{ vat_id: 'GR123' }, 'vat_id'], [{ fiscal_code: 'RSSMRA85T10A562T' }, 'fiscal_code'],
    [{ sdi_code: '0000000' }, 'pec'], [{ name: '' }, 'name'], [{ legal_representative_user_id: '999999' }, 'rep'],
    [{ kind: 'club' }, 'kind'], [{ sdi_code: 'ABC' }, 'sdi_code'], [{ pec: 'nope' }, 'pec']]) {
    const r = await u.web.post(`/orgs/${u.org.id}`, { ...base, ...change });
    assert.equal(r.status, 422, JSON.stringify(change));
    assert.match(r.text, new RegExp(`id="${field}-error"`), JSON.stringify(change));
  }
  const api = await saldo.api('GET', `/api/v1/orgs/${u.org.id}`, { token: u.token });
  assert.equal(api.body.vat_id, null, 'nothing was saved');
  const ok = await u.web.post(`/orgs/${u.org.id}`, { ...base, vat_id: 'it 12345678903', fiscal_code: 'rssmra85t10a562s',
    sdi_code: '0000000', pec: 'Me@Pec.Example.it', legal_name: 'Mario Rossi' });
  assert.equal(ok.status, 303, ok.text);
  const page = await u.web.get(`/orgs/${u.org.id}`);
  assert.match(page.text, /The organization&#39;s profile has been saved|The organization's profile has been saved/);
  assert.match(page.text, /value="IT12345678903"/);
  assert.match(page.text, /value="RSSMRA85T10A562S"/);
  assert.match(page.text, /value="me@pec.example.it"/);
  // A member without the admin right sees the details read-only and may not post.
  const m = await webUser();
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES (${u.org.id}, ${m.user.id}, 'member', 0, 1)`);
  const view = await m.web.get(`/orgs/${u.org.id}`);
  assert.equal(view.status, 200);
  assert.match(view.text, /data-testid="profile-view"/);
  assert.match(view.text, /IT12345678903/);
  assert.doesNotMatch(view.text, /action="\/orgs\/\d+\/logo"/);
  const mcsrf = await m.web.csrf('/');
  assert.equal((await m.web.post(`/orgs/${u.org.id}`, { ...base, _csrf: mcsrf, name: 'Taken' })).status, 403);
  assert.equal((await m.web.post(`/orgs/${u.org.id}/delete`, { _csrf: mcsrf, confirm: 'yes' })).status, 403);
});

test('the logo: uploaded as a file, checked by content, shown in the header instead of the name', async () => {
  const u = await webUser({ language: 'it' });
  const _csrf = await u.web.csrf(`/orgs/${u.org.id}`);
  const fake = await upload(u.web, `/orgs/${u.org.id}/logo`, { _csrf }, { bytes: fakes.svg, type: 'image/png', name: 'logo.png' });
  assert.equal(fake.status, 422);
  assert.match(fake.text, /id="logo-error">Il logo deve essere un&#39;immagine PNG o JPEG\.|id="logo-error">Il logo deve essere un'immagine PNG o JPEG\./);
  const none = await upload(u.web, `/orgs/${u.org.id}/logo`, { _csrf });
  assert.equal(none.status, 422);
  // Over the server's limit: an error page in the layout that says why, not a bare status.
  const huge = await upload(u.web, `/orgs/${u.org.id}/logo`, { _csrf },
    { bytes: Buffer.concat([makePng(8, 8), Buffer.alloc(1100000)]), type: 'image/png', name: 'big.png' });
  assert.equal(huge.status, 413);
  assert.match(huge.headers.get('content-type'), /^text\/html/);
  assert.match(huge.text, /al massimo 1 MB/);
  assert.match(huge.text, /data-testid="orgswitch"/, 'the page keeps the signed-in header');
  const noCsrf = await upload(u.web, `/orgs/${u.org.id}/logo`, {}, { bytes: makePng(8, 8), type: 'image/png', name: 'a.png' });
  assert.equal(noCsrf.status, 403);
  assert.equal((await u.web.get(`/orgs/${u.org.id}/logo`)).status, 404, 'nothing stored');
  const png = makePng(120, 40);
  const ok = await upload(u.web, `/orgs/${u.org.id}/logo`, { _csrf }, { bytes: png, type: 'application/octet-stream', name: 'logo.bin' });
  assert.equal(ok.status, 303, ok.text);
  const home = await u.web.get('/');
  assert.deepEqual(headerOrg(home.text), { logo: `/orgs/${u.org.id}/logo`, name: u.org.name });
  const img = await fetch(`${saldo.url}/orgs/${u.org.id}/logo`, { headers: { Cookie: u.web.cookieHeader() } });
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), png);
  // Another current organization without a logo shows its name, even on a page showing this logo.
  await u.web.post('/orgs/new', { _csrf, name: 'No Logo Srl', kind: 'company' });
  assert.deepEqual(headerOrg((await u.web.get(`/orgs/${u.org.id}`)).text), { name: 'No Logo Srl' });
  await u.web.post('/orgs/switch', { _csrf, org_id: String(u.org.id), next: '/' });
  const removed = await u.web.post(`/orgs/${u.org.id}/logo/delete`, { _csrf });
  assert.equal(removed.status, 303);
  assert.deepEqual(headerOrg((await u.web.get('/')).text), { name: u.org.name });
});

test('deleting: what is missing is listed; a confirmation is needed; the back office marks it deleted', async () => {
  const u = await webUser();
  const _csrf = await u.web.csrf('/');
  const made = await u.web.post('/orgs/new', { _csrf, name: 'Short Lived', kind: 'company' });
  const orgId = Number(/(\d+)$/.exec(made.headers.get('location'))[1]);
  await upload(u.web, `/orgs/${orgId}/logo`, { _csrf }, { bytes: makePng(10, 10), type: 'image/png', name: 'l.png' });
  const r = await saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, { token: staff.token,
    body: { amount: { currency: 'EUR', minor: 700 }, reason: 'test credit' }, headers: { 'Idempotency-Key': `webdel-${orgId}` } });
  assert.equal(r.status, 201);
  const page = await u.web.get(`/orgs/${orgId}`);
  assert.match(page.text, /data-code="wallet_not_empty">Every wallet must be at zero[^<]*<strong>€7\.00<\/strong>/);
  assert.doesNotMatch(page.text, /action="\/orgs\/\d+\/delete"/, 'no delete button while blocked');
  const blocked = await u.web.post(`/orgs/${orgId}/delete`, { _csrf, confirm: 'yes' });
  assert.equal(blocked.status, 422);
  assert.match(blocked.text, /data-code="wallet_not_empty"/);
  // The personal organization could go now: this user belongs to two.
  const own = await u.web.get(`/orgs/${u.org.id}`);
  assert.match(own.text, /action="\/orgs\/\d+\/delete"/);
  const r2 = await saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, { token: staff.token,
    body: { amount: { currency: 'EUR', minor: -700 }, reason: 'withdrawal' }, headers: { 'Idempotency-Key': `webdel2-${orgId}` } });
  assert.equal(r2.status, 201);
  const unconfirmed = await u.web.post(`/orgs/${orgId}/delete`, { _csrf });
  assert.equal(unconfirmed.status, 422);
  assert.match(unconfirmed.text, /id="confirm-error">Tick the box to confirm\./);
  const done = await u.web.post(`/orgs/${orgId}/delete`, { _csrf, confirm: 'yes' });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/');
  const home = await u.web.get('/');
  assert.match(home.text, /The organization has been deleted\./);
  assert.deepEqual(headerOrg(home.text), { name: u.org.name }, 'back to the remaining one');
  assert.equal((await u.web.get(`/orgs/${orgId}`)).status, 404);
  // Now the personal organization is the only one: listed as a blocker.
  assert.match((await u.web.get(`/orgs/${u.org.id}`)).text, /data-code="personal_organization"/);

  // The back office: profile, logo, deleted mark.
  const sw = new WebClient(saldo.url);
  sw.jar.set('lang', 'en');
  const email = `orgstaff${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const login = await sw.post('/staff/login', { _csrf: await sw.csrf('/staff/login'), email, password: 'staff password 1' });
  assert.equal(login.status, 303);
  const gone = await sw.get(`/staff/orgs/${orgId}`);
  assert.equal(gone.status, 200);
  assert.match(gone.text, new RegExp(`Deleted organization #${orgId}`));
  assert.match(gone.text, /data-testid="deleted">Deleted /);
  assert.doesNotMatch(gone.text, /staff-org-logo/);
  await u.web.post(`/orgs/${u.org.id}`, { _csrf, name: u.org.name, kind: 'company', vat_id: 'IT12345678903', fiscal_code: '',
    sdi_code: '', pec: '', legal_name: 'Rossi Srl', legal_representative_user_id: String(u.user.id) });
  await upload(u.web, `/orgs/${u.org.id}/logo`, { _csrf }, { bytes: makePng(10, 10), type: 'image/png', name: 'l.png' });
  const live = await sw.get(`/staff/orgs/${u.org.id}`);
  assert.match(live.text, /data-testid="staff-profile"/);
  assert.match(live.text, /IT12345678903/);
  assert.match(live.text, /Rossi Srl/);
  const logo = /src="(\/staff\/orgs\/\d+\/logo\?v=[0-9a-f]+)"/.exec(live.text);
  assert.ok(logo, 'the logo is shown');
  const img = await sw.get(logo[1]);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal((await new WebClient(saldo.url).get(logo[1])).status, 303, 'staff only');
});
