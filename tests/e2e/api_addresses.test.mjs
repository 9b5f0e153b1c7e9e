// api_addresses.test.mjs - billing addresses and notification addresses over the
// API: validation naming the field (Italian CAP and province, ISO countries,
// lengths), the default rules, versions (an edit is a new id; the old id keeps
// its text), who may see what (404 for other organizations and for members
// without the billing right), and the administrator's email as the fallback
// of notification addresses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let doc;
before(async () => {
  saldo = await startSaldo();
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => { await saldo.stop(); });

const base = (org) => `/api/v1/orgs/${org}/billing-addresses`;
const milan = {
  recipient: 'Rossi S.r.l.', street: 'Via Dante 12', extra: 'Scala B', postal_code: '20121', city: 'Milano',
  province: 'MI', country: 'IT',
};
const berlin = { recipient: 'Anna Schmidt', street: 'Unter den Linden 5', postal_code: '10117', city: 'Berlin', country: 'DE' };

/** Makes user a member of org straight in the store (invitations are another feature). */
function addMember(org, user, { role = 'member', billing = 0 } = {}) {
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at)
             VALUES (${org}, ${user}, '${role}', ${billing}, ${Math.floor(Date.now() / 1000) + 1})`);
}

test('create, list and read addresses; the first one is the default', async () => {
  const u = await signUp(saldo);
  let r = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { addresses: [] });

  r = await saldo.api('POST', base(u.org.id), { token: u.token, body: milan });
  assert.equal(r.status, 201, r.text);
  const a = r.body;
  assert.equal(a.default, true, 'the first address is the default');
  for (const [k, v] of Object.entries(milan)) assert.equal(a[k], v, k);
  assert.equal(a.retired_at, null);
  assert.equal(a.replaced_by, null);
  assert.match(a.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  r = await saldo.api('POST', base(u.org.id), { token: u.token, body: berlin });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.default, false);
  assert.equal(r.body.extra, '');
  assert.equal(r.body.province, '');

  r = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.deepEqual(r.body.addresses.map((x) => x.recipient), ['Rossi S.r.l.', 'Anna Schmidt']);
  r = await saldo.api('GET', `${base(u.org.id)}/${a.id}`, { token: u.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.city, 'Milano');
});

test('spaces are trimmed and country and Italian province are upper-cased', async () => {
  const u = await signUp(saldo);
  const r = await saldo.api('POST', base(u.org.id), {
    token: u.token, body: { ...milan, recipient: '  Rossi  ', country: 'it', province: 'mi' },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.recipient, 'Rossi');
  assert.equal(r.body.country, 'IT');
  assert.equal(r.body.province, 'MI');
});

test('invalid fields are 422 naming the field, and nothing is saved', async () => {
  const u = await signUp(saldo);
  const cases = [
    [{ ...milan, recipient: undefined }, 'recipient', /is required/],
    [{ ...milan, recipient: '   ' }, 'recipient', /is required/],
    [{ ...milan, street: '' }, 'street', /is required/],
    [{ ...milan, city: 'x'.repeat(101) }, 'city', /too long/],
    [{ ...milan, recipient: 'x'.repeat(201) }, 'recipient', /too long/],
    [{ ...milan, extra: 'a\u0007b' }, 'extra', /not allowed/],
    [{ ...milan, street: 12 }, 'street', /must be a string/],
    [{ ...milan, country: 'XX' }, 'country', /ISO 3166/],
    [{ ...milan, country: 'ITA' }, 'country', /ISO 3166/],
    [{ ...milan, country: undefined }, 'country', /is required/],
    [{ ...milan, postal_code: '2012' }, 'postal_code', /five digits/],
    [{ ...milan, postal_code: '2O121' }, 'postal_code', /five digits/],
    [{ ...milan, postal_code: '' }, 'postal_code', /is required/],
    [{ ...milan, province: 'ZZ' }, 'province', /Italian province/],
    [{ ...milan, province: 'Milano' }, 'province', /Italian province/],
    [{ ...milan, province: '' }, 'province', /is required/],
    [{ ...berlin, postal_code: '1'.repeat(21) }, 'postal_code', /too long/],
    [{ ...berlin, province: 'p'.repeat(101) }, 'province', /too long/],
    [{ ...milan, default: 'yes' }, 'default', /true or false/],
  ];
  for (const [body, field, message] of cases) {
    const r = await saldo.api('POST', base(u.org.id), { token: u.token, body });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.match(r.body.error.message, message, r.text);
    assert.ok(r.body.error.message.startsWith(`${field}: `));
  }
  const r = await saldo.api('POST', base(u.org.id), { token: u.token, raw: '{"recipient":', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  const list = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.deepEqual(list.body.addresses, [], 'nothing was saved');
  // Other countries: no postal code or province needed, any text within limits.
  const ok = await saldo.api('POST', base(u.org.id), {
    token: u.token, body: { recipient: 'HK Ltd', street: '1 Queen\'s Road', city: 'Hong Kong', country: 'HK' },
  });
  assert.equal(ok.status, 201, ok.text);
});

test('default rules: one default, move it, delete the default, delete the last', async () => {
  const u = await signUp(saldo);
  const mk = async (body, extra = {}) => (await saldo.api('POST', base(u.org.id), { token: u.token, body: { ...body, ...extra } })).body;
  const a = await mk(milan);
  const b = await mk(berlin);
  const c = await mk({ ...berlin, recipient: 'Third' }, { default: true });
  assert.equal(c.default, true, 'default: true on creation takes the default');
  const defaults = async () => (await saldo.api('GET', base(u.org.id), { token: u.token })).body.addresses
    .filter((x) => x.default).map((x) => x.id);
  assert.deepEqual(await defaults(), [c.id]);

  let r = await saldo.api('POST', `${base(u.org.id)}/${b.id}/default`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.default, true);
  assert.deepEqual(await defaults(), [b.id]);
  r = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.equal(r.body.addresses[0].id, b.id, 'the default comes first');

  r = await saldo.api('DELETE', `${base(u.org.id)}/${b.id}`, { token: u.token });
  assert.equal(r.status, 204);
  assert.deepEqual(await defaults(), [a.id], 'the oldest remaining address becomes the default');
  r = await saldo.api('GET', `${base(u.org.id)}/${b.id}`, { token: u.token });
  assert.equal(r.status, 200, 'a deleted address can still be read by its id');
  assert.ok(r.body.retired_at);
  assert.equal(r.body.default, false);
  r = await saldo.api('POST', `${base(u.org.id)}/${b.id}/default`, { token: u.token });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'address_retired');
  r = await saldo.api('DELETE', `${base(u.org.id)}/${b.id}`, { token: u.token });
  assert.equal(r.status, 409);

  await saldo.api('DELETE', `${base(u.org.id)}/${a.id}`, { token: u.token });
  assert.deepEqual(await defaults(), [c.id]);
  await saldo.api('DELETE', `${base(u.org.id)}/${c.id}`, { token: u.token });
  assert.deepEqual(await defaults(), []);
  const d = await mk(berlin);
  assert.equal(d.default, true, 'the first address after none is the default again');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM billing_addresses WHERE org_id = ${u.org.id} AND is_default = 1`), '1');
});

test('an edit is a new version: the old id keeps the text a snapshot took', async () => {
  const u = await signUp(saldo);
  const a = (await saldo.api('POST', base(u.org.id), { token: u.token, body: milan })).body;
  const b = (await saldo.api('POST', base(u.org.id), { token: u.token, body: berlin })).body;
  let r = await saldo.api('PATCH', `${base(u.org.id)}/${a.id}`, { token: u.token, body: { street: 'Corso Como 1', extra: null } });
  assert.equal(r.status, 200, r.text);
  const a2 = r.body;
  assert.notEqual(a2.id, a.id, 'a new id');
  assert.equal(a2.street, 'Corso Como 1');
  assert.equal(a2.extra, '', 'null clears an optional field');
  assert.equal(a2.recipient, milan.recipient, 'fields not sent are kept');
  assert.equal(a2.default, true, 'the default moves to the new version');

  r = await saldo.api('GET', `${base(u.org.id)}/${a.id}`, { token: u.token });
  assert.equal(r.body.street, 'Via Dante 12', 'the old version keeps its text');
  assert.equal(r.body.extra, 'Scala B');
  assert.equal(r.body.replaced_by, a2.id);
  assert.ok(r.body.retired_at);
  r = await saldo.api('GET', base(u.org.id), { token: u.token });
  assert.deepEqual(r.body.addresses.map((x) => x.id), [a2.id, b.id], 'the list holds the live versions');

  r = await saldo.api('PATCH', `${base(u.org.id)}/${a.id}`, { token: u.token, body: { city: 'Roma' } });
  assert.equal(r.status, 409, 'an old version cannot be edited');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${a2.id}`, { token: u.token, body: { province: 'XX' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'province');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${a2.id}`, { token: u.token, body: { recipient: null } });
  assert.equal(r.status, 422, 'a required field cannot be cleared');
  assert.equal(r.body.error.field, 'recipient');
  r = await saldo.api('PATCH', `${base(u.org.id)}/${a2.id}`, { token: u.token, body: { city: 'Milano' } });
  assert.equal(r.body.id, a2.id, 'the same text makes no new version');

  r = await saldo.api('PATCH', `${base(u.org.id)}/${b.id}`, { token: u.token, body: { country: 'AT', city: 'Wien' } });
  assert.equal(r.body.default, false, 'a non-default stays non-default');
  // The text of a version cannot change even under the API.
  assert.throws(() => saldo.sql(`UPDATE billing_addresses SET street = 'x' WHERE id = ${a.id}`), /immutable/);
});

test('404 for another organization, for a member without billing right; members with it may', async () => {
  const owner = await signUp(saldo);
  const stranger = await signUp(saldo);
  const plain = await signUp(saldo);
  const payer = await signUp(saldo);
  addMember(owner.org.id, plain.user.id, { billing: 0 });
  addMember(owner.org.id, payer.user.id, { billing: 1 });
  const a = (await saldo.api('POST', base(owner.org.id), { token: owner.token, body: milan })).body;
  const mine = (await saldo.api('POST', base(stranger.org.id), { token: stranger.token, body: berlin })).body;
  const routes = [
    ['GET', base(owner.org.id)], ['POST', base(owner.org.id), milan], ['GET', `${base(owner.org.id)}/${a.id}`],
    ['PATCH', `${base(owner.org.id)}/${a.id}`, { city: 'Roma' }], ['DELETE', `${base(owner.org.id)}/${a.id}`],
    ['POST', `${base(owner.org.id)}/${a.id}/default`],
  ];
  for (const who of [stranger, plain]) {
    for (const [method, p, body] of routes) {
      const r = await saldo.api(method, p, { token: who.token, body });
      assert.equal(r.status, 404, `${method} ${p}: ${r.text}`);
    }
  }
  // Another organization's address id under one's own organization: 404 too.
  for (const [method, body] of [['GET'], ['PATCH', { city: 'X' }], ['DELETE'], ['POST']]) {
    const p = method === 'POST' ? `${base(owner.org.id)}/${mine.id}/default` : `${base(owner.org.id)}/${mine.id}`;
    const r = await saldo.api(method, p, { token: owner.token, body });
    assert.equal(r.status, 404, `${method} ${p}`);
  }
  for (const p of [`${base(owner.org.id)}/abc`, `${base(owner.org.id)}/0`, `${base(owner.org.id)}/99999999`]) {
    assert.equal((await saldo.api('GET', p, { token: owner.token })).status, 404, p);
  }
  assert.equal((await saldo.api('GET', `${base(owner.org.id)}/${a.id}`)).status, 401);
  let r = await saldo.api('GET', base(owner.org.id), { token: payer.token });
  assert.equal(r.status, 200);
  r = await saldo.api('POST', base(owner.org.id), { token: payer.token, body: berlin });
  assert.equal(r.status, 201, 'a member with the billing right may add addresses');
  assert.equal(saldo.sql(`SELECT street FROM billing_addresses WHERE id = ${a.id}`), 'Via Dante 12', 'nothing changed');
});

test('at most 50 live addresses per organization', async () => {
  const u = await signUp(saldo);
  const values = [];
  for (let i = 0; i < 50; i++) {
    values.push(`(${u.org.id}, 'R${i}', 'S', 'C', 'DE', ${i === 0 ? 1 : 0}, 0)`);
  }
  saldo.sql(`INSERT INTO billing_addresses (org_id, recipient, street, city, country, is_default, created_at) VALUES ${values.join(',')}`);
  const r = await saldo.api('POST', base(u.org.id), { token: u.token, body: berlin });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'too_many_addresses');
});

test('notification addresses: fallback to the first administrator, PUT the whole set', async () => {
  const owner = await signUp(saldo);
  const member = await signUp(saldo);
  const stranger = await signUp(saldo);
  addMember(owner.org.id, member.user.id, { billing: 1 });
  const p = `/api/v1/orgs/${owner.org.id}/notification-addresses`;
  let r = await saldo.api('GET', p, { token: owner.token });
  assert.equal(r.status, 200, r.text);
  for (const kind of ['billing', 'support', 'abuse', 'status']) {
    assert.deepEqual(r.body[kind], { address: null, effective: owner.email, fallback: true }, kind);
  }
  const set = { billing: 'Invoices@Example.test', support: null, abuse: 'abuse@example.test', status: null };
  r = await saldo.api('PUT', p, { token: owner.token, body: set });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.billing, { address: 'invoices@example.test', effective: 'invoices@example.test', fallback: false });
  assert.deepEqual(r.body.support, { address: null, effective: owner.email, fallback: true });
  assert.equal(r.body.abuse.address, 'abuse@example.test');

  r = await saldo.api('GET', p, { token: member.token });
  assert.equal(r.status, 200, 'members may read them');
  r = await saldo.api('PUT', p, { token: member.token, body: set });
  assert.equal(r.status, 403, 'only administrators may change them');
  for (const method of ['GET', 'PUT']) {
    r = await saldo.api(method, p, { token: stranger.token, body: method === 'PUT' ? set : undefined });
    assert.equal(r.status, 404, `${method} by another organization's user`);
  }

  for (const [body, field] of [
    [{ ...set, status: undefined }, 'status'],
    [{ ...set, support: 'not an email' }, 'support'],
    [{ ...set, abuse: 42 }, 'abuse'],
    [{ ...set, billing: '' }, 'billing'],
  ]) {
    r = await saldo.api('PUT', p, { token: owner.token, body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.field, field);
  }
  r = await saldo.api('GET', p, { token: owner.token });
  assert.equal(r.body.billing.address, 'invoices@example.test', 'a refused PUT changes nothing');

  r = await saldo.api('PUT', p, { token: owner.token, body: { billing: null, support: null, abuse: null, status: null } });
  assert.equal(r.body.billing.fallback, true, 'null goes back to the fallback');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM notification_addresses WHERE org_id = ${owner.org.id}`), '0');
});

test('answers match the OpenAPI document', async () => {
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const conforms = (method, template, answer) =>
    assertAnswer(doc, method, template, answer);
  const list = '/api/v1/orgs/{org_id}/billing-addresses';
  const one = `${list}/{address_id}`;
  conforms('GET', list, await saldo.api('GET', base(u.org.id), { token: u.token }));
  const created = await saldo.api('POST', base(u.org.id), { token: u.token, body: milan });
  conforms('POST', list, created);
  conforms('POST', list, await saldo.api('POST', base(u.org.id), { token: u.token, body: { ...milan, province: 'XX' } }));
  conforms('POST', list, await saldo.api('POST', base(other.org.id), { token: u.token, body: milan }));
  const id = created.body.id;
  const edited = await saldo.api('PATCH', `${base(u.org.id)}/${id}`, { token: u.token, body: { city: 'Monza', province: 'MB', postal_code: '20900' } });
  conforms('PATCH', one, edited);
  conforms('GET', one, await saldo.api('GET', `${base(u.org.id)}/${id}`, { token: u.token }));
  conforms('PATCH', one, await saldo.api('PATCH', `${base(u.org.id)}/${id}`, { token: u.token, body: { city: 'X' } }));
  conforms('GET', list, await saldo.api('GET', base(u.org.id), { token: u.token }));
  conforms('POST', `${one}/default`, await saldo.api('POST', `${base(u.org.id)}/${edited.body.id}/default`, { token: u.token }));
  conforms('DELETE', one, await saldo.api('DELETE', `${base(u.org.id)}/${edited.body.id}`, { token: u.token }));
  conforms('DELETE', one, await saldo.api('DELETE', `${base(u.org.id)}/${edited.body.id}`, { token: u.token }));
  const n = '/api/v1/orgs/{org_id}/notification-addresses';
  const np = `/api/v1/orgs/${u.org.id}/notification-addresses`;
  conforms('GET', n, await saldo.api('GET', np, { token: u.token }));
  conforms('PUT', n, await saldo.api('PUT', np, { token: u.token, body: { billing: 'a@example.test', support: null, abuse: null, status: null } }));
  conforms('PUT', n, await saldo.api('PUT', np, { token: u.token, body: { billing: 'nope' } }));
  conforms('GET', n, await saldo.api('GET', `/api/v1/orgs/${other.org.id}/notification-addresses`, { token: u.token }));
});
