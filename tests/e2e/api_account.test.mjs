// api_account.test.mjs - a user's own data over the API: the export (its
// content, and no secret in it) and deleting one's own account (refused while
// the last administrator of an organization with other members or money; the
// password and the two-factor code; what is erased and what is kept; the email
// free again for a new sign-up).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { providerDay, signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { totp } from './lib/totp.mjs';

let saldo;
let staff;
let doc;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => { await saldo.stop(); });

const conforms = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);

let keyNo = 0;
const adjust = (orgId, minor) => saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, {
  token: staff.token, body: { amount: { currency: 'EUR', minor }, reason: 'test adjustment' },
  headers: { 'Idempotency-Key': `acct-${++keyNo}` },
});

function addMember(org, user, { role = 'member', billing = 0 } = {}) {
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, created_at)
             VALUES (${org}, ${user}, '${role}', ${billing}, ${Math.floor(Date.now() / 1000) + 1})`);
}

const milan = { recipient: 'Rossi S.r.l.', street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI', country: 'IT' };

/** Turns two-factor on; returns {secret, codes}. */
async function enableTwoFactor(u) {
  const setup = await saldo.api('POST', '/api/v1/me/2fa/setup', { token: u.token });
  const secret = setup.body.secret;
  const confirm = await saldo.api('POST', '/api/v1/me/2fa/confirm', { token: u.token, body: { otp: totp(secret) } });
  assert.equal(confirm.status, 200, confirm.text);
  return { secret, codes: confirm.body.recovery_codes };
}

test('the export holds the user\'s data and no secret', async () => {
  const u = await signUp(saldo, { name: 'Export Person' });
  const other = await signUp(saldo);
  addMember(other.org.id, u.user.id, { billing: 0 });
  await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { recovery_email: 'backup@example.test' } });
  const tok = await saldo.api('POST', '/api/v1/tokens', { token: u.token, body: { name: 'backup script' } });
  await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token, body: milan });
  await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`, {
    token: u.token, body: { billing: 'invoices@example.test', support: null, abuse: null, status: null },
  });
  await adjust(u.org.id, 1234);
  const { secret, codes } = await enableTwoFactor(u);

  const r = await saldo.api('GET', '/api/v1/me/export', { token: u.token });
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/me/export', r);
  const today = providerDay(); // today in Italy (a run across midnight there may see the next day)
  assert.ok([today, providerDay(Date.now() - 60000)].some((d) => r.headers.get('content-disposition')
    === `attachment; filename="saldo-export-${d}.json"`), r.headers.get('content-disposition'));
  const e = r.body;
  assert.equal(e.format, 'saldo-export/1');
  assert.equal(e.user.email, u.email);
  assert.equal(e.user.name, 'Export Person');
  assert.equal(e.user.recovery_email, 'backup@example.test');
  assert.deepEqual(e.two_factor, { enabled: true, recovery_codes_left: 10 });
  assert.ok(e.sessions.length >= 1 && e.sessions.every((s) => s.kind !== 'token'));
  assert.deepEqual(e.api_tokens.map((t) => t.name), ['backup script']);
  assert.deepEqual(e.email_tokens.map((t) => t.purpose), ['verify']);
  assert.deepEqual(e.memberships.map((m) => [m.id, m.role, m.billing]),
    [[u.org.id, 'admin', true], [other.org.id, 'member', false]]);
  assert.deepEqual(e.organizations.map((o) => o.id), [u.org.id], 'only the organizations they administer');
  assert.equal(e.organizations[0].billing_addresses[0].street, 'Via Dante 12');
  assert.equal(e.organizations[0].notification_addresses.billing.address, 'invoices@example.test');
  assert.deepEqual(e.wallets.map((w) => w.organization_id), [u.org.id], 'only the money they may see');
  assert.equal(e.wallets[0].wallets[0].balance.minor, 1234);
  assert.equal(e.wallets[0].transactions[0].amount.minor, 1234);
  assert.ok(Array.isArray(e.audit));

  // No secret anywhere in the file.
  const text = r.text;
  const secrets = [
    u.token, tok.body.token, secret, ...codes,
    ...saldo.sql(`SELECT token_hash FROM sessions WHERE user_id = ${u.user.id}`).split('\n'),
    ...saldo.sql(`SELECT csrf_token FROM sessions WHERE user_id = ${u.user.id} AND csrf_token IS NOT NULL`).split('\n'),
    ...saldo.sql(`SELECT token_hash FROM email_tokens WHERE user_id = ${u.user.id}`).split('\n'),
    ...saldo.sql(`SELECT code_hash FROM recovery_codes WHERE user_id = ${u.user.id}`).split('\n'),
    saldo.sql(`SELECT password_hash FROM users WHERE id = ${u.user.id}`),
    saldo.sql(`SELECT totp_sealed FROM users WHERE id = ${u.user.id}`),
  ].filter(Boolean);
  assert.ok(secrets.length >= 10);
  for (const s of secrets) assert.ok(!text.includes(s), `the export contains a secret: ${s.slice(0, 12)}...`);
  assert.doesNotMatch(text, /argon2|token_hash|csrf|totp_sealed|password/i);

  assert.equal((await saldo.api('GET', '/api/v1/me/export')).status, 401);
});

test('deletion is refused while the last administrator of an organization with other members', async () => {
  const u = await signUp(saldo);
  const member = await signUp(saldo);
  addMember(u.org.id, member.user.id);
  const r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 422, r.text);
  conforms('DELETE', '/api/v1/me', r);
  assert.equal(r.body.error.code, 'account_in_use');
  assert.deepEqual(r.body.error.organizations, [{ id: u.org.id, name: u.org.name, reason: 'last_admin' }]);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 200, 'nothing changed');
  // With a second administrator the first may go; the organization stays with the other.
  saldo.sql(`UPDATE memberships SET role = 'admin' WHERE org_id = ${u.org.id} AND user_id = ${member.user.id}`);
  const ok = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(ok.status, 204, ok.text);
  const me = await saldo.api('GET', '/api/v1/me', { token: member.token });
  assert.deepEqual(me.body.organizations.map((o) => [o.id, o.name]), [[member.org.id, member.org.name], [u.org.id, u.org.name]]);
});

test('deletion is refused while the only member of an organization with money: withdraw first', async () => {
  const u = await signUp(saldo);
  await adjust(u.org.id, 500);
  let r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.error.organizations, [{ id: u.org.id, name: u.org.name, reason: 'balance' }]);
  assert.match(r.body.error.message, /withdraw/);
  await adjust(u.org.id, -500);
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 204, r.text);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id OR a.id = t.debit_account_id WHERE a.org_id = ${u.org.id}`), '2', 'ledger lines are kept');
});

test('the password and, with two-factor on, a code are needed', async () => {
  const u = await signUp(saldo);
  let r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: {} });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'password');
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: 'wrong password!' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'password');
  conforms('DELETE', '/api/v1/me', r);
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, raw: 'nope', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  const { codes } = await enableTwoFactor(u);
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'otp_required');
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password, otp: '000000' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_otp');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 200, 'nothing changed');
  r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password, otp: codes[0] } });
  assert.equal(r.status, 204, r.text);
  conforms('DELETE', '/api/v1/me', r);
  assert.equal(saldo.sql(`SELECT CASE WHEN totp_sealed IS NULL AND totp_enabled_at IS NULL THEN 1 ELSE 0 END FROM users WHERE id = ${u.user.id}`), '1');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = ${u.user.id}`), '0');
});

test('a deleted account: data erased, sessions revoked, organizations handled, the email free again', async () => {
  const u = await signUp(saldo, { name: 'Gone Person' });
  const shared = await signUp(saldo);
  addMember(shared.org.id, u.user.id, { billing: 1 });
  await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { recovery_email: 'backup@example.test' } });
  const tok = await saldo.api('POST', '/api/v1/tokens', { token: u.token, body: { name: 'ci' } });
  await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token, body: milan });
  await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`, {
    token: u.token, body: { billing: 'invoices@example.test', support: null, abuse: null, status: null },
  });
  const r = await saldo.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 204, r.text);

  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401, 'the session is revoked');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: tok.body.token })).status, 401, 'API tokens too');
  const login = await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
  assert.equal(login.status, 401);
  const row = saldo.sql(`SELECT email, name, password_hash, CASE WHEN recovery_email IS NULL THEN 1 ELSE 0 END FROM users WHERE id = ${u.user.id}`);
  assert.equal(row, `deleted-${u.user.id}@invalid|Deleted user|!|1`);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM memberships WHERE user_id = ${u.user.id}`), '0');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM email_tokens WHERE user_id = ${u.user.id} AND used_at IS NULL`), '0');
  // Their own organization is deleted with its addresses; the shared one stays.
  assert.equal(saldo.sql(`SELECT name FROM orgs WHERE id = ${u.org.id}`), `Deleted organization #${u.org.id}`);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM billing_addresses WHERE org_id = ${u.org.id}`), '0');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM notification_addresses WHERE org_id = ${u.org.id}`), '0');
  const me = await saldo.api('GET', '/api/v1/me', { token: shared.token });
  assert.deepEqual(me.body.organizations.map((o) => o.id), [shared.org.id]);
  const staffView = await saldo.api('GET', `/api/v1/staff/orgs/${shared.org.id}`, { token: staff.token });
  assert.deepEqual(staffView.body.organization.members.map((m) => m.email), [shared.email]);

  // The address can sign up again, as a new account.
  const again = await signUp(saldo, { email: u.email });
  assert.notEqual(again.user.id, u.user.id);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: again.token })).body.user.email, u.email);
});
