// api_auth.test.mjs - sign-up, verification mail, sessions, me, API tokens,
// login rate limiting and password reset, over real HTTP with a real SMTP server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';

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

const tokenFrom = (mail) => /token=([A-Za-z0-9_-]{43})/.exec(mail.text)[1];

test('sign-up creates the user and an organization named after them', async () => {
  const r = await saldo.api('POST', '/api/v1/signup', {
    body: { email: 'Giulia.Bianchi@Example.test', password: 'una password lunga', name: 'Giulia Bianchi',
      country: 'IT', language: 'it' },
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.user.email, 'giulia.bianchi@example.test');
  assert.ok(r.body.user.id > 0);
  assert.deepEqual(Object.keys(r.body.organization).sort(), ['id', 'name']);
  assert.equal(r.body.organization.name, 'Giulia Bianchi');
});

test('a duplicate email is 409 and creates nothing', async () => {
  const body = { email: 'dup@example.test', password: 'long enough pw', name: 'Dup', country: 'IT', language: 'en' };
  assert.equal((await saldo.api('POST', '/api/v1/signup', { body })).status, 201);
  const again = await saldo.api('POST', '/api/v1/signup', { body: { ...body, email: 'DUP@example.test' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'email_taken');
  assert.equal(again.body.error.field, 'email');
});

test('bad sign-up input is 422 naming the field, or 400 for malformed JSON', async () => {
  const good = { email: 'x1@example.test', password: 'long enough pw', name: 'X', country: 'IT', language: 'en' };
  const cases = [
    [{ ...good, password: 'short' }, 'password'],
    [{ ...good, email: 'not-an-email' }, 'email'],
    [{ ...good, name: '' }, 'name'],
    [{ ...good, country: 'ITA' }, 'country'],
    [{ ...good, country: 'it' }, 'country'],
    [{ ...good, country: 'XX' }, 'country'],
    [{ ...good, country: 'EL' }, 'country'],
    [{ ...good, language: 'fr' }, 'language'],
    [{ ...good, name: 42 }, 'name'],
    [{ ...good, name: 'a\u0007b' }, 'name'],
    [{ email: 'x1@example.test', password: 'long enough pw', name: 'X', country: 'IT' }, 'language'],
  ];
  for (const [body, field] of cases) {
    const r = await saldo.api('POST', '/api/v1/signup', { body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, new RegExp(`^${field}:`));
  }
  for (const raw of ['{"email": ', '[1, 2]', '{"name": "a\\u0000b"}', '{"a": 1, "a": 2}']) {
    const bad = await saldo.api('POST', '/api/v1/signup', { raw, headers: { 'Content-Type': 'application/json' } });
    assert.equal(bad.status, 400, raw);
    assert.equal(bad.body.error.code, 'malformed_json');
  }
  const me = await saldo.api('POST', '/api/v1/sessions', { body: { email: 'x1@example.test', password: 'long enough pw' } });
  assert.equal(me.status, 401, 'nothing was created by the refused sign-ups');
});

test('the verification mail arrives in the chosen language and its link verifies once', async () => {
  const u = await signUp(saldo, { language: 'it' });
  const mail = await smtp.waitFor(u.email, (m) => /Conferma/.test(m.subject));
  assert.match(mail.text, /Ciao Test User/);
  const token = tokenFrom(mail);
  let me = await saldo.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.body.user.email_verified, false);
  const v = await saldo.api('POST', '/api/v1/email/verify', { body: { token } });
  assert.equal(v.status, 200);
  me = await saldo.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.body.user.email_verified, true);
  const again = await saldo.api('POST', '/api/v1/email/verify', { body: { token } });
  assert.equal(again.status, 422);
  assert.equal(again.body.error.code, 'invalid_token');
});

test('sessions: login, me with organizations and role, logout', async () => {
  const u = await signUp(saldo);
  const me = await saldo.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.email, u.email);
  assert.deepEqual(me.body.organizations.map((o) => [o.id, o.role]), [[u.org.id, 'admin']]);
  assert.equal((await saldo.api('DELETE', '/api/v1/sessions/current', { token: u.token })).status, 204);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401);
  assert.equal((await saldo.api('GET', '/api/v1/me')).status, 401);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: 'x'.repeat(43) })).status, 401);
});

test('unknown email and wrong password get the same answer', async () => {
  const u = await signUp(saldo);
  const wrong = await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: 'wrong password!' } });
  const unknown = await saldo.api('POST', '/api/v1/sessions', { body: { email: 'nobody@example.test', password: 'wrong password!' } });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
});

test('failed logins are slowed down per account', async () => {
  const u = await signUp(saldo);
  const statuses = [];
  for (let i = 0; i < 7; i++) {
    statuses.push((await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: `bad password ${i}` } })).status);
  }
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.equal(statuses[6], 429);
  const blocked = await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
  assert.equal(blocked.status, 429, 'even the right password waits');
  assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
});

test('PATCH /me changes name, language and recovery email', async () => {
  const u = await signUp(saldo);
  const r = await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { name: 'New Name', language: 'it', recovery_email: 'Backup@Example.test' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.user.name, 'New Name');
  assert.equal(r.body.user.language, 'it');
  assert.equal(r.body.user.recovery_email, 'backup@example.test');
  const bad = await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { recovery_email: 'nope' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'recovery_email');
  for (const field of ['name', 'language']) {
    const nulled = await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { [field]: null } });
    assert.equal(nulled.status, 422, field);
    assert.equal(nulled.body.error.field, field);
  }
  const cleared = await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { recovery_email: null } });
  assert.equal(cleared.body.user.recovery_email, null);
});

test('password reset: mailed to the recovery address, single use, ends other sessions', async () => {
  const u = await signUp(saldo);
  await saldo.api('PATCH', '/api/v1/me', { token: u.token, body: { recovery_email: `rec.${u.email}` } });
  const forgot = await saldo.api('POST', '/api/v1/password/forgot', { body: { email: u.email } });
  assert.equal(forgot.status, 202);
  const unknown = await saldo.api('POST', '/api/v1/password/forgot', { body: { email: 'ghost@example.test' } });
  assert.equal(unknown.status, 202);
  assert.deepEqual(unknown.body, forgot.body, 'the answer does not reveal whether the account exists');
  const mail = await smtp.waitFor(`rec.${u.email}`, (m) => /password/i.test(m.subject));
  const token = tokenFrom(mail);
  const short = await saldo.api('POST', '/api/v1/password/reset', { body: { token, password: 'short' } });
  assert.equal(short.status, 422);
  assert.equal(short.body.error.field, 'password');
  const ok = await saldo.api('POST', '/api/v1/password/reset', { body: { token, password: 'a brand new password' } });
  assert.equal(ok.status, 200);
  const reuse = await saldo.api('POST', '/api/v1/password/reset', { body: { token, password: 'yet another password' } });
  assert.equal(reuse.status, 422);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401);
  const login = await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: 'a brand new password' } });
  assert.equal(login.status, 201);
});

test('API tokens: created once, listed without the secret, revoked', async () => {
  const u = await signUp(saldo);
  const c = await saldo.api('POST', '/api/v1/tokens', { token: u.token, body: { name: 'backup script' } });
  assert.equal(c.status, 201);
  assert.equal(c.body.token.length, 43);
  const me = await saldo.api('GET', '/api/v1/me', { token: c.body.token });
  assert.equal(me.status, 200);
  const list = await saldo.api('GET', '/api/v1/tokens', { token: u.token });
  assert.deepEqual(list.body.tokens.map((t) => t.name), ['backup script']);
  assert.equal(list.body.tokens[0].token, undefined);
  const other = await signUp(saldo);
  assert.equal((await saldo.api('DELETE', `/api/v1/tokens/${c.body.id}`, { token: other.token })).status, 404);
  const sessionId = Number(saldo.sql(`SELECT id FROM sessions WHERE user_id = ${u.user.id} AND kind = 'api'`));
  assert.equal((await saldo.api('DELETE', `/api/v1/tokens/${sessionId}`, { token: u.token })).status, 404,
    'only API tokens are revoked here, not sessions');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 200);
  assert.equal((await saldo.api('DELETE', `/api/v1/tokens/${c.body.id}`, { token: u.token })).status, 204);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: c.body.token })).status, 401);
});

test('an expired reset link is refused; an expired session is signed out', async () => {
  const u = await signUp(saldo);
  await saldo.api('POST', '/api/v1/password/forgot', { body: { email: u.email } });
  const mail = await smtp.waitFor(u.email, (m) => /password/i.test(m.subject));
  saldo.sql(`UPDATE email_tokens SET expires_at = created_at - 1 WHERE purpose = 'reset' AND user_id = ${u.user.id}`);
  const r = await saldo.api('POST', '/api/v1/password/reset', { body: { token: tokenFrom(mail), password: 'another long password' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_token');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 200);
  saldo.sql(`UPDATE sessions SET expires_at = created_at - 1 WHERE user_id = ${u.user.id}`);
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401);
  const login = await saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password } });
  assert.equal(login.status, 201, 'the old password still works: the expired link changed nothing');
});

test('SQL metacharacters in text fields are stored and returned as text', async () => {
  const name = "Robert'); DROP TABLE users;-- \"%_\\";
  const u = await signUp(saldo, { name });
  const me = await saldo.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.body.user.name, name);
  assert.equal(me.body.organizations[0].name, name);
  assert.equal(saldo.sql('SELECT COUNT(*) > 0 FROM users').replace('t', '1'), '1');
});
