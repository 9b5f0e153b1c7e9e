// import_statement.test.mjs - bank transfers end to end: the instructions API
// (the organization's RF reference, the EPC QR payload), camt.053 statements
// imported through `saldo import-statement` on the server's database and
// through the staff upload page: matched credits top up the right wallet (also
// when the reference names another customer), the same file twice credits
// nothing twice, unmatched entries wait in the queue where staff credit or
// ignore them, mails go through the real SMTP server, and the harness runs
// `ledger verify` when the server stops. Bad input changes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';
import { rfValid, sloppy, statement } from './lib/camt053.mjs';

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

const dir = tempDir('saldo-bank-');
let fileNo = 0;
function writeStatement(opts) {
  const file = path.join(dir, `s${++fileNo}.xml`);
  fs.writeFileSync(file, statement(opts));
  return file;
}
const uniq = () => `${process.pid}-${Date.now()}-${++fileNo}`;

async function instructions(u, query = '') {
  return saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer${query}`, { token: u.token });
}
async function balances(u) {
  const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
  return Object.fromEntries(w.body.wallets.map((x) => [x.currency, x.balance.minor]));
}
const count = (sql) => Number(saldo.sql(sql));

test('instructions: provider account, a valid RF reference naming the organization, the EPC payload', async () => {
  const u = await signUp(saldo);
  const r = await instructions(u);
  assert.equal(r.status, 200, r.text);
  const b = r.body;
  assert.equal(b.iban, 'IT60X0542811101000000123456');
  assert.equal(b.bic, 'BPPIITRRXXX');
  assert.equal(b.currency, 'EUR');
  assert.equal(b.settlement, '1-3 business days');
  assert.ok(b.beneficiary.length > 0);
  assert.equal(b.reference, `RF${b.reference.slice(2, 4)}SALDO${String(u.org.id).padStart(8, '0')}`);
  assert.ok(rfValid(b.reference), b.reference);
  assert.equal(b.epc_qr_payload, ['BCD', '002', '1', 'SCT', 'BPPIITRRXXX', b.beneficiary, b.iban, '', '', b.reference].join('\n'));
  const withAmount = await instructions(u, '?amount=12.34');
  assert.equal(withAmount.body.epc_qr_payload.split('\n')[7], 'EUR12.34');
  const usd = await instructions(u, '?currency=USD');
  assert.equal(usd.body.currency, 'USD');
  assert.equal(usd.body.epc_qr_payload, null);
  assert.equal(usd.body.settlement, '2-5 business days');
  assert.equal(usd.body.reference, b.reference);
  for (const q of ['?amount=abc', '?amount=-1', '?amount=0', '?amount=1.234', '?currency=USD&amount=5']) {
    const bad = await instructions(u, q);
    assert.equal(bad.status, 422, q);
    assert.equal(bad.body.error.field, 'amount');
  }
  assert.equal((await instructions(u, '?currency=XYZ')).body.error.field, 'currency');
  const other = await signUp(saldo);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${other.org.id}/bank-transfer`, { token: u.token })).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`)).status, 401);
});

test('import-statement: matched credits top up the right wallets once; the rest waits in the queue', async () => {
  const a = await signUp(saldo);
  const b = await signUp(saldo, { language: 'it' });
  const refA = (await instructions(a)).body.reference;
  const refB = (await instructions(b)).body.reference;
  const id = uniq();
  const file = writeStatement({ id: `STMT-${id}`, entries: [
    { ref: `${id}-1`, amount: '12.34', structured: refA },
    { ref: `${id}-2`, amount: '5', text: `payment for my friend ${sloppy(refB)} thanks` }, // A pays for B
    { ref: `${id}-3`, amount: '1500', currency: 'JPY', text: `ref ${refA} 2026` },
    { ref: `${id}-4`, amount: '7.00', text: 'no reference at all' },
    { ref: `${id}-5`, amount: '3.10', credit: false, text: 'bank fees' },
    { ref: `${id}-6`, amount: '9.99', booked: false, structured: refA },
  ] });
  const queued = count('SELECT count(*) FROM bank_entries WHERE status = \'unmatched\'');
  const first = saldo.run(['import-statement', file]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /6 entries, 3 credited, 0 duplicates, 2 unmatched, 1 not booked$/m);
  assert.deepEqual(await balances(a), { EUR: 1234, JPY: 1500 });
  assert.deepEqual(await balances(b), { EUR: 500 });
  const again = saldo.run(['import-statement', file]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /6 entries, 0 credited, 5 duplicates, 0 unmatched, 1 not booked$/m);
  assert.deepEqual(await balances(a), { EUR: 1234, JPY: 1500 });
  assert.deepEqual(await balances(b), { EUR: 500 });
  // The end-of-day statement repeats the intraday entries under another id:
  // the bank's own entry references keep them from being credited again.
  const endOfDay = saldo.run(['import-statement', writeStatement({ id: `EOD-${id}`, entries: [
    { ref: `${id}-1`, amount: '12.34', structured: refA }, { ref: `${id}-2`, amount: '5', text: refB },
    { ref: `${id}-7`, amount: '1.00', structured: refA }] })]);
  assert.match(endOfDay.stdout, /3 entries, 1 credited, 2 duplicates, 0 unmatched, 0 not booked$/m);
  assert.deepEqual(await balances(a), { EUR: 1334, JPY: 1500 });
  assert.deepEqual(await balances(b), { EUR: 500 });
  assert.equal(count('SELECT count(*) FROM bank_entries WHERE status = \'unmatched\''), queued + 2);
  const lines = await saldo.api('GET', `/api/v1/orgs/${b.org.id}/transactions`, { token: b.token });
  assert.equal(lines.body.transactions.length, 1);
  assert.equal(lines.body.transactions[0].kind, 'topup');
  assert.match(lines.body.transactions[0].reference, /^bank_entry:\d+$/);
  assert.equal(count(`SELECT count(*) FROM org_audit WHERE org_id = ${a.org.id} AND action = 'payment.received'`), 3);
  const mailA = await smtp.waitFor(a.email, (m) => /12\.34/.test(m.subject));
  assert.match(mailA.subject, /We received your bank transfer of €12\.34/);
  assert.match(mailA.text, /\/billing/);
  assert.match(mailA.text, new RegExp(sloppy(refA).toUpperCase()));
  const mailB = await smtp.waitFor(b.email, (m) => /bonifico/.test(m.subject));
  assert.match(mailB.subject, /Abbiamo ricevuto il tuo bonifico di 5,00 €/);
});

test('import-statement refuses bad input with one line and exit 2, changing nothing', async () => {
  const before = count('SELECT count(*) FROM bank_entries');
  const bad = path.join(dir, 'bad.xml');
  fs.writeFileSync(bad, statement({ entries: [{ ref: 'X', amount: '1.234' }] }));
  const r = saldo.run(['import-statement', bad]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /bad\.xml: entry 1 of statement 'STMT-1': amount '1\.234' has too many decimals for EUR/);
  fs.writeFileSync(bad, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
  assert.match(saldo.run(['import-statement', bad]).stderr, /DOCTYPE not allowed/);
  assert.equal(saldo.run(['import-statement', path.join(dir, 'missing.xml')]).status, 2);
  assert.equal(saldo.run(['import-statement']).status, 2);
  const help = saldo.run(['import-statement', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: saldo import-statement FILE/);
  assert.equal(count('SELECT count(*) FROM bank_entries'), before);
});

async function webStaff() {
  const email = `bankstaff${uniq()}@saldo.test`;
  const password = 'staff password 1';
  assert.equal(saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` }).status, 0);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  assert.equal((await web.post('/staff/login', { _csrf, email, password })).status, 303);
  return web;
}

async function upload(web, xml, name = 'statement.xml') {
  const _csrf = await web.csrf('/staff/bank');
  const fd = new FormData();
  fd.append('_csrf', _csrf);
  fd.append('statement', new Blob([xml], { type: 'application/xml' }), name);
  const res = await fetch(`${saldo.url}/staff/bank/statements`, {
    method: 'POST', body: fd, headers: { Cookie: web.cookieHeader() }, redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

test('staff page: upload twice, the queue, assigning and ignoring entries, all audited', async () => {
  const web = await webStaff();
  const a = await signUp(saldo);
  const refA = (await instructions(a)).body.reference;
  const id = uniq();
  const xml = statement({ id: `WEB-${id}`, entries: [
    { ref: `${id}-1`, amount: '20.00', structured: refA },
    { ref: `${id}-2`, amount: '7.50', text: `unknown sender ${id}` },
    { ref: `${id}-3`, amount: '2.00', credit: false, text: `fee ${id}` },
  ] });
  const first = await upload(web, xml);
  assert.equal(first.status, 303, first.text);
  assert.equal(first.location, '/staff/bank?entries=3&credited=1&duplicates=0&unmatched=2&not_booked=0');
  const summary = await web.get(first.location);
  assert.match(summary.text, /data-testid="sum-credited">1</);
  assert.deepEqual(await balances(a), { EUR: 2000 });
  const second = await upload(web, xml);
  assert.equal(second.location, '/staff/bank?entries=3&credited=0&duplicates=3&unmatched=0&not_booked=0');
  assert.deepEqual(await balances(a), { EUR: 2000 });

  const credit = Number(saldo.sql(`SELECT id FROM bank_entries WHERE entry_ref = '${id}-2'`));
  const debit = Number(saldo.sql(`SELECT id FROM bank_entries WHERE entry_ref = '${id}-3'`));
  const page = await web.get('/staff/bank');
  assert.match(page.text, new RegExp(`data-testid="queue-row-${credit}"`));
  assert.match(page.text, new RegExp(`unknown sender ${id}`));
  assert.doesNotMatch(page.text, new RegExp(`data-testid="assign-${debit}"`), 'a debit cannot be credited');
  const _csrf = await web.csrf('/staff/bank');

  const noOrg = await web.post(`/staff/bank/entries/${credit}/assign`, { _csrf, org_id: '99999999' });
  assert.equal(noOrg.status, 422);
  assert.match(noOrg.text, /There is no organization with that number/);
  assert.equal((await web.post(`/staff/bank/entries/${credit}/assign`, { _csrf, org_id: 'x' })).status, 422);
  assert.equal((await web.post(`/staff/bank/entries/${debit}/assign`, { _csrf, org_id: String(a.org.id) })).status, 422);
  assert.equal((await web.post(`/staff/bank/entries/${debit}/ignore`, { _csrf, note: '' })).status, 422);
  assert.equal((await web.post(`/staff/bank/entries/${credit}/assign`, { org_id: String(a.org.id) })).status, 403, 'CSRF');
  assert.equal((await web.post('/staff/bank/entries/999999999/assign', { _csrf, org_id: String(a.org.id) })).status, 404);
  assert.deepEqual(await balances(a), { EUR: 2000 }, 'refusals changed nothing');

  const assigned = await web.post(`/staff/bank/entries/${credit}/assign`, { _csrf, org_id: String(a.org.id) });
  assert.equal(assigned.status, 303, assigned.text);
  assert.deepEqual(await balances(a), { EUR: 2750 });
  const twice = await web.post(`/staff/bank/entries/${credit}/assign`, { _csrf, org_id: String(a.org.id) });
  assert.equal(twice.status, 422);
  assert.match(twice.text, /no longer in the queue/);
  assert.deepEqual(await balances(a), { EUR: 2750 });
  assert.equal((await web.post(`/staff/bank/entries/${debit}/ignore`, { _csrf, note: 'bank fees, booked by hand' })).status, 303);
  const after = await web.get('/staff/bank');
  assert.doesNotMatch(after.text, new RegExp(`queue-row-(${credit}|${debit})"`));

  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const actions = audit.body.entries.map((e) => e.action);
  for (const act of ['bank.import', 'bank.assign', 'bank.ignore']) assert.ok(actions.includes(act), act);
  const ignored = audit.body.entries.find((e) => e.action === 'bank.ignore');
  assert.equal(ignored.detail.note, 'bank fees, booked by hand');
  assert.equal(count(`SELECT count(*) FROM org_audit WHERE org_id = ${a.org.id} AND action = 'payment.received'`), 2);
  await smtp.waitFor(a.email, (m) => /7\.50/.test(m.subject));
});

test('staff page: a malformed or missing file is refused next to the field, nothing imported', async () => {
  const web = await webStaff();
  const before = count('SELECT count(*) FROM bank_entries');
  const bad = await upload(web, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /data-testid="statement-error">The statement was not imported: no statement in the document/);
  const empty = await upload(web, '');
  assert.equal(empty.status, 422);
  assert.match(empty.text, /Choose a camt.053 statement file/);
  assert.equal(count('SELECT count(*) FROM bank_entries'), before);
});
