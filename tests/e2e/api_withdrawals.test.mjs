// api_withdrawals.test.mjs - withdrawals of the balance: the request holds the
// money at once, cancel and rejection give it back, approval and the pain.001
// export pay it out; bad input changes nothing; other organizations and members
// without the billing right get 404; the mails go through a real SMTP server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let smtp;
let staff;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const IBAN = 'DE89 3704 0044 0532 0130 00';
const bank = { method: 'bank', iban: IBAN, holder: 'Mario Rossi & Figli <srl>' };
let keyNo = 0;
const credit = (org, minor, currency = 'EUR') =>
  saldo.api('POST', `/api/v1/staff/orgs/${org.id}/adjustments`, { token: staff.token,
    body: { amount: { currency, minor }, reason: 'test credit' }, headers: { 'Idempotency-Key': `c-${++keyNo}` } });
const withdraw = (u, body, key = `w-${++keyNo}`) =>
  saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals`, { token: u.token, body, headers: { 'Idempotency-Key': key } });
const balance = async (u, currency = 'EUR') => {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return w.body.wallets.find((x) => x.currency === currency)?.balance.minor;
};
const staffPost = (p, body) => saldo.api('POST', `/api/v1/staff/${p}`, { token: staff.token, body });
const eur = (minor) => ({ currency: 'EUR', minor });
const exportEur = () => staffPost('credit-transfer-exports', { currency: 'EUR' });
const count = (sql) => Number(saldo.sql(sql));

async function funded(minor = 10000) {
  const u = await signUp(saldo);
  assert.equal((await credit(u.org, minor)).status, 201);
  return u;
}

test('a bank withdrawal holds the amount at once and mails the billing address', async () => {
  const u = await funded();
  const r = await withdraw(u, { amount: eur(2500), destination: bank, note: 'October refund' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'pending');
  assert.deepEqual(r.body.destination, { method: 'bank', iban: 'DE89370400440532013000', holder: bank.holder });
  assert.equal(r.body.reference, `SALDO-W-${r.body.id}`);
  assert.equal(r.body.amount.minor, 2500);
  assert.equal(await balance(u), 7500);
  const got = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals/${r.body.id}`, { token: u.token });
  assert.deepEqual(got.body, r.body);
  const list = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals`, { token: u.token });
  assert.deepEqual(list.body.withdrawals.map((w) => w.id), [r.body.id]);
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(r.body.reference));
  assert.match(mail.subject, /requested/);
  assert.match(mail.text, /DE89370400440532013000/);
});

test('the mails go to the billing notification address, in the administrator\'s language', async () => {
  const u = await signUp(saldo, { language: 'it' });
  assert.equal((await credit(u.org, 5000)).status, 201);
  const billingTo = `conti${Date.now()}@example.test`;
  const put = await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`,
    { token: u.token, body: { billing: billingTo, support: null, abuse: null, status: null } });
  assert.equal(put.status, 200, put.text);
  const r = await withdraw(u, { amount: eur(1234), destination: bank });
  assert.equal(r.status, 201, r.text);
  const w = r.body;
  const asked = await smtp.waitFor(billingTo, (m) => m.subject.includes(w.reference));
  assert.match(asked.subject, /^Prelievo SALDO-W-\d+ richiesto: 12,34 €$/);
  assert.match(asked.text, /DE89370400440532013000 \(Mario Rossi & Figli <srl>\)/);
  assert.equal((await staffPost(`withdrawals/${w.id}/approve`)).status, 200);
  const ok = await smtp.waitFor(billingTo, (m) => /approvato/.test(m.subject) && m.subject.includes(w.reference));
  assert.match(ok.text, /\/billing\/withdrawals/);
  assert.equal(smtp.messages().filter((m) => m.to.includes(u.email) && m.subject.includes(w.reference)).length, 0,
    'not to the administrator when a billing address is set');
});

test('bad input is 422 naming the field and changes nothing', async () => {
  const u = await funded(1000);
  const before = count('SELECT COUNT(*) FROM withdrawals');
  const cases = [
    [{ amount: eur(100), destination: { ...bank, iban: 'DE89 3704 0044 0532 0130 01' } }, 'iban', 'invalid_field'],
    [{ amount: eur(100), destination: { method: 'bank', iban: IBAN } }, 'holder', 'invalid_field'],
    [{ amount: eur(100), destination: { method: 'paypal', email: 'not an email' } }, 'email', 'invalid_field'],
    [{ amount: eur(100), destination: { method: 'cheque' } }, 'method', 'invalid_field'],
    [{ amount: eur(100) }, 'destination', 'invalid_field'],
    [{ amount: eur(0), destination: bank }, 'amount', 'invalid_field'],
    [{ amount: eur(1001), destination: bank }, 'amount', 'insufficient_funds'],
    [{ amount: { currency: 'USD', minor: 100 }, destination: bank }, 'amount', 'invalid_field'],
  ];
  for (const [body, field, code] of cases) {
    const r = await withdraw(u, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.equal(r.body.error.code, code, r.text);
  }
  assert.equal((await credit(u.org, 500, 'USD')).status, 201);
  const usd = await withdraw(u, { amount: { currency: 'USD', minor: 100 }, destination: bank });
  assert.equal(usd.status, 422, 'a bank withdrawal is a SEPA transfer: EUR only');
  assert.equal(usd.body.error.field, 'amount');
  assert.match(usd.body.error.message, /EUR only/);
  assert.equal(await balance(u, 'USD'), 500);
  assert.equal(await balance(u), 1000);
  assert.equal(count('SELECT COUNT(*) FROM withdrawals'), before);
  const noKey = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals`,
    { token: u.token, body: { amount: eur(100), destination: bank } });
  assert.equal(noKey.status, 400);
  assert.equal(await balance(u), 1000);
});

test('the same Idempotency-Key withdraws once; another body with it is 409', async () => {
  const u = await funded(1000);
  const body = { amount: eur(400), destination: { method: 'paypal', email: 'Pay@Example.test' } };
  const a = await withdraw(u, body, 'same');
  const b = await withdraw(u, body, 'same');
  assert.equal(a.status, 201, a.text);
  assert.deepEqual(b.body, a.body);
  assert.equal(a.body.destination.email, 'pay@example.test');
  const c = await withdraw(u, { ...body, amount: eur(401) }, 'same');
  assert.equal(c.status, 409);
  assert.equal(await balance(u), 600);
});

test('cancel while pending gives the money back; twice is 409', async () => {
  const u = await funded(1000);
  const w = (await withdraw(u, { amount: eur(1000), destination: bank })).body;
  assert.equal(await balance(u), 0);
  const c = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}/cancel`, { token: u.token });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.status, 'cancelled');
  assert.equal(await balance(u), 1000);
  const again = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}/cancel`, { token: u.token });
  assert.equal(again.status, 409);
  assert.equal(await balance(u), 1000);
  assert.equal((await staffPost(`withdrawals/${w.id}/approve`)).status, 409, 'a cancelled one cannot be approved');
});

test('staff reject with a reason: the hold is reversed, audited and mailed', async () => {
  const u = await funded(1000);
  const w = (await withdraw(u, { amount: eur(300), destination: bank })).body;
  const noReason = await staffPost(`withdrawals/${w.id}/reject`, {});
  assert.equal(noReason.status, 422);
  assert.equal(noReason.body.error.field, 'reason');
  assert.equal(await balance(u), 700);
  const r = await staffPost(`withdrawals/${w.id}/reject`, { reason: 'account holder does not match' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'rejected');
  assert.equal(r.body.reason, 'account holder does not match');
  assert.equal(await balance(u), 1000);
  const mail = await smtp.waitFor(u.email, (m) => /rejected/.test(m.subject) && m.subject.includes(w.reference));
  assert.match(mail.text, /account holder does not match/);
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  assert.ok(audit.body.entries.some((e) => e.action === 'withdrawal.rejected' && e.target_id === u.org.id));
  const orgAudit = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/audit`, { token: u.token });
  assert.deepEqual(orgAudit.body.entries.map((e) => e.action).filter((a) => a.startsWith('withdrawal.')),
    ['withdrawal.rejected', 'withdrawal.requested']);
  const cancel = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}/cancel`, { token: u.token });
  assert.equal(cancel.status, 409);
});

test('PayPal: approve, then paid with the transaction id; the money leaves to the paypal account', async () => {
  const u = await funded(1000);
  const w = (await withdraw(u, { amount: eur(250), destination: { method: 'paypal', email: 'p@example.test' } })).body;
  const early = await staffPost(`withdrawals/${w.id}/paid`, { transaction_id: 'PP-1' });
  assert.equal(early.status, 409, 'not approved yet');
  const a = await staffPost(`withdrawals/${w.id}/approve`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.status, 'approved');
  await smtp.waitFor(u.email, (m) => /approved/.test(m.subject) && m.subject.includes(w.reference));
  const queue = await saldo.api('GET', '/api/v1/staff/withdrawals?status=approved', { token: staff.token });
  assert.ok(queue.body.withdrawals.some((x) => x.id === w.id));
  assert.equal((await saldo.api('GET', '/api/v1/staff/withdrawals?status=nope', { token: staff.token })).status, 422);
  const cancel = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}/cancel`, { token: u.token });
  assert.equal(cancel.status, 409, 'an approved withdrawal cannot be cancelled');
  const p = await staffPost(`withdrawals/${w.id}/paid`, { transaction_id: 'PP-1' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.status, 'paid');
  assert.equal(p.body.paypal_transaction, 'PP-1');
  assert.equal(await balance(u), 750);
  assert.equal(count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'paypal'"), 1);
});

test('pain.001 export: every approved bank withdrawal once, well-formed, with every required element', async () => {
  // Nothing else waits: earlier tests' approved ones go into an export of their own, pending ones are rejected.
  await exportEur();
  for (const x of (await saldo.api('GET', '/api/v1/staff/withdrawals?status=pending', { token: staff.token })).body.withdrawals) {
    assert.equal((await staffPost(`withdrawals/${x.id}/reject`, { reason: 'clean slate' })).status, 200);
  }
  const u = await funded(100000);
  const a = (await withdraw(u, { amount: eur(12345), destination: bank, note: 'Invoice 7 & "more"' })).body;
  const b = (await withdraw(u, { amount: eur(5), destination: { method: 'bank', iban: 'IT60X0542811101000000123456', holder: 'Zoë Bianchi' } })).body;
  const pending = (await withdraw(u, { amount: eur(1), destination: bank })).body;
  for (const w of [a, b]) assert.equal((await staffPost(`withdrawals/${w.id}/approve`)).status, 200);
  assert.equal(await balance(u), 100000 - 12345 - 5 - 1);
  const bad = await staffPost('credit-transfer-exports', { currency: 'USD' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'currency');
  const e = await exportEur();
  assert.equal(e.status, 201, e.text);
  assert.equal(e.body.export.count, 2);
  assert.equal(e.body.export.total.minor, 12350);
  const dl = await saldo.api('GET', `/api/v1/staff/credit-transfer-exports/${e.body.export.id}/pain001.xml`, { token: staff.token });
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-type'), /application\/xml/);
  const xml = dl.text;
  const file = path.join(saldo.dir, 'pain001.xml');
  fs.writeFileSync(file, xml);
  const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stderr);
  assert.match(xml, /<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.03">/);
  assert.match(xml, new RegExp(`<MsgId>${e.body.export.msg_id}</MsgId>`));
  assert.match(xml, /<CreDtTm>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/CreDtTm>/);
  assert.equal((xml.match(/<NbOfTxs>2<\/NbOfTxs>/g) || []).length, 2);
  assert.equal((xml.match(/<CtrlSum>123\.50<\/CtrlSum>/g) || []).length, 2);
  for (const tag of ['PmtInfId', 'PmtMtd', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'ChrgBr', 'InitgPty']) {
    assert.match(xml, new RegExp(`<${tag}>`), tag);
  }
  assert.match(xml, /<DbtrAcct><Id><IBAN>IT60X0542811101000000123456<\/IBAN>/);
  assert.equal((xml.match(/<CdtTrfTxInf>/g) || []).length, 2);
  assert.match(xml, new RegExp(`<EndToEndId>${a.reference}</EndToEndId><\\/PmtId><Amt><InstdAmt Ccy="EUR">123\\.45</InstdAmt>`));
  assert.match(xml, /<InstdAmt Ccy="EUR">0\.05<\/InstdAmt>/);
  assert.match(xml, /<Nm>Mario Rossi &amp; Figli &lt;srl&gt;<\/Nm>/);
  assert.match(xml, /<Nm>Zoë Bianchi<\/Nm>/);
  assert.match(xml, /<Ustrd>SALDO-W-\d+ Invoice 7 &amp; &quot;more&quot;<\/Ustrd>/);
  assert.doesNotMatch(xml, new RegExp(pending.reference + '<'));
  for (const w of [a, b]) {
    const got = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}`, { token: u.token });
    assert.equal(got.body.status, 'exported');
  }
  assert.equal(Number(saldo.sql("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'bank:IT60X0542811101000000123456'")), 1);
  const second = await exportEur();
  assert.equal(second.status, 200);
  assert.deepEqual(second.body, { export: null });
  const list = await saldo.api('GET', '/api/v1/staff/credit-transfer-exports', { token: staff.token });
  assert.equal(list.body.exports[0].id, e.body.export.id);
  const again = await saldo.api('GET', `/api/v1/staff/credit-transfer-exports/${e.body.export.id}/pain001.xml`, { token: staff.token });
  assert.equal(again.text, xml, 'an earlier export downloads again, unchanged');
  assert.equal(await balance(u), 100000 - 12345 - 5 - 1);
});

test('rights: another organization and a member without billing get 404; customers cannot use staff routes', async () => {
  const owner = await funded(1000);
  const w = (await withdraw(owner, { amount: eur(100), destination: bank })).body;
  const other = await signUp(saldo);
  for (const [m, p] of [['GET', `/api/v1/orgs/${owner.org.id}/withdrawals`],
    ['GET', `/api/v1/orgs/${owner.org.id}/withdrawals/${w.id}`],
    ['POST', `/api/v1/orgs/${owner.org.id}/withdrawals/${w.id}/cancel`]]) {
    assert.equal((await saldo.api(m, p, { token: other.token })).status, 404, p);
  }
  const cross = await saldo.api('GET', `/api/v1/orgs/${other.org.id}/withdrawals/${w.id}`, { token: other.token });
  assert.equal(cross.status, 404, 'an id of another organization under one\'s own');
  const inv = await saldo.api('POST', `/api/v1/orgs/${owner.org.id}/invitations`,
    { token: owner.token, body: { email: `nobill${Date.now()}@example.test`, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(inv.body.invitation.email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const acc = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: 'No Billing', password: 'a long password', country: 'IT', language: 'en' } });
  assert.equal(acc.status, 201, acc.text);
  const s = await saldo.api('POST', '/api/v1/sessions', { body: { email: inv.body.invitation.email, password: 'a long password' } });
  const member = { token: s.body.token, org: owner.org };
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${owner.org.id}/withdrawals`, { token: member.token })).status, 404);
  assert.equal((await withdraw(member, { amount: eur(100), destination: bank })).status, 404);
  assert.equal((await saldo.api('GET', '/api/v1/staff/withdrawals', { token: owner.token })).status, 401);
  assert.equal(await balance(owner), 900);
});

test('a cancel and an approval at the same moment: exactly one wins, the money is counted once', async () => {
  for (let round = 0; round < 5; round++) {
    const u = await funded(1000);
    const w = (await withdraw(u, { amount: eur(400), destination: bank })).body;
    const [cancel, approve] = await Promise.all([
      saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${w.id}/cancel`, { token: u.token }),
      staffPost(`withdrawals/${w.id}/approve`),
    ]);
    assert.deepEqual([cancel.status, approve.status].sort(), [200, 409], `${cancel.text} ${approve.text}`);
    assert.equal(await balance(u), cancel.status === 200 ? 1000 : 600);
  }
});

test('answers match the OpenAPI document', async () => {
  const doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
  const conforms = (method, template, answer) =>
    assertAnswer(doc, method, template, answer);
  const u = await funded(1000);
  const base = '/api/v1/orgs/{org_id}/withdrawals';
  const created = await withdraw(u, { amount: eur(100), destination: bank });
  conforms('POST', base, created);
  conforms('POST', base, await withdraw(u, { amount: eur(100), destination: { ...bank, iban: 'IT00' } }));
  conforms('POST', base, await withdraw(u, { amount: eur(5000), destination: bank }));
  const paypal = await withdraw(u, { amount: eur(100), destination: { method: 'paypal', email: 'a@example.test' } });
  conforms('POST', base, paypal);
  conforms('GET', base, await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals`, { token: u.token }));
  conforms('GET', `${base}/{withdrawal_id}`, await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals/${created.body.id}`, { token: u.token }));
  conforms('GET', `${base}/{withdrawal_id}`, await saldo.api('GET', `/api/v1/orgs/${u.org.id}/withdrawals/999999`, { token: u.token }));
  conforms('POST', `${base}/{withdrawal_id}/cancel`, await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${paypal.body.id}/cancel`, { token: u.token }));
  conforms('POST', `${base}/{withdrawal_id}/cancel`, await saldo.api('POST', `/api/v1/orgs/${u.org.id}/withdrawals/${paypal.body.id}/cancel`, { token: u.token }));
  conforms('GET', '/api/v1/staff/withdrawals', await saldo.api('GET', '/api/v1/staff/withdrawals?status=pending', { token: staff.token }));
  conforms('POST', '/api/v1/staff/withdrawals/{withdrawal_id}/reject', await staffPost(`withdrawals/${created.body.id}/reject`, {}));
  conforms('POST', '/api/v1/staff/withdrawals/{withdrawal_id}/approve', await staffPost(`withdrawals/${created.body.id}/approve`));
  conforms('POST', '/api/v1/staff/withdrawals/{withdrawal_id}/paid', await staffPost(`withdrawals/${created.body.id}/paid`, { transaction_id: 'x' }));
  conforms('POST', '/api/v1/staff/credit-transfer-exports', await exportEur());
  conforms('POST', '/api/v1/staff/credit-transfer-exports', await exportEur());
  conforms('GET', '/api/v1/staff/credit-transfer-exports', await saldo.api('GET', '/api/v1/staff/credit-transfer-exports', { token: staff.token }));
});
