// api_twofa.test.mjs - two-factor authentication through the API: enrolment,
// codes at sign-in (each works once), recovery codes, password change, switch-off.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { totp } from './lib/totp.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => saldo.stop());

const now = () => Date.now() / 1000;
const login = (u, otp) => saldo.api('POST', '/api/v1/sessions', { body: { email: u.email, password: u.password, otp } });

test('the RFC 6238 vector matches our JS generator', () => {
  // RFC 6238 appendix B, SHA-1, T = 59: 94287082; our 6 digits are its last six.
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59), '287082');
});

test('enrolment, sign-in with codes, recovery codes, password change, switch-off', async () => {
  const u = await signUp(saldo);
  const off = await saldo.api('GET', '/api/v1/me/2fa', { token: u.token });
  assert.deepEqual(off.body, { enabled: false, recovery_codes_left: 0 });

  const setup = await saldo.api('POST', '/api/v1/me/2fa/setup', { token: u.token });
  assert.equal(setup.status, 200);
  assert.match(setup.body.secret, /^[A-Z2-7]{32}$/);
  assert.ok(setup.body.otpauth_uri.startsWith('otpauth://totp/'));
  assert.ok(setup.body.otpauth_uri.includes(`secret=${setup.body.secret}`));
  assert.match(setup.body.qr_svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  const secret = setup.body.secret;

  const bad = await saldo.api('POST', '/api/v1/me/2fa/confirm', { token: u.token, body: { otp: '000000' === totp(secret) ? '111111' : '000000' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'otp');
  const first = totp(secret); // kept: recomputing it later may give the next step's code
  const confirm = await saldo.api('POST', '/api/v1/me/2fa/confirm', { token: u.token, body: { otp: first } });
  assert.equal(confirm.status, 200);
  const codes = confirm.body.recovery_codes;
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  assert.equal((await saldo.api('POST', '/api/v1/me/2fa/setup', { token: u.token })).status, 409);

  const missing = await login(u);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error.code, 'otp_required');
  assert.equal((await login(u, first)).status, 401, 'the code used to confirm does not work twice');
  const next = totp(secret, now() + 30);
  assert.equal((await login(u, next)).status, 201);
  const replay = await login(u, next);
  assert.equal(replay.status, 401);
  assert.equal(replay.body.error.code, 'invalid_otp');

  const byRecovery = await login(u, codes[0].toUpperCase());
  assert.equal(byRecovery.status, 201, 'recovery codes ignore case');
  assert.equal((await login(u, codes[0])).status, 401, 'a recovery code works once');
  const st = await saldo.api('GET', '/api/v1/me/2fa', { token: u.token });
  assert.deepEqual(st.body, { enabled: true, recovery_codes_left: 9 });

  const noCode = await saldo.api('POST', '/api/v1/me/password', { token: u.token, body: { current_password: u.password, password: 'a new long password' } });
  assert.equal(noCode.status, 422);
  assert.equal(noCode.body.error.field, 'otp');
  const changed = await saldo.api('POST', '/api/v1/me/password',
    { token: u.token, body: { current_password: u.password, password: 'a new long password', otp: codes[1] } });
  assert.equal(changed.status, 200, changed.text);
  u.password = 'a new long password';

  const fresh = await saldo.api('POST', '/api/v1/me/2fa/recovery-codes', { token: u.token, body: { otp: codes[2] } });
  assert.equal(fresh.status, 200);
  assert.equal((await login(u, codes[3])).status, 401, 'old recovery codes are gone');
  const disabled = await saldo.api('POST', '/api/v1/me/2fa/disable', { token: u.token, body: { otp: fresh.body.recovery_codes[0] } });
  assert.equal(disabled.status, 200);
  assert.equal((await login(u)).status, 201, 'no code needed once switched off');
  assert.equal((await saldo.api('POST', '/api/v1/me/2fa/disable', { token: u.token, body: { otp: '123456' } })).status, 409);
});

test('confirm without setup is refused, and the secret is stored sealed', async () => {
  const u = await signUp(saldo);
  const r = await saldo.api('POST', '/api/v1/me/2fa/confirm', { token: u.token, body: { otp: '123456' } });
  assert.equal(r.status, 409);
  const setup = await saldo.api('POST', '/api/v1/me/2fa/setup', { token: u.token });
  const stored = saldo.sql(`SELECT totp_sealed FROM users WHERE id = ${u.user.id}`);
  assert.ok(stored.length > 100);
  assert.ok(!stored.includes(setup.body.secret), 'the secret is not in the database in the clear');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = ${u.user.id}`), '0');
});
