// api_invoices.test.mjs - issued documents through the API: a bank transfer
// credited to the prepaid balance issues one receipt (no VAT, "payment on
// account") with the buyer and the VAT evidence frozen, numbered RC-YYYY/N
// without gaps across organizations, mailed to the billing address; the
// same statement twice issues nothing twice; the list filters by status,
// kind, dates and number and refuses bad filters naming the field; another
// organization and a member without the billing right get 404; staff find
// any document; the store refuses to change an issued document; staff credit
// an invoice line by line, the wallet gets its gross back to the cent and the
// invoice is cancelled once fully credited, with bad requests refused and
// changing nothing. The harness runs `saldo ledger verify` when the server
// stops.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { providerDay, signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { statement } from './lib/camt053.mjs';
import { pastInvoice as writeInvoice } from './lib/invoice_fixture.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let smtp;
let staff;
let doc;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const dir = tempDir('saldo-inv-');
let fileNo = 0;
const uniq = () => `${process.pid}-${Date.now()}-${++fileNo}`;
const conforms = (method, template, answer) =>
  assertAnswer(doc, method, template, answer);
const list = (u, query = '', token = u.token) => saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices${query}`, { token });
const year = Number(providerDay().slice(0, 4));

async function payByTransfer(u, amount) {
  const ref = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/bank-transfer`, { token: u.token })).body.reference;
  const id = uniq();
  const file = path.join(dir, `s${id}.xml`);
  fs.writeFileSync(file, statement({ id: `STMT-${id}`, entries: [{ ref: `${id}-1`, amount, structured: ref }] }));
  const r = saldo.run(['import-statement', file]);
  assert.equal(r.status, 0, r.stderr);
  return file;
}

async function withAddress(over = {}) {
  const u = await signUp(saldo, over);
  const a = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, {
    token: u.token,
    body: { recipient: 'Ada Rossi', street: 'Via Roma 1', postal_code: '20121', city: 'Milano', province: 'MI', country: 'IT' },
  });
  assert.equal(a.status, 201, a.text);
  return u;
}

test('a bank transfer credited issues one receipt without VAT, frozen, mailed; the same statement twice issues it once', async () => {
  const u = await withAddress();
  const file = await payByTransfer(u, '12.34');
  const r = await list(u);
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/orgs/{org_id}/invoices', r);
  assert.equal(r.body.documents.length, 1);
  const row = r.body.documents[0];
  assert.equal(row.kind, 'receipt');
  assert.equal(row.status, 'paid');
  assert.match(row.number, new RegExp(`^RC-${year}/\\d{6}$`));
  assert.deepEqual([row.net.minor, row.vat.minor, row.gross.minor], [1234, 0, 1234]);
  const one = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${row.id}`, { token: u.token });
  assert.equal(one.status, 200, one.text);
  conforms('GET', '/api/v1/orgs/{org_id}/invoices/{invoice_id}', one);
  const d = one.body;
  assert.equal(d.number, row.number);
  assert.equal(d.payment_method, 'bank_transfer');
  assert.equal(d.paid_date, d.issue_date);
  assert.equal(d.buyer.address.city, 'Milano');
  assert.equal(d.buyer.address.country, 'IT');
  assert.equal(d.vat.buyer_country, 'IT');
  assert.equal(d.vat.buyer_business, false);
  assert.equal(d.vat.decided_on, d.issue_date);
  assert.equal(d.vat.mention, 'none');
  assert.equal(d.lines.length, 1);
  assert.equal(d.lines[0].rate_bp, 0);
  assert.match(d.lines[0].description, /Payment on account/);
  assert.deepEqual(d.totals.map((t) => [t.rate_bp, t.net.minor, t.vat.minor]), [[0, 1234, 0]]);
  assert.equal(d.gross.minor, 1234);
  assert.match(d.note, /VAT is charged/);
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(row.number));
  assert.match(mail.subject, /^Receipt RC-/);
  assert.match(mail.text, new RegExp(`/billing/invoices/${row.id}`));
  // The address edited afterwards does not change what was issued.
  const addr = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token })).body.addresses[0];
  const p = await saldo.api('PATCH', `/api/v1/orgs/${u.org.id}/billing-addresses/${addr.id}`,
    { token: u.token, body: { city: 'Torino', postal_code: '10121', province: 'TO' } });
  assert.equal(p.status, 200, p.text);
  const again = saldo.run(['import-statement', file]);
  assert.equal(again.status, 0, again.stderr);
  const after = await list(u);
  assert.equal(after.body.documents.length, 1);
  const still = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${row.id}`, { token: u.token });
  assert.equal(still.body.buyer.address.city, 'Milano');
  // The store itself refuses to change an issued document.
  assert.throws(() => saldo.sql(`UPDATE documents SET buyer_city = 'X' WHERE id = ${row.id}`));
  assert.throws(() => saldo.sql(`DELETE FROM document_lines WHERE document_id = ${row.id}`));
  assert.equal(Number(saldo.sql(`SELECT count(*) FROM documents WHERE id = ${row.id} AND buyer_city = 'Milano'`)), 1);
});

test('"Get invoice": the PDF by the API and the page, the e-invoice when the document gets one; the mail carries the PDF', async () => {
  const u = await withAddress();
  await payByTransfer(u, '20');
  const row = (await list(u)).body.documents[0];
  const get = (p, headers = { Authorization: `Bearer ${u.token}` }) => fetch(`${saldo.url}${p}`, { headers, redirect: 'manual' });
  const pdf = await get(`/api/v1/orgs/${u.org.id}/invoices/${row.id}.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), /^attachment; filename="Receipt-RC-\d{4}-\d{6}\.pdf"$/);
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(dir, `${uniq()}.pdf`);
  fs.writeFileSync(file, bytes);
  const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;
  assert.match(text, new RegExp(row.number.replace('/', '\\/')));
  // A receipt gets no e-invoice; another organization's document is not found.
  const xml = await get(`/api/v1/orgs/${u.org.id}/invoices/${row.id}.xml`);
  assert.equal(xml.status, 404);
  assert.equal((await xml.json()).error.code, 'no_einvoice');
  const other = await withAddress();
  assert.equal((await get(`/api/v1/orgs/${other.org.id}/invoices/${row.id}.pdf`, { Authorization: `Bearer ${other.token}` })).status, 404);
  assert.equal((await get(`/api/v1/orgs/${u.org.id}/invoices/${row.id}.pdf`, { Authorization: `Bearer ${other.token}` })).status, 404);
  assert.equal((await get(`/api/v1/orgs/${u.org.id}/invoices/${row.id}x.pdf`)).status, 404);
  // The page's link, with the web session.
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  const page = await web.get('/billing/invoices');
  assert.match(page.text, new RegExp(`href="/billing/invoices/${row.id}\\.pdf"`));
  const download = await web.get(`/billing/invoices/${row.id}.pdf`);
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('content-type'), 'application/pdf');
  // The mail carries the same document as a PDF, made when it was sent.
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(row.number));
  assert.equal(mail.attachments.length, 1);
  assert.equal(mail.attachments[0].content_type, 'application/pdf');
  assert.match(mail.attachments[0].filename, /^Receipt-RC-/);
  assert.equal(Buffer.from(mail.attachments[0].base64, 'base64').subarray(0, 5).toString(), '%PDF-');
});

test('deleting an organization can mail all its documents first (PDFs, four to a mail); the documents stay', async () => {
  const u = await signUp(saldo);
  const made = await saldo.api('POST', '/api/v1/orgs', { token: u.token, body: { name: 'Closing Srl', kind: 'company' } });
  assert.equal(made.status, 201, made.text);
  const org = made.body.id;
  const docs = [1, 2, 3, 4, 5].map((i) => writeInvoice(saldo, org, 800000 + org * 10 + i, { date: '2018-03-0' + i }));
  // A pro-forma still unpaid: a request for what will no longer be paid, cancelled with the organization.
  const pf = writeInvoice(saldo, org, 800000 + org * 10 + 6, { date: '2018-03-06', kind: 'proforma' });
  const bad = await saldo.api('DELETE', `/api/v1/orgs/${org}?email_documents=perhaps`, { token: u.token });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.error.field, 'email_documents');
  const r = await saldo.api('DELETE', `/api/v1/orgs/${org}?email_documents=true`, { token: u.token });
  assert.equal(r.status, 204, r.text);
  await smtp.waitFor(u.email, (m) => /^Your documents from .* \(1 of 2\)$/.test(m.subject));
  await smtp.waitFor(u.email, (m) => /^Your documents from .* \(2 of 2\)$/.test(m.subject));
  const mails = smtp.messages().filter((m) => m.to.includes(u.email) && /^Your documents from/.test(m.subject));
  assert.equal(mails.length, 2);
  const files = mails.flatMap((m) => m.attachments.map((a) => a.filename)).sort();
  assert.deepEqual(files, [...docs.map((d) => `Invoice-${d.number.replace('/', '-')}.pdf`), `Pro-forma-${pf.number.replace('/', '-')}.pdf`].sort());
  for (const m of mails)
    for (const a of m.attachments) assert.equal(Buffer.from(a.base64, 'base64').subarray(0, 5).toString(), '%PDF-');
  assert.equal(Number(saldo.sql(`SELECT count(*) FROM documents WHERE org_id = ${org}`)), 6, 'kept for the law');
  assert.equal(saldo.sql(`SELECT status FROM documents WHERE id = ${pf.id}`), 'cancelled');
});

test('an Italian-speaking organization without a billing address: the provider country, the mail in Italian', async () => {
  const u = await signUp(saldo, { language: 'it' });
  await payByTransfer(u, '5');
  const r = await list(u);
  assert.equal(r.body.documents.length, 1);
  const d = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${r.body.documents[0].id}`, { token: u.token })).body;
  assert.equal(d.language, 'it');
  assert.equal(d.buyer.address.country, 'IT');
  assert.equal(d.vat.buyer_country, 'IT');
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(d.number));
  assert.match(mail.subject, /^Ricevuta RC-/);
});

test('receipt numbers are gapless across organizations', async () => {
  const a = await withAddress();
  const b = await withAddress();
  await payByTransfer(a, '1');
  await payByTransfer(b, '2');
  await payByTransfer(a, '3');
  const na = (await list(a)).body.documents.map((x) => Number(x.number.split('/')[1]));
  const nb = (await list(b)).body.documents.map((x) => Number(x.number.split('/')[1]));
  assert.deepEqual(na.length, 2);
  assert.deepEqual([na[1], nb[0], na[0]], [na[1], na[1] + 1, na[1] + 2]);
});

test('filters: status, kind, dates, number; bad filters name the field and change nothing', async () => {
  const u = await withAddress();
  await payByTransfer(u, '7.50');
  const number = (await list(u)).body.documents[0].number;
  const today = providerDay();
  const count = async (q) => {
    const r = await list(u, q);
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    return r.body.documents.length;
  };
  assert.equal(await count('?status=paid'), 1);
  assert.equal(await count('?status=unpaid'), 0);
  assert.equal(await count('?status=cancelled'), 0);
  assert.equal(await count('?kind=receipt'), 1);
  assert.equal(await count('?kind=invoice'), 0);
  assert.equal(await count(`?from=${today}&to=${today}`), 1);
  assert.equal(await count(`?from=${year + 1}-01-01`), 0);
  assert.equal(await count(`?to=${year - 1}-12-31`), 0);
  assert.equal(await count(`?q=${encodeURIComponent(number.slice(-6))}`), 1);
  assert.equal(await count('?q=rc-'), 1);
  assert.equal(await count('?q=PF-'), 0);
  assert.equal(await count('?q=%25'), 0);
  for (const [q, field] of [['?status=open', 'status'], ['?kind=bill', 'kind'], ['?from=2026-13-01', 'from'],
    ['?to=yesterday', 'to'], [`?q=${'x'.repeat(65)}`, 'q']]) {
    const r = await list(u, q);
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.field, field);
    conforms('GET', '/api/v1/orgs/{org_id}/invoices', r);
  }
});

test('another organization, a member without the billing right, nobody: 404 or 401; staff find any document', async () => {
  const u = await withAddress();
  await payByTransfer(u, '4');
  const id = (await list(u)).body.documents[0].id;
  const other = await signUp(saldo);
  assert.equal((await list(u, '', other.token)).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${id}`, { token: other.token })).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${other.org.id}/invoices/${id}`, { token: other.token })).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${id}`)).status, 401);
  const email = `plain${Date.now()}@example.test`;
  const inv = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/invitations`,
    { token: u.token, body: { email, role: 'member', billing: false } });
  assert.equal(inv.status, 201, inv.text);
  const mail = await smtp.waitFor(email, (m) => /invitations\//.test(m.text));
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
  const acc = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
    { body: { name: email, password: 'a long password', country: 'IT', language: 'en' } });
  assert.equal(acc.status, 201, acc.text);
  const s = await saldo.api('POST', '/api/v1/sessions', { body: { email, password: 'a long password' } });
  assert.equal((await list(u, '', s.body.token)).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${id}`, { token: s.body.token })).status, 404);

  const number = (await list(u)).body.documents[0].number;
  const found = await saldo.api('GET', `/api/v1/staff/documents?q=${encodeURIComponent(number)}`, { token: staff.token });
  assert.equal(found.status, 200, found.text);
  conforms('GET', '/api/v1/staff/documents', found);
  assert.deepEqual(found.body.documents.map((x) => [x.id, x.org_id]), [[id, u.org.id]]);
  const buyer = (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${id}`, { token: u.token })).body.buyer.name;
  const byName = await saldo.api('GET', `/api/v1/staff/documents?q=${encodeURIComponent(buyer.toUpperCase())}&kind=receipt`,
    { token: staff.token });
  assert.ok(byName.body.documents.some((x) => x.id === id));
  assert.equal((await saldo.api('GET', '/api/v1/staff/documents?status=x', { token: staff.token })).body.error.field, 'status');
  assert.equal((await saldo.api('GET', '/api/v1/staff/documents', { token: u.token })).status, 401);
});

test('staff credit an invoice line by line: the wallet gets its gross back, the invoice is cancelled; bad requests change nothing', async () => {
  const u = await withAddress();
  const inv = writeInvoice(saldo, u.org.id, 900000 + Number(u.org.id));
  const post = (id, body, key = `cn-${Date.now()}-${Math.random()}`, token = staff.token) =>
    saldo.api('POST', `/api/v1/staff/invoices/${id}/credit-notes`, { token, body, headers: { 'Idempotency-Key': key } });
  const balance = async () => {
    const w = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
    return w.body.wallets.find((x) => x.currency === 'EUR')?.balance.minor ?? 0;
  };
  const docs = () => Number(saldo.sql('SELECT count(*) FROM documents'));
  const before = docs();
  for (const [body, status, field] of [[{ reason: 'x' }, 422, 'reason'], [{ lines: [2], reason: 'Not delivered' }, 422, 'lines'],
    [{ lines: [0, 0], reason: 'Not delivered' }, 422, 'lines'], [{ lines: 'all', reason: 'Not delivered' }, 422, 'lines'],
    [{ lines: [-1], reason: 'Not delivered' }, 422, 'lines']]) {
    const r = await post(inv.id, body);
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await post(999999999, { reason: 'Not delivered' })).status, 404);
  assert.equal((await post(inv.id, { reason: 'Not delivered' }, undefined, u.token)).status, 401);
  const noKey = await saldo.api('POST', `/api/v1/staff/invoices/${inv.id}/credit-notes`,
    { token: staff.token, body: { reason: 'Not delivered' } });
  assert.equal(noKey.status, 400);
  assert.equal(docs(), before);
  assert.equal(await balance(), 0);

  const key = `cn-first-${u.org.id}`;
  const first = await post(inv.id, { lines: [1], reason: 'Backup not delivered' }, key);
  assert.equal(first.status, 201, first.text);
  conforms('POST', '/api/v1/staff/invoices/{invoice_id}/credit-notes', first);
  const note = first.body;
  assert.equal(note.kind, 'credit_note');
  assert.match(note.number, new RegExp(`^NC-${year}/\\d{6}$`));
  assert.equal(note.credits_number, inv.number);
  assert.equal(note.credits_date, '2020-06-30');
  assert.equal(note.note, 'Backup not delivered');
  assert.deepEqual(note.lines.map((l) => [l.description, l.net.minor, l.rate_bp]), [['Backup', 500, 2200]]);
  assert.deepEqual([note.net.minor, note.vat_total.minor, note.gross.minor], [500, 110, 610]);
  assert.equal(note.buyer.address.city, 'Milano');
  assert.equal(await balance(), 610);
  const replay = await post(inv.id, { lines: [1], reason: 'Backup not delivered' }, key);
  assert.equal(replay.status, 201);
  assert.equal(replay.body.number, note.number);
  assert.equal(await balance(), 610);
  const again = await post(inv.id, { lines: [1], reason: 'Again' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_credited');

  const rest = await post(inv.id, { reason: 'Cancelled by agreement' });
  assert.equal(rest.status, 201, rest.text);
  assert.deepEqual([rest.body.net.minor, rest.body.vat_total.minor, rest.body.gross.minor], [1000, 220, 1220]);
  assert.equal(await balance(), 1830);
  const invNow = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/invoices/${inv.id}`, { token: u.token });
  assert.equal(invNow.body.status, 'cancelled');
  const notes = await list(u, '?kind=credit_note');
  assert.deepEqual(notes.body.documents.map((d) => d.number).sort(), [note.number, rest.body.number].sort());
  const done = await post(inv.id, { reason: 'Once more' });
  assert.equal(done.status, 409);
  assert.equal(done.body.error.code, 'fully_credited');
  const tx = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions`, { token: u.token });
  assert.ok(tx.body.transactions.some((t) => t.reference === `credit_note:${note.id}`));
  assert.equal(Number(saldo.sql(`SELECT count(*) FROM audit_log WHERE action = 'invoice.credit' AND target_id = ${u.org.id}`)), 2);
  const mail = await smtp.waitFor(u.email, (m) => m.subject.includes(note.number));
  assert.match(mail.subject, /^Credit note NC-/);
});

test('staff reports: revenue per month and currency, the OSS return by member state and rate (CSV); bad periods refused', async () => {
  const u = await withAddress();
  const base = 700000 + Number(u.org.id) * 10;
  const get = (p, token = staff.token) => saldo.api('GET', p, { token });
  writeInvoice(saldo, u.org.id, base + 1, { date: '2019-04-10' });                                           // IT 1500 + 330
  writeInvoice(saldo, u.org.id, base + 2, { date: '2019-05-20', scheme: 'oss', country: 'DE', rate: 1900 });  // 1500 + 285
  writeInvoice(saldo, u.org.id, base + 3, { date: '2019-05-21', scheme: 'oss', country: 'DE', rate: 1900, nets: [200] }); // 200 + 38
  writeInvoice(saldo, u.org.id, base + 4, { date: '2019-06-01', scheme: 'oss', country: 'FR', rate: 2000, nets: [1000] }); // 1000 + 200
  writeInvoice(saldo, u.org.id, base + 5, { date: '2019-07-01', scheme: 'oss', country: 'FR', rate: 2000, nets: [1000] }); // Q3
  writeInvoice(saldo, u.org.id, base + 6, { date: '2019-08-01', scheme: 'reverse_charge', country: 'DE', rate: 0, nets: [999] });
  const rev = await get('/api/v1/staff/reports/revenue?year=2019');
  assert.equal(rev.status, 200, rev.text);
  assert.match(rev.headers.get('content-type'), /^text\/csv/);
  assert.match(rev.headers.get('content-disposition'), /revenue-2019\.csv/);
  assert.equal(rev.text, 'month,currency,net,vat,gross\r\n"2019-04","EUR",15.00,3.30,18.30\r\n'
    + '"2019-05","EUR",17.00,3.23,20.23\r\n"2019-06","EUR",10.00,2.00,12.00\r\n"2019-07","EUR",10.00,2.00,12.00\r\n'
    + '"2019-08","EUR",9.99,0.00,9.99\r\n');
  const oss = await get('/api/v1/staff/reports/oss?quarter=2019-Q2');
  assert.equal(oss.status, 200, oss.text);
  assert.equal(oss.text, 'member_state,rate,currency,net,vat\r\n"DE",19,"EUR",17.00,3.23\r\n"FR",20,"EUR",10.00,2.00\r\n');
  assert.equal((await get('/api/v1/staff/reports/oss?quarter=2019-Q1')).text, 'member_state,rate,currency,net,vat\r\n');
  for (const [p, field] of [['/api/v1/staff/reports/revenue', 'year'], ['/api/v1/staff/reports/revenue?year=19', 'year'],
    ['/api/v1/staff/reports/oss?quarter=2019-Q5', 'quarter'], ['/api/v1/staff/reports/oss?quarter=2019', 'quarter']]) {
    const r = await get(p);
    assert.equal(r.status, 422, p);
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await get('/api/v1/staff/reports/oss?quarter=2019-Q2', u.token)).status, 401);
});
