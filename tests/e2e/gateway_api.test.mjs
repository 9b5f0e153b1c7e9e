// gateway_api.test.mjs - the sandbox gateway over HTTP, as saldo will use it:
// API key, payment creation and its statuses through the hosted pages (without
// a browser: plain form posts), idempotency, refund limits, saved methods and
// off-session charges, events, and webhooks signed with HMAC-SHA256 that a real
// receiver verifies, retried after non-2xx answers. Bad input changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { saldoRun } from './lib/harness.mjs';
import { startGateway, startReceiver, verifySignature } from './lib/gateway.mjs';

let gw;
let hook;
before(async () => {
  hook = await startReceiver({ fail: 2, failStatus: 503 });
  gw = await startGateway({ webhookUrl: hook.url, args: ['--confirmations', '2', '--confirmation-interval', '1'] });
});
after(async () => {
  await gw?.stop();
  await hook?.close();
});

const eur = (minor) => ({ currency: 'EUR', minor });
const newPayment = (over = {}) => gw.api('POST', '/v1/payments', {
  body: { amount: eur(1500), method: 'card', customer: 'cus_1', return_url: 'https://saldo.test/pay/return', ...over },
});
const status = async (id) => (await gw.api('GET', `/v1/payments/${id}`)).body.status;

test('command line: bad arguments give a one-line error and exit 2; --help exits 0', () => {
  const bad = saldoRun(['gateway-sandbox', '--listen', '127.0.0.1:1']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /required/);
  const db = saldoRun(['gateway-sandbox', '--listen', '127.0.0.1:1', '--api-key', 'k'.repeat(8), '--webhook-url',
    'http://x/', '--webhook-secret', 's'.repeat(8), '--database', 'postgresql://x']);
  assert.equal(db.status, 2);
  assert.match(db.stderr, /sqlite:PATH/);
  assert.equal(saldoRun(['gateway-sandbox', '--confirmations']).status, 2);
  assert.equal(saldoRun(['gateway-sandbox', '--help']).status, 0);
});

test('the API needs the API key', async () => {
  for (const token of [null, 'wrong_key_123', 'sk_test_sandbox_ke']) {
    const r = await gw.api('GET', '/v1/events', { token });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthorized');
  }
  assert.equal((await gw.api('GET', '/v1/nothing')).status, 404);
});

test('creating a payment validates its input and changes nothing when refused', async () => {
  const before = (await gw.api('GET', '/v1/events')).body.data.length;
  const cases = [
    [{ amount: eur(0) }, 'amount'],
    [{ amount: { currency: 'XXQ', minor: 5 } }, 'amount'],
    [{ amount: 12 }, 'amount'],
    [{ method: 'cheque' }, 'method'],
    [{ customer: '' }, 'customer'],
    [{ return_url: 'javascript:alert(1)' }, 'return_url'],
    [{ return_url: undefined }, 'return_url'],
    [{ method: 'paypal', payment_method: 'pm_x' }, 'method'],
    [{ payment_method: 'pm_nope' }, 'payment_method'],
    [{ method: 'crypto', save_method: true }, 'save_method'],
  ];
  for (const [over, field] of cases) {
    const r = await newPayment(over);
    assert.equal(r.status, 422, JSON.stringify(over));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  const noKey = await gw.api('POST', '/v1/payments', { idem: null, body: { amount: eur(1), method: 'card', customer: 'c', return_url: 'http://x/' } });
  assert.equal(noKey.status, 400);
  assert.equal(noKey.body.error.field, 'Idempotency-Key');
  assert.equal((await gw.api('GET', '/v1/events')).body.data.length, before);
});

test('Idempotency-Key: a retry gets the same payment, another body with the key is refused', async () => {
  const body = { amount: eur(700), method: 'card', customer: 'cus_idem', return_url: 'http://saldo.test/r' };
  const a = await gw.api('POST', '/v1/payments', { body, idem: 'same-key' });
  const b = await gw.api('POST', '/v1/payments', { body, idem: 'same-key' });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(b.body.id, a.body.id);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const racing = await Promise.all(Array.from({ length: 8 }, () => gw.api('POST', '/v1/payments', { body, idem: 'race-key' })));
  assert.deepEqual(racing.map((r) => r.status), Array(8).fill(201));
  assert.equal(new Set(racing.map((r) => r.body.id)).size, 1, 'concurrent retries create one payment');
  const c = await gw.api('POST', '/v1/payments', { body: { ...body, amount: eur(701) }, idem: 'same-key' });
  assert.equal(c.status, 422);
  assert.equal(c.body.error.code, 'idempotency_key_reused');
});

test('card payment: requires_action with a redirect, then each test card', async () => {
  const outcomes = [
    ['4242 4242 4242 4242', 'succeeded', null],
    ['4000 0000 0000 0002', 'failed', 'card_declined'],
    ['4000000000009995', 'failed', 'insufficient_funds'],
    ['4000-0000-0000-0069', 'failed', 'expired_card'],
  ];
  for (const [number, want, code] of outcomes) {
    const p = (await newPayment()).body;
    assert.equal(p.status, 'requires_action');
    assert.equal(p.next_action.type, 'redirect');
    assert.equal(p.redirect_url, `${gw.url}/pay/${p.id}`);
    const r = await gw.form(`/pay/${p.id}`, { action: 'card', number, expiry: '12/39', cvc: '123', name: 'Ada' });
    assert.equal(r.status, 303);
    const done = await gw.page(`/pay/${p.id}`);
    assert.match(done.text, new RegExp(`id="status">${want}<`));
    assert.ok(done.text.includes(`https://saldo.test/pay/return?payment_id=${p.id}`));
    const got = (await gw.api('GET', `/v1/payments/${p.id}`)).body;
    assert.equal(got.status, want);
    assert.equal(got.failure_code, code);
    assert.equal(got.card.last4, number.slice(-4));
    assert.equal(got.card.brand, 'visa');
  }
});

test('card form: Luhn, expiry and CVC errors next to the field; nothing changes', async () => {
  const p = (await newPayment()).body;
  const bad = [
    [{ number: '4242 4242 4242 4241', expiry: '12/39', cvc: '123' }, 'error-number', /check digit/],
    [{ number: '', expiry: '12/39', cvc: '123' }, 'error-number', /Enter the card number/],
    [{ number: '4242424242424242', expiry: '01/20', cvc: '123' }, 'error-expiry', /expired/],
    [{ number: '4242424242424242', expiry: '13/39', cvc: '123' }, 'error-expiry', /MM\/YY/],
    [{ number: '4242424242424242', expiry: '12/39', cvc: '12' }, 'error-cvc', /3 or 4 digits/],
  ];
  for (const [fields, id, msg] of bad) {
    const r = await gw.form(`/pay/${p.id}`, { action: 'card', ...fields });
    assert.equal(r.status, 422);
    assert.match(r.text, new RegExp(`id="${id}">[^<]*`));
    assert.match(r.text, msg);
  }
  assert.equal(await status(p.id), 'requires_action');
});

test('3-D Secure: the right code succeeds; three wrong codes fail the payment', async () => {
  const p = (await newPayment()).body;
  const r = await gw.form(`/pay/${p.id}`, { action: 'card', number: '4000000000003220', expiry: '12/39', cvc: '123' });
  assert.equal(r.status, 303);
  assert.equal((await gw.page(`/pay/${p.id}`)).location, `/pay/${p.id}/3ds`);
  const otp = /id="otp">(\d{6})</.exec((await gw.page(`/pay/${p.id}/3ds`)).text)[1];
  const wrong = await gw.form(`/pay/${p.id}/3ds`, { code: otp === '000000' ? '111111' : '000000' });
  assert.equal(wrong.location, `/pay/${p.id}/3ds?wrong=1`);
  assert.match((await gw.page(wrong.location)).text, /Tries left: 2/);
  await gw.form(`/pay/${p.id}/3ds`, { code: otp });
  assert.equal(await status(p.id), 'succeeded');

  const q = (await newPayment()).body;
  await gw.form(`/pay/${q.id}`, { action: 'card', number: '4000000000003220', expiry: '12/39', cvc: '123' });
  for (let i = 0; i < 3; i++) await gw.form(`/pay/${q.id}/3ds`, { code: 'abc' });
  const got = (await gw.api('GET', `/v1/payments/${q.id}`)).body;
  assert.equal(got.status, 'failed');
  assert.equal(got.failure_code, 'authentication_failed');
  const late = await gw.form(`/pay/${q.id}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123' });
  assert.equal(late.status, 409);
});

test('saved card: token, list, off-session charge, delete', async () => {
  const p = (await newPayment({ customer: 'cus_save', save_method: true })).body;
  await gw.form(`/pay/${p.id}`, { action: 'card', number: '5555555555554444', expiry: '08/31', cvc: '123' });
  const paid = (await gw.api('GET', `/v1/payments/${p.id}`)).body;
  assert.equal(paid.status, 'succeeded');
  assert.match(paid.payment_method, /^pm_[0-9a-f]{24}$/);
  const list = (await gw.api('GET', '/v1/customers/cus_save/payment-methods')).body.data;
  assert.equal(list.length, 1);
  assert.deepEqual({ ...list[0], created: 0 }, { id: paid.payment_method, object: 'payment_method', brand: 'mastercard',
    last4: '4444', exp_month: 8, exp_year: 2031, customer: 'cus_save', wallet: null, created: 0 });
  assert.equal((await gw.api('GET', '/v1/customers/cus_other/payment-methods')).body.data.length, 0);

  const off = await gw.api('POST', '/v1/payments', { body: { amount: eur(990), method: 'card', customer: 'cus_save', payment_method: paid.payment_method } });
  assert.equal(off.status, 201);
  assert.equal(off.body.status, 'succeeded');
  const other = await gw.api('POST', '/v1/payments', { body: { amount: eur(990), method: 'card', customer: 'cus_other', payment_method: paid.payment_method } });
  assert.equal(other.status, 422);

  assert.equal((await gw.api('DELETE', `/v1/payment-methods/${paid.payment_method}`)).status, 200);
  assert.equal((await gw.api('DELETE', `/v1/payment-methods/${paid.payment_method}`)).status, 404);
  assert.equal((await gw.api('GET', '/v1/customers/cus_save/payment-methods')).body.data.length, 0);
  const gone = await gw.api('POST', '/v1/payments', { body: { amount: eur(990), method: 'card', customer: 'cus_save', payment_method: paid.payment_method } });
  assert.equal(gone.status, 422);
});

test('a saved 3-D Secure card cannot be charged off-session', async () => {
  const p = (await newPayment({ customer: 'cus_3ds', save_method: true })).body;
  await gw.form(`/pay/${p.id}`, { action: 'card', number: '4000000000003220', expiry: '12/39', cvc: '123' });
  const otp = /id="otp">(\d{6})</.exec((await gw.page(`/pay/${p.id}/3ds`)).text)[1];
  await gw.form(`/pay/${p.id}/3ds`, { code: otp });
  const token = (await gw.api('GET', `/v1/payments/${p.id}`)).body.payment_method;
  const off = await gw.api('POST', '/v1/payments', { body: { amount: eur(5), method: 'card', customer: 'cus_3ds', payment_method: token } });
  assert.equal(off.body.status, 'failed');
  assert.equal(off.body.failure_code, 'authentication_required');
});

test('wallet, PayPal approve and cancel', async () => {
  const w = (await newPayment({ method: 'wallet' })).body;
  assert.doesNotMatch((await gw.page(`/pay/${w.id}`)).text, /id="number"/);
  await gw.form(`/pay/${w.id}`, { action: 'google_pay' });
  const wp = (await gw.api('GET', `/v1/payments/${w.id}`)).body;
  assert.equal(wp.status, 'succeeded');
  assert.equal(wp.wallet, 'google_pay');
  const a = (await newPayment({ method: 'paypal' })).body;
  assert.equal((await gw.form(`/pay/${a.id}`, { action: 'card', number: '4242424242424242' })).status, 409);
  await gw.form(`/pay/${a.id}`, { action: 'approve' });
  assert.equal(await status(a.id), 'succeeded');
  const c = (await newPayment({ method: 'paypal' })).body;
  await gw.form(`/pay/${c.id}`, { action: 'cancel' });
  assert.equal(await status(c.id), 'canceled');
});

test('crypto: address and amount, confirmations by the sandbox call and with time', async () => {
  const p = (await newPayment({ method: 'crypto' })).body;
  const pageText = (await gw.page(`/pay/${p.id}`)).text;
  assert.match(pageText, /id="btc">0\.00030000</); /* 15.00 EUR at the sandbox rate */
  const address = /id="address">(tb1q[0-9a-f]{38})</.exec(pageText)[1];
  assert.equal(/id="address">([^<]+)</.exec((await gw.page(`/pay/${p.id}`)).text)[1], address);
  const one = await gw.api('POST', `/v1/sandbox/payments/${p.id}/confirm`);
  assert.equal(one.body.status, 'processing');
  assert.equal(one.body.confirmations, 1);
  const two = await gw.api('POST', `/v1/sandbox/payments/${p.id}/confirm`);
  assert.equal(two.body.status, 'succeeded');
  assert.equal((await gw.api('POST', `/v1/sandbox/payments/${p.id}/confirm`)).status, 409);

  const t = (await newPayment({ method: 'crypto' })).body;
  await gw.form(`/pay/${t.id}`, { action: 'send' });
  assert.equal(await status(t.id), 'processing');
  for (let i = 0; i < 100 && (await status(t.id)) !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await status(t.id), 'succeeded');
});

test('refunds: partial, full, never more than what is left', async () => {
  const p = (await newPayment({ amount: eur(1000) })).body;
  const early = await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id, amount: eur(100) } });
  assert.equal(early.status, 422);
  assert.equal(early.body.error.code, 'payment_not_refundable');
  await gw.form(`/pay/${p.id}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123' });
  const r1 = await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id, amount: eur(300) }, idem: 'refund-1' });
  assert.equal(r1.status, 201);
  assert.equal(r1.body.status, 'succeeded');
  const again = await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id, amount: eur(300) }, idem: 'refund-1' });
  assert.equal(again.body.id, r1.body.id);
  for (const [amount, code] of [[eur(701), 'amount_too_large'], [{ currency: 'USD', minor: 1 }, 'currency_mismatch'], [eur(0), 'invalid_amount']]) {
    const r = await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id, amount } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, code);
  }
  assert.equal((await gw.api('POST', '/v1/refunds', { body: { payment_id: 'pay_nope' } })).status, 404);
  const rest = await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id } });
  assert.deepEqual(rest.body.amount, eur(700));
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.id}`)).body.amount_refunded, eur(1000));
  assert.equal((await gw.api('POST', '/v1/refunds', { body: { payment_id: p.id, amount: eur(1) } })).status, 422);
  assert.equal((await gw.api('GET', `/v1/refunds/${r1.body.id}`)).body.payment_id, p.id);
});

test('events: listed in order, paged with after; webhooks signed, retried after non-2xx, re-sent on request', async () => {
  const all = [];
  let after = '';
  for (;;) {
    const page = (await gw.api('GET', `/v1/events?limit=5${after ? `&after=${after}` : ''}`)).body;
    all.push(...page.data);
    if (!page.has_more) break;
    after = page.data.at(-1).id;
  }
  assert.ok(all.length > 20);
  assert.equal(new Set(all.map((e) => e.id)).size, all.length);
  assert.ok(all.some((e) => e.type === 'refund.succeeded'));
  assert.ok(all.some((e) => e.type === 'payment.processing'));
  assert.equal((await gw.api('GET', '/v1/events?after=evt_nope')).status, 422);

  const ids = new Set(all.map((e) => e.id));
  const got = await hook.waitFor((rs) => ids.size === new Set(rs.filter((r) => r.answered === 200).map((r) => JSON.parse(r.body).id)).size, 'every event');
  for (const r of got) {
    assert.ok(verifySignature(r.headers['saldo-signature'], r.body), r.headers['saldo-signature']);
    assert.ok(!verifySignature(r.headers['saldo-signature'], `${r.body} `));
    assert.equal(r.headers['saldo-event-id'], JSON.parse(r.body).id);
  }
  assert.deepEqual(got.slice(0, 2).map((r) => r.answered), [503, 503]);
  for (const failed of got.slice(0, 2)) {
    const retry = got.find((r) => r.body === failed.body && r.answered === 200);
    assert.ok(retry, 'the failed delivery is retried until a 2xx');
    assert.ok(retry.at - failed.at >= 90, 'after the backoff delay');
  }

  const n = got.length;
  const ev = all[3];
  assert.equal((await gw.api('POST', `/v1/sandbox/events/${ev.id}/resend`)).status, 202);
  await hook.waitFor((rs) => rs.length > n, 're-sent event');
  assert.equal(JSON.parse(hook.received[n].body).id, ev.id);
  assert.equal((await gw.api('POST', '/v1/sandbox/events/evt_nope/resend')).status, 404);
});

test('undelivered webhooks survive a restart of the gateway', async () => {
  const down = await startReceiver({ fail: 1000 });
  let g = await startGateway({ webhookUrl: down.url });
  const p = (await g.api('POST', '/v1/payments', { body: { amount: eur(42), method: 'paypal', customer: 'c', return_url: 'http://x/' } })).body;
  await down.waitFor((rs) => rs.length >= 2, 'failed attempts');
  await g.stop({ keep: true });
  down.setFailures(0);
  g = await startGateway({ webhookUrl: down.url, dir: g.dir });
  try {
    const rs = await down.waitFor((all) => all.some((r) => r.answered === 200), 'delivery after the restart');
    const ok = rs.find((r) => r.answered === 200);
    assert.equal(JSON.parse(ok.body).data.id, p.id);
    assert.ok(verifySignature(ok.headers['saldo-signature'], ok.body));
  } finally {
    await g.stop();
    await down.close();
  }
});
