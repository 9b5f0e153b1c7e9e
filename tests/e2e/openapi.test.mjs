// openapi.test.mjs - the OpenAPI document the server serves at /api/v1/openapi.json
// (docs/openapi.json, embedded) describes what the server really answers: real
// requests of each kind, their statuses documented and their bodies valid
// against the document's response schemas. tests/unit/feature/test_openapi.c
// checks the routes themselves; this checks the shapes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { check, checkAnswer } from './lib/schema.mjs';

let saldo;
let doc;
before(async () => {
  saldo = await startSaldo();
  const r = await fetch(`${saldo.url}/api/v1/openapi.json`);
  assert.equal(r.status, 200);
  doc = await r.json();
});
after(async () => saldo.stop());

/** Asserts that a real answer is documented for the operation and fits its schema. */
function conforms(method, template, answer) {
  const errors = checkAnswer(doc, method, template, answer);
  assert.deepEqual(errors, [], `${method} ${template} ${answer.status}: ${answer.text}`);
}

test('the document is served as JSON with an ETag, public, and is OpenAPI 3.1', async () => {
  const r = await saldo.api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.body.openapi, '3.1.0');
  assert.ok(Object.keys(r.body.paths).length >= 20);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await saldo.api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  assert.equal(again.headers.get('etag'), etag);
  const stale = await saldo.api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': '"0"' } });
  assert.equal(stale.status, 200);
  conforms('GET', '/api/v1/openapi.json', r);
});

test('the schema checker catches what it should (so the checks below mean something)', () => {
  const money = { $ref: '#/components/schemas/Money' };
  assert.deepEqual(check(money, { currency: 'EUR', minor: 5, display: '€0.05' }, doc), []);
  assert.notDeepEqual(check(money, { currency: 'EUR', minor: 0.5, display: 'x' }, doc), []);
  assert.notDeepEqual(check(money, { currency: 'eur', minor: 5, display: 'x' }, doc), []);
  assert.notDeepEqual(check(money, { currency: 'EUR', minor: 5 }, doc), []);
  assert.notDeepEqual(check(money, { currency: 'EUR', minor: 5, display: 'x', extra: 1 }, doc), []);
  const error = { $ref: '#/components/schemas/Error' };
  assert.deepEqual(check(error, { error: { code: 'not_found', message: 'no' } }, doc), []);
  assert.notDeepEqual(check(error, { error: { message: 'no' } }, doc), []);
  assert.notDeepEqual(check({ $ref: '#/components/schemas/Transaction/properties/direction' }, 'sideways', doc), []);
  assert.notDeepEqual(check({ $ref: '#/components/schemas/Id' }, 0, doc), []);
  assert.throws(() => check({ not: {} }, 1, doc), /not supported/);
});

test('account answers match the document', async () => {
  const email = `openapi${Date.now()}@example.test`;
  const password = 'correct horse battery';
  const signup = await saldo.api('POST', '/api/v1/signup',
    { body: { email, password, name: 'Open Api', country: 'IT', language: 'en' } });
  assert.equal(signup.status, 201);
  conforms('POST', '/api/v1/signup', signup);
  const taken = await saldo.api('POST', '/api/v1/signup',
    { body: { email, password, name: 'Open Api', country: 'IT', language: 'en' } });
  assert.equal(taken.status, 409);
  conforms('POST', '/api/v1/signup', taken);
  const invalid = await saldo.api('POST', '/api/v1/signup',
    { body: { email: 'x@example.test', password: 'short', name: 'X', country: 'IT', language: 'en' } });
  assert.equal(invalid.status, 422);
  conforms('POST', '/api/v1/signup', invalid);
  const session = await saldo.api('POST', '/api/v1/sessions', { body: { email, password } });
  assert.equal(session.status, 201);
  conforms('POST', '/api/v1/sessions', session);
  const wrong = await saldo.api('POST', '/api/v1/sessions', { body: { email, password: 'not the password' } });
  assert.equal(wrong.status, 401);
  conforms('POST', '/api/v1/sessions', wrong);
  const { token } = session.body;
  const me = await saldo.api('GET', '/api/v1/me', { token });
  assert.equal(me.status, 200);
  conforms('GET', '/api/v1/me', me);
  const patched = await saldo.api('PATCH', '/api/v1/me', { token, body: { recovery_email: 'backup@example.test' } });
  assert.equal(patched.status, 200);
  conforms('PATCH', '/api/v1/me', patched);
  const anonymous = await saldo.api('GET', '/api/v1/me');
  assert.equal(anonymous.status, 401);
  conforms('GET', '/api/v1/me', anonymous);
  const created = await saldo.api('POST', '/api/v1/tokens', { token, body: { name: 'ci' } });
  assert.equal(created.status, 201);
  conforms('POST', '/api/v1/tokens', created);
  conforms('GET', '/api/v1/tokens', await saldo.api('GET', '/api/v1/tokens', { token }));
  conforms('DELETE', '/api/v1/tokens/{token_id}', await saldo.api('DELETE', '/api/v1/tokens/999999', { token }));
  conforms('POST', '/api/v1/email/verify', await saldo.api('POST', '/api/v1/email/verify', { body: { token: 'nope' } }));
  conforms('POST', '/api/v1/password/forgot', await saldo.api('POST', '/api/v1/password/forgot', { body: { email } }));
  conforms('DELETE', '/api/v1/sessions/current', await saldo.api('DELETE', '/api/v1/sessions/current', { token }));
});

test('wallet, transaction and staff answers match the document', async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const orgPath = `/api/v1/staff/orgs/${u.org.id}`;
  const adjust = (minor, key) => saldo.api('POST', `${orgPath}/adjustments`,
    { token: staff.token, body: { amount: { currency: 'EUR', minor }, reason: 'openapi check' },
      headers: { 'Idempotency-Key': key } });
  for (const [i, minor] of [1000, 250, -100].entries()) {
    const r = await adjust(minor, `openapi-${i}`);
    assert.equal(r.status, 201);
    conforms('POST', '/api/v1/staff/orgs/{org_id}/adjustments', r);
  }
  const poor = await adjust(-1000000, 'openapi-poor');
  assert.equal(poor.status, 422);
  conforms('POST', '/api/v1/staff/orgs/{org_id}/adjustments', poor);
  const reused = await adjust(5, 'openapi-0');
  assert.equal(reused.status, 409);
  conforms('POST', '/api/v1/staff/orgs/{org_id}/adjustments', reused);

  const wallets = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  assert.equal(wallets.status, 200);
  assert.equal(wallets.body.wallets.length, 1);
  conforms('GET', '/api/v1/orgs/{org_id}/wallets', wallets);
  const page = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions?limit=2`, { token: u.token });
  assert.equal(page.status, 200);
  assert.equal(page.body.transactions.length, 2);
  assert.ok(page.body.next_cursor);
  conforms('GET', '/api/v1/orgs/{org_id}/transactions', page);
  const badLimit = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions?limit=0`, { token: u.token });
  assert.equal(badLimit.status, 422);
  conforms('GET', '/api/v1/orgs/{org_id}/transactions', badLimit);
  const other = await signUp(saldo);
  const notYours = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: other.token });
  assert.equal(notYours.status, 404);
  conforms('GET', '/api/v1/orgs/{org_id}/wallets', notYours);

  const search = await saldo.api('GET', `/api/v1/staff/orgs?q=${encodeURIComponent(u.email)}`, { token: staff.token });
  assert.equal(search.body.organizations.length, 1);
  conforms('GET', '/api/v1/staff/orgs', search);
  conforms('GET', '/api/v1/staff/orgs/{org_id}', await saldo.api('GET', orgPath, { token: staff.token }));
  conforms('GET', '/api/v1/staff/orgs/{org_id}/transactions',
    await saldo.api('GET', `${orgPath}/transactions`, { token: staff.token }));
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  assert.ok(audit.body.entries.length >= 3);
  conforms('GET', '/api/v1/staff/audit', audit);
  conforms('GET', '/api/v1/staff/audit', await saldo.api('GET', '/api/v1/staff/audit', { token: u.token }));
});
