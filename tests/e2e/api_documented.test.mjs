// api_documented.test.mjs - every GET the OpenAPI document describes, asked for
// real: an organization with a balance, an address, an API token, a paid order
// (its service and invoice), a cart line, a free credit, a withdrawal, a ticket
// with a file, a chat and a pending bank-transfer top-up, and staff with a
// discount code, an announcement and a canned reply, so that nearly every
// path's ids name something. Each answer must be 200 and fit the documented
// schema (lib/schema.mjs): the document describes what the server really sends,
// route by route, not only where a feature's own test looked. Server-sent event
// streams are left out (they do not end). The order's e-invoice must pass the
// SDI's FatturaPA schema (a German business's the UBL 2.1 one) and its PDF read
// as the invoice. A working day's writes answer as documented too: addresses,
// notification addresses, cart, order, service moves, renewal, pro-forma,
// credits, discount codes, reseller prices, a withdrawal exported to pain.001, a
// ticket's life and a merge, support settings, a second organization, an
// invitation, an API token, the password, 2FA, a staff session.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { credit, product } from './lib/billing.mjs';
import { signUp, staffLogin, startSaldo, tempDir } from './lib/harness.mjs';
import { GOOD_QUERY, assertAnswer } from './lib/schema.mjs';
import { totp } from './lib/totp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let saldo;
let doc;
before(async () => {
  saldo = await startSaldo(); // the demo provider: Via Roma 1, 00184 Roma (RM), as the e-invoice checks below read
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => saldo.stop());

let keyNo = 0;
/** A request that must succeed; returns its body. */
async function made(method, path, token, body) {
  const r = await saldo.api(method, path, { token, body, headers: { 'Idempotency-Key': `doc-${++keyNo}` } });
  assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

test('every documented GET answers 200 with the documented shape', { timeout: 120000 }, async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const org = `/api/v1/orgs/${u.org.id}`;
  await credit(saldo, staff, u.org.id, 100000);
  const productId = product(saldo);
  const ids = { org_id: u.org.id, user_id: u.user.id, product_id: productId, code: 'technical',
    category_id: Number(saldo.sql(`SELECT category_id FROM catalog_products WHERE id = ${productId}`)) };
  ids.address_id = (await made('POST', `${org}/billing-addresses`, u.token, { recipient: 'Ada Rossi',
    street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI', country: 'IT', default: true })).id;
  ids.token_id = (await made('POST', '/api/v1/tokens', u.token, { name: 'sweep' })).id;
  await made('PATCH', org, u.token, { fiscal_code: 'RSSMRA85T10A562S' }); // an Italian consumer's e-invoice needs it
  const order = await made('POST', `${org}/orders`, u.token, { items: [{ product_id: productId, period: 12 }],
    currency: 'EUR', accept_terms: true, pay_with: 'balance' });
  ids.order_id = order.id ?? order.order?.id;
  ids.service_id = Number(saldo.sql(`SELECT id FROM services WHERE org_id = ${u.org.id} ORDER BY id LIMIT 1`));
  ids.invoice_id = Number(saldo.sql(`SELECT id FROM documents WHERE org_id = ${u.org.id} ORDER BY id LIMIT 1`));
  ids.item_id = (await made('POST', `${org}/cart/items`, u.token, { product_id: productId, period: 12,
    currency: 'EUR' })).id;
  ids.credit_id = (await made('POST', `/api/v1/staff/orgs/${u.org.id}/credits`, staff.token,
    { product_id: productId, period: 12, reason: 'sweep' })).id;
  ids.withdrawal_id = (await made('POST', `${org}/withdrawals`, u.token, { amount: { currency: 'EUR', minor: 1000 },
    destination: { method: 'bank', iban: 'DE89 3704 0044 0532 0130 00', holder: 'Ada Rossi' } })).id;
  const upload = new FormData(); // a ticket with a file, so its attachment routes have an id
  for (const [k, v] of Object.entries({ department: 'technical', subject: 'Sweep', description: 'A ticket for the sweep.' }))
    upload.append(k, v);
  upload.append('files', new Blob(['traceroute 192.0.2.7\n'], { type: 'text/plain' }), 'trace.log');
  const opened = await saldo.api('POST', `${org}/tickets`, { token: u.token, raw: upload });
  assert.equal(opened.status, 201, opened.text);
  ids.ticket_id = opened.body.id;
  ids.attachment_id = opened.body.messages[0].attachments[0].id;
  ids.chat_id = (await made('POST', '/api/v1/chats', u.token, { message: 'Hello' })).chat.id;
  ids.payment_id = (await made('POST', `${org}/topups`, u.token, { amount: { currency: 'EUR', minor: 10000 },
    method: 'bank_transfer' })).payment.id; // a pending bank-transfer top-up: no gateway needed
  ids.code_id = (await made('POST', '/api/v1/staff/discount-codes', staff.token,
    { code: `SWEEP${Date.now()}`, kind: 'percent', percent_bp: 1000 })).id;
  ids.announcement_id = (await made('POST', '/api/v1/staff/announcements', staff.token, { kind: 'incident',
    title_en: 'Sweep', title_it: 'Giro', body_en: 'About the sweep.', body_it: 'Sul giro.' })).id;
  ids.canned_id = (await made('POST', '/api/v1/staff/support/canned-replies', staff.token,
    { title: 'Sweep', body: 'A canned reply.' })).id;
  for (const [name, id] of Object.entries(ids)) assert.ok(id, `the sweep has a ${name}`);

  const asked = [];
  const skipped = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    if (!ops.get || template.endsWith('/events')) continue;
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (names.some((n) => !ids[n])) { skipped.push(template); continue; }
    const path = template.replace(/\{(\w+)\}/g, (_, n) => ids[n]);
    const token = template.startsWith('/api/v1/staff/') ? staff.token : u.token;
    const query = (ops.get.parameters || []).filter((p) => p.required && p.in === 'query')
      .map((p) => `${p.name}=${GOOD_QUERY[p.name]}`).join('&');
    const r = await saldo.api('GET', query ? `${path}?${query}` : path, { token });
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    assertAnswer(doc, 'GET', template, r);
    asked.push(template);
  }
  assert.ok(asked.length >= 74, `${asked.length} GETs asked; left out for want of an id: ${skipped.join(' ')}`);

  // The e-invoice of a real order is a FatturaPA file the SDI's own schema accepts.
  const xml = await saldo.api('GET', `${org}/invoices/${ids.invoice_id}.xml`, { token: u.token });
  const file = path.join(tempDir(), 'invoice.xml');
  fs.writeFileSync(file, xml.text);
  const data = path.join(root, 'tests/data/fatturapa');
  const lint = spawnSync('xmllint', ['--noout', '--nonet', '--schema',
    path.join(data, 'Schema_del_file_xml_FatturaPA_v1.2.2.xsd'), file],
  { encoding: 'utf8', env: { ...process.env, XML_CATALOG_FILES: path.join(data, 'catalog.xml') } });
  assert.equal(lint.status, 0, `${lint.stderr}\n${xml.text}`);
  assert.match(xml.text, /<Sede>\s*<Indirizzo>Via Roma 1<\/Indirizzo>\s*<CAP>00184<\/CAP>\s*<Comune>Roma<\/Comune>/);

  // Its PDF reads as the invoice: number, both addresses in full, the total.
  const res = await fetch(`${saldo.url}${org}/invoices/${ids.invoice_id}.pdf`, { headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(res.status, 200);
  const pdf = spawnSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await res.arrayBuffer()), encoding: 'utf8' });
  assert.equal(pdf.status, 0, pdf.stderr);
  const number = saldo.sql(`SELECT number FROM documents WHERE id = ${ids.invoice_id}`);
  for (const text of [number, 'Via Roma 1', '00184 Roma (RM)', 'Via Dante 12', '20121 Milano (MI)', '12.20'])
    assert.ok(pdf.stdout.includes(text), `the PDF shows ${text}:\n${pdf.stdout}`);
});

test('a real order\'s e-invoice for a business elsewhere in the EU passes the UBL 2.1 schema', async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const org = `/api/v1/orgs/${u.org.id}`;
  await credit(saldo, staff, u.org.id, 100000);
  await made('POST', `${org}/billing-addresses`, u.token, { recipient: 'Beispiel GmbH', street: 'Unter den Linden 1',
    postal_code: '10117', city: 'Berlin', country: 'DE', default: true });
  await made('PATCH', org, u.token, { kind: 'company', legal_name: 'Beispiel GmbH', vat_id: 'DE136695976' });
  await made('POST', `${org}/orders`, u.token, { items: [{ product_id: product(saldo), period: 12 }],
    currency: 'EUR', accept_terms: true, pay_with: 'balance' });
  const id = Number(saldo.sql(`SELECT id FROM documents WHERE org_id = ${u.org.id} AND kind = 'invoice'`));
  const xml = await saldo.api('GET', `${org}/invoices/${id}.xml`, { token: u.token });
  assert.equal(xml.status, 200, xml.text);
  const file = path.join(tempDir(), 'invoice.xml');
  fs.writeFileSync(file, xml.text);
  const lint = spawnSync('xmllint', ['--noout', '--nonet', '--schema',
    path.join(root, 'tests/data/ubl21/maindoc/UBL-Invoice-2.1.xsd'), file], { encoding: 'utf8' });
  assert.equal(lint.status, 0, `${lint.stderr}\n${xml.text}`);
  assert.match(xml.text, /<cbc:StreetName>Via Roma 1<\/cbc:StreetName>\s*<cbc:CityName>Roma<\/cbc:CityName>\s*<cbc:PostalZone>00184<\/cbc:PostalZone>/);
});

test('the documented writes a customer and staff make in a working day answer as documented', { timeout: 120000 }, async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const org = `/api/v1/orgs/${u.org.id}`;
  await credit(saldo, staff, u.org.id, 100000);
  const productId = product(saldo);
  const ids = { org_id: u.org.id };
  /** Sends method template (ids filled in) with body; asserts the status and the documented shape; returns the body. */
  const step = async (method, template, body, status, token = template.startsWith('/api/v1/staff/') ? staff.token : u.token) => {
    const path = template.replace(/\{(\w+)\}/g, (_, n) => { assert.ok(ids[n], `an id for ${n}`); return ids[n]; });
    const r = await saldo.api(method, path, { token, body, headers: { 'Idempotency-Key': `w-${++keyNo}` } });
    assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    assertAnswer(doc, method, template, r);
    return r.body;
  };
  const address = { recipient: 'Ada Rossi', street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI',
    country: 'IT' };
  ids.address_id = (await step('POST', '/api/v1/orgs/{org_id}/billing-addresses', { ...address, default: true }, 201)).id;
  const first = (await step('PATCH', '/api/v1/orgs/{org_id}/billing-addresses/{address_id}', { street: 'Via Dante 14' },
    200)).id; // an edit is a new version
  ids.address_id = (await step('POST', '/api/v1/orgs/{org_id}/billing-addresses', { ...address, recipient: 'Ufficio' }, 201)).id;
  await step('POST', '/api/v1/orgs/{org_id}/billing-addresses/{address_id}/default', undefined, 200);
  ids.address_id = first;
  await step('PUT', '/api/v1/orgs/{org_id}/notification-addresses',
    { billing: 'conti@example.test', support: null, abuse: null, status: null }, 200);
  await step('POST', '/api/v1/orgs/{org_id}/cart/items', { product_id: productId, period: 12, currency: 'EUR' }, 201);
  await step('POST', '/api/v1/orgs/{org_id}/cart/preview', {}, 200);
  const order = await step('POST', '/api/v1/orgs/{org_id}/orders', { items: [{ product_id: productId, period: 12 }],
    currency: 'EUR', accept_terms: true, pay_with: 'balance' }, 201);
  ids.order_id = order.order.id;
  ids.service_id = Number(saldo.sql(`SELECT id FROM services WHERE org_id = ${u.org.id} ORDER BY id LIMIT 1`));
  await step('POST', '/api/v1/staff/services/{service_id}/activate', { notes: 'Ready' }, 200);
  await step('PATCH', '/api/v1/orgs/{org_id}/services/{service_id}', { auto_renew: true }, 200);
  await step('POST', '/api/v1/orgs/{org_id}/proformas', { items: [{ service_id: ids.service_id, period: 12 }] }, 201);
  await step('POST', '/api/v1/orgs/{org_id}/renewals', { items: [{ service_id: ids.service_id, period: 12 }] }, 201);
  await step('POST', '/api/v1/staff/services/{service_id}/suspend', { notes: 'Abuse' }, 200);
  await step('POST', '/api/v1/staff/services/{service_id}/unsuspend', { notes: 'Cleared' }, 200);
  ids.credit_id = (await step('POST', '/api/v1/staff/orgs/{org_id}/credits',
    { product_id: productId, period: 12, reason: 'gift' }, 201)).id;
  await step('DELETE', '/api/v1/staff/credits/{credit_id}', undefined, 204);
  ids.code_id = (await step('POST', '/api/v1/staff/discount-codes',
    { code: `DAY${Date.now()}`, kind: 'percent', percent_bp: 1000 }, 201)).id;
  await step('PATCH', '/api/v1/staff/discount-codes/{code_id}', { max_uses: 5 }, 200);
  ids.withdrawal_id = (await step('POST', '/api/v1/orgs/{org_id}/withdrawals', { amount: { currency: 'EUR', minor: 500 },
    destination: { method: 'bank', iban: 'DE89 3704 0044 0532 0130 00', holder: 'Ada Rossi' } }, 201)).id;
  await step('POST', '/api/v1/orgs/{org_id}/withdrawals/{withdrawal_id}/cancel', undefined, 200);
  ids.withdrawal_id = (await step('POST', '/api/v1/orgs/{org_id}/withdrawals', { amount: { currency: 'EUR', minor: 700 },
    destination: { method: 'bank', iban: 'DE89 3704 0044 0532 0130 00', holder: 'Ada Rossi' } }, 201)).id;
  await step('POST', '/api/v1/staff/withdrawals/{withdrawal_id}/approve', undefined, 200);
  ids.export_id = (await step('POST', '/api/v1/staff/credit-transfer-exports', { currency: 'EUR' }, 201)).export.id;
  const pain = await step('GET', '/api/v1/staff/credit-transfer-exports/{export_id}/pain001.xml', undefined, 200);
  assert.equal(pain, null, 'a file, not JSON');
  const file = await saldo.api('GET', `/api/v1/staff/credit-transfer-exports/${ids.export_id}/pain001.xml`,
    { token: staff.token });
  assert.match(file.text, /<CdtTrfTxInf>[\s\S]*<InstdAmt Ccy="EUR">7\.00<\/InstdAmt>[\s\S]*<IBAN>DE89370400440532013000<\/IBAN>/);
  ids.ticket_id = (await step('POST', '/api/v1/orgs/{org_id}/tickets', { department: 'technical', subject: 'Slow',
    description: 'The site is slow.' }, 201)).id;
  await step('POST', '/api/v1/orgs/{org_id}/tickets/{ticket_id}/messages', { body: 'Still slow.' }, 201);
  await step('PATCH', '/api/v1/staff/tickets/{ticket_id}', { priority: 'high' }, 200);
  await step('POST', '/api/v1/orgs/{org_id}/tickets/{ticket_id}/close', undefined, 200);
  await step('POST', '/api/v1/orgs/{org_id}/tickets/{ticket_id}/rating', { rating: 5 }, 200);
  await step('POST', '/api/v1/orgs/{org_id}/tickets/{ticket_id}/reopen', undefined, 200);
  ids.code = 'technical';
  await step('PATCH', '/api/v1/staff/support/departments/{code}', { sla_minutes: { normal: 30 } }, 200);
  ids.canned_id = (await step('POST', '/api/v1/staff/support/canned-replies', { title: 'Hi', body: 'Hello.' }, 201)).id;
  await step('DELETE', '/api/v1/staff/support/canned-replies/{canned_id}', undefined, 204);
  await step('POST', '/api/v1/orgs/{org_id}/notifications/read', {}, 204);
  ids.category_id = Number(saldo.sql(`SELECT category_id FROM catalog_products WHERE id = ${productId}`));
  await step('PUT', '/api/v1/staff/orgs/{org_id}/reseller', { discounts: [{ category_id: ids.category_id,
    percent_bp: 1250 }] }, 200);
  await step('DELETE', '/api/v1/staff/orgs/{org_id}/reseller', undefined, 204);
  const other = (await step('POST', '/api/v1/orgs/{org_id}/tickets', { department: 'technical', subject: 'Slow again',
    description: 'Same as before.' }, 201)).id;
  await step('POST', '/api/v1/staff/tickets/{ticket_id}/merge', { into: other }, 200);
  await step('DELETE', '/api/v1/orgs/{org_id}/billing-addresses/{address_id}', undefined, 204);
  await step('POST', '/api/v1/orgs', { name: 'Rossi Consulting', kind: 'company' }, 201);
  ids.invitation_id = (await step('POST', '/api/v1/orgs/{org_id}/invitations', { email: `colleague${Date.now()}@example.test`,
    role: 'member' }, 201)).invitation.id;
  await step('DELETE', '/api/v1/orgs/{org_id}/invitations/{invitation_id}', undefined, 204);
  ids.token_id = (await step('POST', '/api/v1/tokens', { name: 'deploy script' }, 201)).id;
  await step('DELETE', '/api/v1/tokens/{token_id}', undefined, 204);
  await step('POST', '/api/v1/email/verify/resend', undefined, 202);
  await step('POST', '/api/v1/me/password', { current_password: u.password, password: 'another long password' }, 200);
  await step('GET', '/api/v1/me/2fa', undefined, 200);
  const { secret } = await step('POST', '/api/v1/me/2fa/setup', undefined, 200);
  await step('POST', '/api/v1/me/2fa/confirm', { otp: totp(secret) }, 200);
  const session = await step('POST', '/api/v1/staff/sessions', { email: staff.email, password: 'staff password 1' }, 201, null);
  await step('DELETE', '/api/v1/staff/sessions/current', undefined, 204, session.token);
  assert.equal(saldo.run(['ledger', 'verify']).status, 0);
});
