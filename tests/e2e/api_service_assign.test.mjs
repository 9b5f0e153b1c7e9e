// api_service_assign.test.mjs - resellers' associate over the API and mail: a
// reseller assigns a service to an end customer's email, the end customer gets
// the instructions and a claim link, claims it into an organization of their
// own and sees it read-only "managed by" the reseller, which keeps owning it
// and seeing its status; refusals change nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { addCategory, addProduct, addService, makeReseller } from './lib/catalog_fixture.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let smtp;
let doc;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const svc = (org, id) => `/api/v1/orgs/${org}/services/${id}`;

test('assign, mail with instructions and link, claim, read-only for the end customer', async () => {
  const reseller = await signUp(saldo, { name: 'Rita Reseller' });
  const customer = await signUp(saldo, { language: 'it' });
  const outsider = await signUp(saldo);
  makeReseller(saldo, reseller.org.id);
  const prod = addProduct(saldo, addCategory(saldo), { name: 'PEC Box', it: 'Configura il client con imap.pec.example' });
  const id = addService(saldo, reseller.org.id, prod, { status: 'active', label: 'pec.cliente.it' });

  let r = await saldo.api('POST', `${svc(reseller.org.id, id)}/assignment`,
    { token: reseller.token, body: { email: customer.email.toUpperCase() } });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'post', '/api/v1/orgs/{org_id}/services/{service_id}/assignment', r);
  assert.deepEqual(r.body.assignment, { email: customer.email, claimed: false });
  const mail = await smtp.waitFor(customer.email, (m) => /PEC Box/.test(m.subject));
  assert.match(mail.text, /Configura il client con imap\.pec\.example/, 'instructions in the Italian of the account');
  const token = /\/claims\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];

  r = await saldo.api('POST', `/api/v1/service-claims/${token}/accept`, { token: customer.token, body: { org_id: outsider.org.id } });
  assert.equal(r.status, 422, 'not their organization');
  assert.equal(r.body.error.field, 'org_id');
  r = await saldo.api('POST', `/api/v1/service-claims/${token}/accept`, { token: customer.token, body: {} });
  assert.equal(r.body.error.field, 'org_id');
  r = await saldo.api('POST', `/api/v1/service-claims/${token}/accept`, { token: reseller.token, body: { org_id: reseller.org.id } });
  assert.equal(r.status, 422, 'not into the reseller itself');
  const forged = (token[0] === 'x' ? 'y' : 'x') + token.slice(1); /* never the token itself (1 in 64 began with x) */
  r = await saldo.api('POST', `/api/v1/service-claims/${forged}/accept`, { token: customer.token, body: { org_id: customer.org.id } });
  assert.equal(r.status, 404);
  r = await saldo.api('GET', `/api/v1/orgs/${customer.org.id}/services`, { token: customer.token });
  assert.deepEqual(r.body.services, [], 'nothing before the claim');

  r = await saldo.api('POST', `/api/v1/service-claims/${token}/accept`, { token: customer.token, body: { org_id: customer.org.id } });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'post', '/api/v1/service-claims/{token}/accept', r);
  assert.deepEqual(r.body.managed_by, { org_id: reseller.org.id, name: reseller.org.name });
  r = await saldo.api('POST', `/api/v1/service-claims/${token}/accept`, { token: customer.token, body: { org_id: customer.org.id } });
  assert.equal(r.status, 404, 'a link works once');

  r = await saldo.api('GET', `/api/v1/orgs/${customer.org.id}/services`, { token: customer.token });
  assert.deepEqual(r.body.services.map((s) => [s.id, s.status, s.managed_by.org_id]), [[id, 'active', reseller.org.id]]);
  r = await saldo.api('PATCH', svc(customer.org.id, id), { token: customer.token, body: { auto_renew: true } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'managed_by_reseller');
  r = await saldo.api('POST', `${svc(customer.org.id, id)}/assignment`, { token: customer.token, body: { email: outsider.email } });
  assert.equal(r.status, 403, 'only the owner assigns');
  assert.equal(r.body.error.code, 'managed_by_reseller');
  r = await saldo.api('GET', svc(outsider.org.id, id), { token: outsider.token });
  assert.equal(r.status, 404);

  r = await saldo.api('GET', svc(reseller.org.id, id), { token: reseller.token });
  assert.deepEqual(r.body.assignment, { email: customer.email, claimed: true });
  assert.equal(r.body.managed_by, null);
  r = await saldo.api('POST', `${svc(reseller.org.id, id)}/assignment`, { token: reseller.token, body: { email: outsider.email } });
  assert.equal(r.status, 409, 'claimed: remove it first');

  r = await saldo.api('DELETE', `${svc(reseller.org.id, id)}/assignment`, { token: reseller.token });
  assert.equal(r.status, 204);
  r = await saldo.api('GET', `/api/v1/orgs/${customer.org.id}/services`, { token: customer.token });
  assert.deepEqual(r.body.services, [], 'the end customer stops seeing it');
  r = await saldo.api('DELETE', `${svc(reseller.org.id, id)}/assignment`, { token: reseller.token });
  assert.equal(r.status, 404);
  r = await saldo.api('GET', `/api/v1/orgs/${reseller.org.id}/audit`, { token: reseller.token });
  const actions = r.body.entries.map((e) => e.action);
  for (const a of ['service.assigned', 'service.claimed', 'service.unassigned']) assert.ok(actions.includes(a), a);
});

test('only resellers assign, only administrators, and the email is checked', async () => {
  const plain = await signUp(saldo);
  const id = addService(saldo, plain.org.id, addProduct(saldo, addCategory(saldo)));
  let r = await saldo.api('POST', `${svc(plain.org.id, id)}/assignment`, { token: plain.token, body: { email: 'a@example.test' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_reseller');
  makeReseller(saldo, plain.org.id);
  for (const email of ['not-an-email', '', null]) {
    r = await saldo.api('POST', `${svc(plain.org.id, id)}/assignment`, { token: plain.token, body: { email } });
    assert.equal(r.status, 422, String(email));
    assert.equal(r.body.error.field, 'email');
  }
  r = await saldo.api('GET', svc(plain.org.id, id), { token: plain.token });
  assert.equal(r.body.assignment, null, 'refusals changed nothing');
  r = await saldo.api('POST', `${svc(plain.org.id, id)}/assignment`, { token: plain.token, body: { email: 'first@example.test' } });
  assert.equal(r.status, 200);
  r = await saldo.api('POST', `${svc(plain.org.id, id)}/assignment`, { token: plain.token, body: { email: 'second@example.test' } });
  assert.equal(r.body.assignment.email, 'second@example.test', 'an unclaimed assignment is replaced');
  const first = await smtp.waitFor('first@example.test');
  const old = /\/claims\/([A-Za-z0-9_-]{43})/.exec(first.text)[1];
  const other = await signUp(saldo);
  r = await saldo.api('POST', `/api/v1/service-claims/${old}/accept`, { token: other.token, body: { org_id: other.org.id } });
  assert.equal(r.status, 404, 'the replaced link is dead');
});
