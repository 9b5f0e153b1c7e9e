// security_login.test.mjs - guessing is slowed down: wrong passwords for one
// account, or from one address, end in 429 with Retry-After, the right password
// is refused while it lasts and accepted once the wait is over (the failure
// rows aged in the database); wrong 2FA codes count the same. Password reset
// links work once, expire, die when a newer one is sent or the password
// changes, sign every session out, and the request never reveals whether an
// account exists.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { totp } from './lib/totp.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let smtp;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
});
/* All tests sign in from 127.0.0.1: one test's failures must not lock the next. */
afterEach(() => { saldo.sql("DELETE FROM login_failures WHERE scope = 'ip'"); });
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const login = (email, password, otp) => saldo.api('POST', '/api/v1/sessions', { body: { email, password, ...(otp ? { otp } : {}) } });
const age = (where) => saldo.sql(`UPDATE login_failures SET last_at = last_at - 100000 WHERE ${where}`);
const tokenFrom = (mail) => /token=([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const failures = (key) => Number(saldo.sql(`SELECT COALESCE(MAX(failures), 0) FROM login_failures WHERE key = '${key}'`));

/** Fails attempt() until key has free + 2 failures (the wait is then 4 s,
 * long enough to check what happens meanwhile), obeying Retry-After on the
 * way: 5 free failures for an account (20 for an address), then 1 s, 2 s, ...
 * Every answer is 401 or 429. */
async function lockOut(key, attempt, free = 5) {
  while (failures(key) < free + 2) {
    const r = await attempt();
    assert.ok([401, 429].includes(r.status), `${r.status} ${r.text}`);
    if (r.status === 429) await sleep(1000 * Number(r.headers.get('retry-after')));
  }
}

test('wrong passwords for one account: 429 with Retry-After, the right one refused until the wait is over', async () => {
  const u = await signUp(saldo);
  for (let i = 0; i < 5; i++) assert.equal((await login(u.email, `wrong password ${i}`)).status, 401);
  await lockOut(u.email, () => login(u.email, 'wrong password'));
  const locked = await login(u.email, 'wrong password again');
  assert.equal(locked.status, 429);
  assert.equal(locked.body.error.code, 'too_many_attempts');
  assert.ok(Number(locked.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
  const right = await login(u.email, u.password);
  assert.equal(right.status, 429, 'the right password is refused while locked');
  // The web form says the same, with Retry-After.
  const web = new WebClient(saldo.url);
  const page = await web.post('/login', { _csrf: await web.csrf('/login'), email: u.email, password: u.password });
  assert.equal(page.status, 429);
  assert.ok(Number(page.headers.get('retry-after')) >= 1);
  assert.ok(!web.jar.has('saldo_session'));
  // Unknown accounts are slowed the same way (no account enumeration by lockout).
  await lockOut('ghost.account@example.test', () => login('ghost.account@example.test', 'wrong password x'));
  assert.equal((await login('ghost.account@example.test', 'wrong password x')).status, 429);
  age(`key = '${u.email}'`);
  assert.equal((await login(u.email, u.password)).status, 201, 'accepted once the wait is over');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM login_failures WHERE key = '${u.email}'`), '0', 'success forgets the failures');
});

test('wrong passwords from one address across many accounts: 429 for that address', async () => {
  const victim = await signUp(saldo);
  saldo.sql("DELETE FROM login_failures WHERE scope = 'ip'");
  try {
    let i = 0;
    await lockOut('127.0.0.1', () => login(`spray${i++}.${Date.now()}@example.test`, 'Password123!'), 20);
    const r = await login(victim.email, victim.password);
    assert.equal(r.status, 429, 'the address is slowed down, even for a right password');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    age("scope = 'ip'");
    assert.equal((await login(victim.email, victim.password)).status, 201);
  } finally {
    saldo.sql("DELETE FROM login_failures WHERE scope = 'ip'");
  }
});

test('staff sign-in is slowed down the same way', async () => {
  const email = `lockstaff${Date.now()}@saldo.test`;
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: 'staff password 1\n' }).status, 0);
  const staffLogin = (password) => saldo.api('POST', '/api/v1/staff/sessions', { body: { email, password } });
  await lockOut(`staff:${email}`, () => staffLogin('wrong staff pw'));
  const r = await staffLogin('staff password 1');
  assert.equal(r.status, 429);
  assert.ok(r.headers.get('retry-after'));
  age(`key = 'staff:${email}'`);
  assert.equal((await staffLogin('staff password 1')).status, 201);
});

test('wrong 2FA codes count as failures: 429, then accepted after the wait', async () => {
  const u = await signUp(saldo);
  const setup = await saldo.api('POST', '/api/v1/me/2fa/setup', { token: u.token });
  const secret = setup.body.secret;
  const confirm = await saldo.api('POST', '/api/v1/me/2fa/confirm', { token: u.token, body: { otp: totp(secret) } });
  assert.equal(confirm.status, 200);
  const wrong = (c) => (c === '000000' ? '111111' : '000000');
  const first = await login(u.email, u.password, wrong(totp(secret)));
  assert.equal(first.body.error.code, 'invalid_otp');
  // Codes have their own count (key otp:<user id>): the right password
  // given each time does not reset it.
  const key = `otp:${u.user.id}`;
  await lockOut(key, () => login(u.email, u.password, wrong(totp(secret))));
  const later = totp(secret, Date.now() / 1000 + 30);
  const locked = await login(u.email, u.password, later);
  assert.equal(locked.status, 429, 'the right code is refused while locked');
  assert.ok(Number(locked.headers.get('retry-after')) >= 1);
  // The sign-in page's second step is locked the same way.
  const web = new WebClient(saldo.url);
  const step1 = await web.login(u.email, u.password);
  assert.equal(step1.status, 303);
  assert.match(step1.headers.get('location'), /^\/login\/otp/);
  const step2 = await web.post('/login/otp', { _csrf: web.jar.get('saldo_csrf'), otp: later });
  assert.equal(step2.status, 429);
  assert.ok(Number(step2.headers.get('retry-after')) >= 1);
  assert.ok(!web.jar.has('saldo_session'));
  age(`key = '${key}'`);
  assert.equal((await login(u.email, u.password, later)).status, 201);
  assert.equal(failures(key), 0, 'a right code forgets the failures');
});

async function resetMail(email, count) {
  const forgot = await saldo.api('POST', '/api/v1/password/forgot', { body: { email } });
  assert.equal(forgot.status, 202);
  const deadline = Date.now() + 15000;
  for (;;) {
    const mails = smtp.messages().filter((m) => m.to.includes(email) && /password/i.test(m.subject));
    if (mails.length >= count) return tokenFrom(mails[count - 1]);
    assert.ok(Date.now() < deadline, `reset mail ${count} to ${email}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const reset = (token, password) => saldo.api('POST', '/api/v1/password/reset', { body: { token, password } });

test('a reset link works once and signs every session out', async () => {
  const u = await signUp(saldo);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const token = await resetMail(u.email, 1);
  assert.equal((await reset(token, 'first new password')).status, 200);
  const again = await reset(token, 'second new password');
  assert.equal(again.status, 422);
  assert.equal(again.body.error.code, 'invalid_token');
  assert.equal((await saldo.api('GET', '/api/v1/me', { token: u.token })).status, 401, 'API session ended');
  assert.equal((await web.get('/profile')).status, 303, 'web session ended');
  assert.equal((await login(u.email, 'first new password')).status, 201);
  assert.equal((await login(u.email, 'second new password')).status, 401);
});

test('a reset link expires', async () => {
  const u = await signUp(saldo);
  const token = await resetMail(u.email, 1);
  saldo.sql(`UPDATE email_tokens SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE user_id = ${u.user.id} AND purpose = 'reset'`);
  const r = await reset(token, 'too late password');
  assert.equal(r.status, 422);
  assert.equal((await login(u.email, u.password)).status, 201, 'the password is unchanged');
});

test('an older reset link dies when a newer one is sent, when one is used, and when the password changes', async () => {
  const u = await signUp(saldo);
  const first = await resetMail(u.email, 1);
  const second = await resetMail(u.email, 2);
  assert.equal((await reset(first, 'password from old link')).status, 422, 'a newer link replaces the older');
  assert.equal((await login(u.email, u.password)).status, 201);
  const third = await resetMail(u.email, 3);
  assert.equal((await reset(third, 'password from third link')).status, 200);
  assert.equal((await reset(second, 'password from second')).status, 422, 'using a link ends the others');
  // A link sent, then the password changed while signed in: the link is dead.
  const v = await signUp(saldo);
  const pending = await resetMail(v.email, 1);
  const change = await saldo.api('POST', '/api/v1/me/password', { token: v.token, body: { current_password: v.password, password: 'changed on purpose' } });
  assert.equal(change.status, 200, change.text);
  assert.equal((await reset(pending, 'attacker password 1')).status, 422, 'a password change ends pending links');
  assert.equal((await login(v.email, 'changed on purpose')).status, 201);
});

test('the reset request answers the same for known and unknown accounts', async () => {
  const u = await signUp(saldo);
  const known = await saldo.api('POST', '/api/v1/password/forgot', { body: { email: u.email } });
  const unknown = await saldo.api('POST', '/api/v1/password/forgot', { body: { email: `nobody${Date.now()}@example.test` } });
  assert.equal(known.status, unknown.status);
  assert.deepEqual(known.body, unknown.body);
  const web = new WebClient(saldo.url);
  const other = new WebClient(saldo.url);
  const a = await web.post('/password/forgot', { _csrf: await web.csrf('/password/forgot'), email: u.email });
  const b = await other.post('/password/forgot', { _csrf: await other.csrf('/password/forgot'), email: 'nobody@example.test' });
  assert.equal(a.status, b.status);
  assert.equal(a.headers.get('location'), b.headers.get('location'));
  const pa = await web.get(a.headers.get('location'));
  const pb = await other.get(b.headers.get('location'));
  assert.equal(pa.text.replace(/name="_csrf" value="[^"]+"/g, ''), pb.text.replace(/name="_csrf" value="[^"]+"/g, ''));
});
