// api_refunds.test.mjs - refunds of unused balance through the original
// method, against a real `saldo gateway-sandbox` (webhooks through a relay)
// and a real SMTP server: a card top-up partly spent on an order is refunded
// up to what is left unused and the gateway shows the refund; partial refunds
// never exceed the payment, even when requested concurrently; cancel,
// rejection and a gateway refusal give the money back; a gateway that does
// not answer leaves the refund approved and a retry finishes it once, and a
// refund made at the gateway whose answer was lost is recorded, not repeated; a bank
// transfer is refunded through the pain.001 export to the account it came
// from; crypto, other organizations' payments, members without the billing
// right and bad input are refused and change nothing. The harness runs
// `saldo ledger verify` at the end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { statement } from './lib/camt053.mjs';
import { startGateway, startPayments } from './lib/gateway.mjs';
import { signUp, staffLogin, tempDir } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let payments;
let saldo;
let smtp;
let gw;
let relay;
let staff;
let doc;
before(async () => {
  payments = await startPayments();
  ({ saldo, gw, relay, smtp } = payments);
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(() => payments.stop());

let keyNo = 0;
const key = () => `r-${process.pid}-${++keyNo}`;
const money = (minor, currency = 'EUR') => ({ currency, minor });
const conforms = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);
const count = (sql) => Number(saldo.sql(sql));

const balance = async (u, currency = 'EUR') => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === currency)?.balance.minor ?? 0;
};
const refund = (u, body, k = key()) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests`, { token: u.token, body, headers: { 'Idempotency-Key': k } });
const refundable = (u) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/refund-requests/refundable`, { token: u.token });
const listOf = (u) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/refund-requests`, { token: u.token });
const staffPost = (p, body) => saldo.api('POST', `/api/v1/staff/${p}`, { token: staff.token, body });
const ofPayment = (id) => ({ source: 'payment', id });

const gatewayId = (p) => /\/pay\/(pay_[0-9a-f]{24})$/.exec(p.redirect_url)[1];

async function waitStatus(u, id, status) {
  for (let i = 0; i < 200; i++) {
    const r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/payments/${id}`, { token: u.token });
    if (r.body.payment.status === status) return r.body.payment;
    await sleep(50);
  }
  throw new Error(`payment ${id} never became ${status}`);
}

/** A top-up paid at the gateway with method (card: the 4242 card) and credited; returns saldo's payment. */
async function paidTopup(u, minor, method = 'card', currency = 'EUR') {
  const r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token,
    body: { amount: money(minor, currency), method }, headers: { 'Idempotency-Key': key() } });
  assert.equal(r.status, 201, r.text);
  const p = r.body.payment;
  const gid = gatewayId(p);
  if (method === 'card') {
    await gw.form(`/pay/${gid}`, { action: 'card', number: '4242424242424242', expiry: '12/39', cvc: '123', name: 'Ada' });
  } else if (method === 'paypal') {
    await gw.form(`/pay/${gid}`, { action: 'approve' });
  } else if (method === 'crypto') {
    await gw.form(`/pay/${gid}`, { action: 'send' });
    for (let i = 0; i < 3; i++) await gw.api('POST', `/v1/sandbox/payments/${gid}/confirm`);
  }
  return { ...(await waitStatus(u, p.id, 'succeeded')), gid };
}

/** An active product priced minor for 12 months (EUR). */
function product(minor) {
  const code = `rf${process.pid}${++keyNo}`;
  saldo.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('rfcat', 'Hosting', 'Hosting', 0)
    ON CONFLICT (code) DO NOTHING`);
  saldo.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, promotional, created_at,
    updated_at) VALUES ((SELECT id FROM catalog_categories WHERE code = 'rfcat'), '${code}', 'VPS', 'VPS', 0, 0, 0, 0)`);
  const id = Number(saldo.sql(`SELECT id FROM catalog_products WHERE code = '${code}'`));
  saldo.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor) VALUES (${id}, 'EUR', 12, ${minor})`);
  return id;
}

/** The net price whose gross is minor: prices exclude VAT, and the test buyers
 * are Italian consumers (22%, rounded half up). */
function netFor(minor) {
  for (let n = Math.floor(minor / 1.22) - 2; n <= minor; n++) if (n + Math.round((n * 22) / 100) === minor) return n;
  throw new Error(`no net price has a gross of ${minor}`);
}

/** Spends exactly minor of the balance on an order. */
async function spend(u, minor) {
  const r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/orders`, { token: u.token, headers: { 'Idempotency-Key': key() },
    body: { items: [{ product_id: product(netFor(minor)), period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' } });
  assert.equal(r.status, 201, r.text);
}

test('a card top-up partly spent: more than the unused part is 422, the rest is refunded at the gateway once approved', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 10000);
  await spend(u, 3000);
  assert.equal(await balance(u), 7000);

  const offer = await refundable(u);
  assert.equal(offer.status, 200, offer.text);
  conforms('GET', '/api/v1/orgs/{org_id}/refund-requests/refundable', offer);
  assert.deepEqual(offer.body.payments.map((x) => [x.payment.source, x.payment.id, x.method, x.remaining.minor,
    x.refundable.minor]), [['payment', p.id, 'card', 10000, 7000]]);

  const tooMuch = await refund(u, { payment: ofPayment(p.id), amount: money(7001), reason: 'too much' });
  assert.equal(tooMuch.status, 422, tooMuch.text);
  assert.equal(tooMuch.body.error.code, 'insufficient_funds');
  assert.equal(tooMuch.body.error.field, 'amount');
  assert.match(tooMuch.body.error.message, /spent on services/);
  conforms('POST', '/api/v1/orgs/{org_id}/refund-requests', tooMuch);
  assert.equal(await balance(u), 7000);
  assert.equal(count(`SELECT COUNT(*) FROM refund_requests WHERE org_id = ${u.org.id}`), 0);

  const k = key();
  const r = await refund(u, { payment: ofPayment(p.id), amount: money(7000), reason: 'leaving' }, k);
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/orgs/{org_id}/refund-requests', r);
  assert.equal(r.body.status, 'requested');
  assert.equal(r.body.reference, `SALDO-R-${r.body.id}`);
  assert.deepEqual(r.body.payment, ofPayment(p.id));
  assert.equal(r.body.method, 'card');
  assert.equal(r.body.creditor, null);
  assert.equal(await balance(u), 0);
  const replay = await refund(u, { payment: ofPayment(p.id), amount: money(7000), reason: 'leaving' }, k);
  assert.equal(replay.status, 201);
  assert.equal(replay.body.id, r.body.id);
  assert.equal(count(`SELECT COUNT(*) FROM refund_requests WHERE org_id = ${u.org.id}`), 1);
  const asked = await smtp.waitFor(u.email, (m) => m.subject.includes(r.body.reference));
  assert.match(asked.subject, /^Refund SALDO-R-\d+ requested: /);

  const queue = await saldo.api('GET', '/api/v1/staff/refund-requests?status=requested', { token: staff.token });
  conforms('GET', '/api/v1/staff/refund-requests', queue);
  assert.ok(queue.body.refund_requests.some((x) => x.id === r.body.id));
  const ok = await staffPost(`refund-requests/${r.body.id}/approve`);
  assert.equal(ok.status, 200, ok.text);
  conforms('POST', '/api/v1/staff/refund-requests/{refund_id}/approve', ok);
  assert.equal(ok.body.status, 'paid');
  assert.match(ok.body.gateway_refund_id, /^re_[0-9a-f]{24}$/);

  const atGateway = await gw.api('GET', `/v1/refunds/${ok.body.gateway_refund_id}`);
  assert.equal(atGateway.status, 200);
  assert.equal(atGateway.body.payment_id, p.gid);
  assert.deepEqual(atGateway.body.amount, money(7000));
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(7000));
  const again = await staffPost(`refund-requests/${r.body.id}/approve`);
  assert.equal(again.status, 409);
  assert.equal((await staffPost(`refund-requests/${r.body.id}/retry`)).status, 409);
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(7000));

  // The ledger: wallet -> refunds_payable -> gateway:sandbox, once.
  assert.equal(count(`SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'refund' AND reference = 'payment:${p.id}'`), 1);
  assert.equal(count(`SELECT COUNT(*) FROM ledger_transfers WHERE idempotency_key = 'refund:${r.body.id}:payout'`), 1);
  assert.equal(saldo.sql(`SELECT a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
    WHERE t.idempotency_key = 'refund:${r.body.id}:payout'`), 'gateway:sandbox');
  assert.equal(await balance(u), 0);
  const sent = await smtp.waitFor(u.email, (m) => /sent/.test(m.subject) && m.subject.includes(r.body.reference));
  assert.match(sent.text, /card used for the payment/);
  assert.equal(count(`SELECT COUNT(*) FROM org_audit WHERE org_id = ${u.org.id} AND action LIKE 'refund.%'`), 3);
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE action IN ('refund.approved', 'refund.paid')
    AND detail LIKE '%"refund_id":${r.body.id},%'`), 2);
  const after = (await refundable(u)).body.payments[0];
  assert.deepEqual([after.refunded.minor, after.remaining.minor, after.refundable.minor], [7000, 3000, 0]);
  const list = await listOf(u);
  conforms('GET', '/api/v1/orgs/{org_id}/refund-requests', list);
  assert.deepEqual(list.body.refund_requests.map((x) => [x.id, x.status]), [[r.body.id, 'paid']]);
});

test('partial refunds of one payment never exceed it, whatever the balance', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 5000, 'paypal');
  assert.equal((await saldo.api('POST', `/api/v1/staff/orgs/${u.org.id}/adjustments`, { token: staff.token,
    body: { amount: money(10000), reason: 'goodwill' }, headers: { 'Idempotency-Key': key() } })).status, 201);
  const a = await refund(u, { payment: ofPayment(p.id), amount: money(3000) });
  assert.equal(a.status, 201, a.text);
  const b = await refund(u, { payment: ofPayment(p.id), amount: money(3000) });
  assert.equal(b.status, 422);
  assert.equal(b.body.error.code, 'amount_too_large');
  const c = await refund(u, { payment: ofPayment(p.id), amount: money(2000) });
  assert.equal(c.status, 201, c.text);
  assert.equal(await balance(u), 10000);
  for (const id of [a.body.id, c.body.id]) assert.equal((await staffPost(`refund-requests/${id}/approve`)).body.status, 'paid');
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(5000));
  const more = await refund(u, { payment: ofPayment(p.id), amount: money(1) });
  assert.equal(more.status, 422);
  assert.equal(more.body.error.code, 'amount_too_large');
  assert.equal(await balance(u), 10000);
});

test('concurrent requests cannot overdraw the payment or the balance', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 5000);
  const answers = await Promise.all(Array.from({ length: 6 }, () =>
    refund(u, { payment: ofPayment(p.id), amount: money(2000) })));
  const codes = answers.map((x) => x.status).sort();
  assert.deepEqual(codes, [201, 201, 422, 422, 422, 422], answers.map((x) => x.text).join('\n'));
  assert.equal(await balance(u), 1000);
  assert.equal(count(`SELECT SUM(amount_minor) FROM refund_requests WHERE org_id = ${u.org.id}`), 4000);
  // Against the balance: spend 800, then two requests of 200 for the 200 left.
  await spend(u, 800);
  const two = await Promise.all([1, 2].map(() => refund(u, { payment: ofPayment(p.id), amount: money(200) })));
  assert.deepEqual(two.map((x) => x.status).sort(), [201, 422]);
  assert.equal(await balance(u), 0);
});

test('cancel (customer) and reject (staff) give the money back; decided requests cannot change again', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 4000);
  const a = (await refund(u, { payment: ofPayment(p.id), amount: money(1000) })).body;
  assert.equal(await balance(u), 3000);
  const cancelled = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests/${a.id}/cancel`, { token: u.token });
  assert.equal(cancelled.status, 200, cancelled.text);
  conforms('POST', '/api/v1/orgs/{org_id}/refund-requests/{refund_id}/cancel', cancelled);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(await balance(u), 4000);
  await smtp.waitFor(u.email, (m) => /cancelled/.test(m.subject) && m.subject.includes(a.reference));
  const twice = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests/${a.id}/cancel`, { token: u.token });
  assert.equal(twice.status, 409);
  assert.equal((await staffPost(`refund-requests/${a.id}/approve`)).status, 409);

  const b = (await refund(u, { payment: ofPayment(p.id), amount: money(4000) })).body;
  assert.equal(await balance(u), 0);
  const noReason = await staffPost(`refund-requests/${b.id}/reject`, {});
  assert.equal(noReason.status, 422);
  assert.equal(noReason.body.error.field, 'reason');
  const rejected = await staffPost(`refund-requests/${b.id}/reject`, { reason: 'Please use the credit instead' });
  assert.equal(rejected.status, 200, rejected.text);
  conforms('POST', '/api/v1/staff/refund-requests/{refund_id}/reject', rejected);
  assert.equal(rejected.body.status, 'rejected');
  assert.equal(rejected.body.rejection_reason, 'Please use the credit instead');
  assert.equal(await balance(u), 4000);
  const mail = await smtp.waitFor(u.email, (m) => /rejected/.test(m.subject) && m.subject.includes(b.reference));
  assert.match(mail.text, /Please use the credit instead/);
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests/${b.id}/cancel`, { token: u.token })).status, 409);
  assert.equal((await staffPost(`refund-requests/${b.id}/reject`, { reason: 'again' })).status, 409);
  assert.equal((await staffPost('refund-requests/999999/approve')).status, 404);
  assert.equal(count(`SELECT COUNT(*) FROM ledger_transfers WHERE idempotency_key IN ('refund:${a.id}:release', 'refund:${b.id}:release')`), 2);
  // Nothing reached the gateway.
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(0));
});

test('a gateway that does not answer leaves the refund approved; the retry finishes it once', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 2500);
  const r = (await refund(u, { payment: ofPayment(p.id), amount: money(1500) })).body;
  const port = new URL(gw.url).port;
  const dir = gw.dir;
  await gw.stop({ keep: true });
  try {
    const down = await staffPost(`refund-requests/${r.id}/approve`);
    assert.equal(down.status, 502, down.text);
    assert.equal(down.body.error.code, 'gateway_unavailable');
    conforms('POST', '/api/v1/staff/refund-requests/{refund_id}/approve', down);
    const still = await saldo.api('GET', '/api/v1/staff/refund-requests?status=approved', { token: staff.token });
    assert.ok(still.body.refund_requests.some((x) => x.id === r.id));
    assert.equal((await staffPost(`refund-requests/${r.id}/retry`)).status, 502);
    assert.equal((await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests/${r.id}/cancel`, { token: u.token })).status, 409);
  } finally {
    gw = payments.gw = await startGateway({ webhookUrl: relay.url, dir, port: Number(port) });
  }
  const retried = await staffPost(`refund-requests/${r.id}/retry`);
  assert.equal(retried.status, 200, retried.text);
  conforms('POST', '/api/v1/staff/refund-requests/{refund_id}/retry', retried);
  assert.equal(retried.body.status, 'paid');
  assert.equal((await staffPost(`refund-requests/${r.id}/retry`)).status, 409);
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(1500));
  assert.equal(await balance(u), 1000);
});

test('a refund the gateway made but whose answer was lost is recorded once, not made twice', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 4000);
  const r = (await refund(u, { payment: ofPayment(p.id), amount: money(1500) })).body;
  // What saldo sends, made at the gateway already (as if its answer had been lost on the way back).
  const first = await gw.api('POST', '/v1/refunds', { idem: `refund:${r.id}`,
    body: { payment_id: p.gid, amount: money(1500) } });
  assert.equal(first.status, 201);
  const ok = await staffPost(`refund-requests/${r.id}/approve`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'paid');
  assert.equal(ok.body.gateway_refund_id, first.body.id);
  assert.deepEqual((await gw.api('GET', `/v1/payments/${p.gid}`)).body.amount_refunded, money(1500));
  assert.equal(await balance(u), 2500);
});

test('a gateway refusal marks the refund failed and gives the money back', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 3000);
  // Refunded at the gateway behind saldo's back: nothing is left there.
  assert.equal((await gw.api('POST', '/v1/refunds', { body: { payment_id: p.gid } })).status, 201);
  const r = (await refund(u, { payment: ofPayment(p.id), amount: money(3000) })).body;
  assert.equal(await balance(u), 0);
  const refused = await staffPost(`refund-requests/${r.id}/approve`);
  assert.equal(refused.status, 200, refused.text);
  assert.equal(refused.body.status, 'failed');
  assert.equal(refused.body.failure_code, 'amount_too_large');
  assert.equal(await balance(u), 3000);
  await smtp.waitFor(u.email, (m) => /could not be made/.test(m.subject) && m.subject.includes(r.reference));
  assert.equal((await staffPost(`refund-requests/${r.id}/retry`)).status, 409);
});

test('a bank transfer is refunded through the pain.001 export, to the account it came from, with the withdrawals', async () => {
  const u = await signUp(saldo);
  const t = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/topups`, { token: u.token,
    body: { amount: money(10000), method: 'bank_transfer' }, headers: { 'Idempotency-Key': key() } });
  assert.equal(t.status, 201, t.text);
  const file = path.join(tempDir('saldo-refund-'), 'statement.xml');
  fs.writeFileSync(file, statement({ id: `RF-${process.pid}-${u.org.id}`, entries: [
    { ref: `RF-${u.org.id}`, amount: '100.00', structured: t.body.payment.instructions.reference, debtor: 'Anna Verdi' }] }));
  const imported = saldo.run(['import-statement', file]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(await balance(u), 10000);
  const offer = (await refundable(u)).body.payments;
  assert.equal(offer.length, 1, JSON.stringify(offer));
  assert.equal(offer[0].payment.source, 'bank_transfer');
  assert.deepEqual(offer[0].debtor, { name: 'Anna Verdi', iban: 'DE89370400440532013000' });
  // The top-up's payment row is not the way to name it: the statement credit is.
  const viaPayment = await refund(u, { payment: ofPayment(t.body.payment.id), amount: money(100) });
  assert.equal(viaPayment.status, 404);

  const r = await refund(u, { payment: offer[0].payment, amount: money(2550), reason: 'overpaid' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.creditor, { iban: 'DE89370400440532013000', name: 'Anna Verdi' });
  assert.equal(r.body.method, 'bank_transfer');
  const ok = await staffPost(`refund-requests/${r.body.id}/approve`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'approved');
  await smtp.waitFor(u.email, (m) => /approved/.test(m.subject) && m.subject.includes(r.body.reference));
  // A bank withdrawal of another customer joins the same file.
  const w = await signUp(saldo);
  assert.equal((await saldo.api('POST', `/api/v1/staff/orgs/${w.org.id}/adjustments`, { token: staff.token,
    body: { amount: money(500), reason: 'credit' }, headers: { 'Idempotency-Key': key() } })).status, 201);
  const wd = await saldo.api('POST', `/api/v1/orgs/${w.org.id}/withdrawals`, { token: w.token, headers: { 'Idempotency-Key': key() },
    body: { amount: money(500), destination: { method: 'bank', iban: 'IT60 X054 2811 1010 0000 0123 456', holder: 'Bruno' } } });
  assert.equal(wd.status, 201, wd.text);
  assert.equal((await staffPost(`withdrawals/${wd.body.id}/approve`)).status, 200);

  const e = await staffPost('credit-transfer-exports', { currency: 'EUR' });
  assert.equal(e.status, 201, e.text);
  assert.equal(e.body.export.count, 2);
  assert.equal(e.body.export.total.minor, 3050);
  const dl = await saldo.api('GET', `/api/v1/staff/credit-transfer-exports/${e.body.export.id}/pain001.xml`, { token: staff.token });
  assert.equal(dl.status, 200);
  const xmlFile = path.join(saldo.dir, 'refunds-pain001.xml');
  fs.writeFileSync(xmlFile, dl.text);
  const lint = spawnSync('xmllint', ['--noout', xmlFile], { encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stderr);
  const txs = [...dl.text.matchAll(/<CdtTrfTxInf>([\s\S]*?)<\/CdtTrfTxInf>/g)].map((m) => ({
    id: /<EndToEndId>([^<]+)</.exec(m[1])[1], amount: /<InstdAmt Ccy="EUR">([^<]+)</.exec(m[1])[1],
    name: /<Cdtr><Nm>([^<]+)</.exec(m[1])[1], iban: /<CdtrAcct><Id><IBAN>([^<]+)</.exec(m[1])[1] }));
  assert.deepEqual(txs, [
    { id: wd.body.reference, amount: '5.00', name: 'Bruno', iban: 'IT60X0542811101000000123456' },
    { id: r.body.reference, amount: '25.50', name: 'Anna Verdi', iban: 'DE89370400440532013000' },
  ]);
  const paid = (await listOf(u)).body.refund_requests[0];
  assert.equal(paid.status, 'paid');
  assert.equal(paid.export_id, e.body.export.id);
  assert.equal(saldo.sql(`SELECT a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
    WHERE t.idempotency_key = 'refund:${r.body.id}:payout'`), 'bank:IT60X0542811101000000123456');
  assert.equal(await balance(u), 7450);
  await smtp.waitFor(u.email, (m) => /sent/.test(m.subject) && m.subject.includes(r.body.reference));
  assert.deepEqual((await staffPost('credit-transfer-exports', { currency: 'EUR' })).body, { export: null });
  assert.equal((await staffPost(`refund-requests/${r.body.id}/retry`)).status, 409);
});

test('crypto payments are not refundable: 422, and not offered', async () => {
  const u = await signUp(saldo);
  const p = await paidTopup(u, 2000, 'crypto', 'USD');
  assert.deepEqual((await refundable(u)).body.payments, []);
  const r = await refund(u, { payment: ofPayment(p.id), amount: money(1000, 'USD') });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'not_refundable');
  assert.equal(r.body.error.field, 'payment');
  assert.match(r.body.error.message, /crypto/);
  assert.equal(await balance(u, 'USD'), 2000);
});

test('another organization\'s payment is 404, a member without the billing right gets 404, bad input changes nothing', async () => {
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const p = await paidTopup(u, 2000);
  const foreign = await refund(other, { payment: ofPayment(p.id), amount: money(100) });
  assert.equal(foreign.status, 404, foreign.text);
  assert.equal(foreign.body.error.field, 'payment');
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests`, { token: other.token,
    body: { payment: ofPayment(p.id), amount: money(100) }, headers: { 'Idempotency-Key': key() } })).status, 404);

  // A member without the billing right.
  const email = `norights${Date.now()}@example.test`;
  const inv = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/invitations`, { token: u.token,
    body: { email, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  assert.equal((await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: 'Member', password: 'a long password', country: 'IT', language: 'en' } })).status, 201);
  const member = (await saldo.api('POST', '/api/v1/sessions', { body: { email, password: 'a long password' } })).body.token;
  for (const [method, p2] of [['GET', ''], ['GET', '/refundable'], ['POST', '']]) {
    const r = await saldo.api(method, `/api/v1/orgs/${u.org.id}/refund-requests${p2}`, { token: member,
      body: method === 'POST' ? { payment: ofPayment(p.id), amount: money(100) } : undefined, headers: { 'Idempotency-Key': key() } });
    assert.equal(r.status, 404, `${method} ${p2}: ${r.text}`);
  }

  const cases = [
    [{ payment: ofPayment(p.id), amount: money(0) }, 'amount'],
    [{ payment: ofPayment(p.id), amount: money(100, 'USD') }, 'amount'],
    [{ payment: ofPayment(p.id), amount: money(2001) }, 'amount'],
    [{ payment: ofPayment(p.id) }, 'amount'],
    [{ payment: { source: 'cheque', id: p.id }, amount: money(100) }, 'source'],
    [{ payment: { source: 'payment', id: 'x' }, amount: money(100) }, 'id'],
    [{ payment: { source: 'payment', id: 999999 }, amount: money(100) }, 'payment'],
    [{ amount: money(100) }, 'payment'],
    [{ payment: ofPayment(p.id), amount: money(100), reason: 'x'.repeat(501) }, 'reason'],
  ];
  for (const [body, field] of cases) {
    const r = await refund(u, body);
    assert.ok(r.status === 422 || r.status === 404, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    conforms('POST', '/api/v1/orgs/{org_id}/refund-requests', r);
  }
  const noKey = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/refund-requests`, { token: u.token,
    body: { payment: ofPayment(p.id), amount: money(100) } });
  assert.equal(noKey.status, 400);
  assert.equal((await saldo.api('GET', '/api/v1/staff/refund-requests?status=nope', { token: staff.token })).status, 422);
  assert.equal(count(`SELECT COUNT(*) FROM refund_requests WHERE org_id = ${u.org.id}`), 0);
  assert.equal(await balance(u), 2000);
});

test('the mails go to the billing notification address, in the administrator\'s language', async () => {
  const u = await signUp(saldo, { language: 'it' });
  const billingTo = `rimborsi${Date.now()}@example.test`;
  const put = await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`,
    { token: u.token, body: { billing: billingTo, support: null, abuse: null, status: null } });
  assert.equal(put.status, 200, put.text);
  const p = await paidTopup(u, 1234);
  const r = (await refund(u, { payment: ofPayment(p.id), amount: money(1234) })).body;
  const asked = await smtp.waitFor(billingTo, (m) => m.subject.includes(r.reference));
  assert.match(asked.subject, /^Rimborso SALDO-R-\d+ richiesto: 12,34 €$/);
  assert.match(asked.text, /la carta usata per il pagamento/);
  assert.equal((await staffPost(`refund-requests/${r.id}/approve`)).body.status, 'paid');
  const sent = await smtp.waitFor(billingTo, (m) => /inviato/.test(m.subject) && m.subject.includes(r.reference));
  assert.match(sent.text, /\/billing\/refunds/);
});
