// rights_matrix.test.mjs - the rights matrix, walked over every organization
// route of the API. The routes come from docs/openapi.json (every path under
// /api/v1/orgs/{org_id}), so a new route is covered the day it is documented;
// test_openapi.c makes sure every route is. For each operation:
//   - a user of another organization gets 404 (whatever the method and body);
//   - a member without the billing right gets 404 on billing operations (marked
//     `x-saldo-billing: true` in the document: wallets, transactions, and every
//     later operation about money);
//   - a member who is not an administrator gets 403 on administrators'
//     operations (marked `x-saldo-admin: true`): they know the organization, so
//     403 hides nothing, while money stays hidden behind 404;
//   - everything else is open to any member (GETs answer 200), and to the
//     administrator, and billing GETs answer 200 to a member with the right.
// The service routes are walked with a real service of the organization; what a
// member limited to some services or categories sees is tested in
// api_services.test.mjs (and at unit level in tests/store/test_members.c).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { statement } from './lib/camt053.mjs';
import { addCategory, addProduct, addService, insertId } from './lib/catalog_fixture.mjs';

let smtp;
let saldo;
let doc;
let who;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
  const admin = await signUp(saldo);
  const join = async (email, rights) => {
    const r = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/invitations`,
      { token: admin.token, body: { email, ...rights } });
    assert.equal(r.status, 201, r.text);
    const mail = await smtp.waitFor(email, (m) => /invitations\//.test(m.text));
    const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1];
    const password = 'a long password';
    const a = await saldo.api('POST', `/api/v1/invitations/${token}/accept`,
      { body: { name: email, password, country: 'IT', language: 'en' } });
    assert.equal(a.status, 201, a.text);
    const s = await saldo.api('POST', '/api/v1/sessions', { body: { email, password } });
    return { token: s.body.token, id: a.body.user.id };
  };
  const member = await join(`plain${Date.now()}@example.test`, { role: 'member', billing: false });
  const payer = await join(`payer${Date.now()}@example.test`, { role: 'member', billing: true });
  const outsider = await signUp(saldo);
  const pending = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/invitations`,
    { token: admin.token, body: { email: `pending${Date.now()}@example.test` } });
  const address = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/billing-addresses`, {
    token: admin.token,
    body: { recipient: 'Matrix S.r.l.', street: 'Via Roma 1', postal_code: '00184', city: 'Roma', province: 'RM', country: 'IT' },
  });
  assert.equal(address.status, 201, address.text);
  // A bank transfer credited, whose receipt is .../invoices/{invoice_id}.
  const ref = (await saldo.api('GET', `/api/v1/orgs/${admin.org.id}/bank-transfer`, { token: admin.token })).body.reference;
  const file = path.join(tempDir('saldo-matrix-'), 'statement.xml');
  fs.writeFileSync(file, statement({ id: 'STMT-matrix', entries: [{ ref: 'matrix-1', amount: '1', structured: ref }] }));
  assert.equal(saldo.run(['import-statement', file]).status, 0);
  const receipt = await saldo.api('GET', `/api/v1/orgs/${admin.org.id}/invoices`, { token: admin.token });
  assert.equal(receipt.body.documents.length, 1, receipt.text);
  const product = addProduct(saldo, addCategory(saldo));
  const serviceId = addService(saldo, admin.org.id, product, { status: 'active' });
  // An order (of a free product, so no money is needed) for .../orders/{order_id}.
  insertId(saldo, `INSERT INTO catalog_prices (product_id, currency, period_months, price_minor)
                   VALUES (${product}, 'EUR', 12, 0) RETURNING product_id`);
  const order = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/orders`, {
    token: admin.token, headers: { 'Idempotency-Key': 'matrix-order' },
    body: { items: [{ product_id: product, period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' },
  });
  assert.equal(order.status, 201, order.text);
  // A withdrawal (of a staff credit) for .../withdrawals/{withdrawal_id}.
  const staff = await staffLogin(saldo);
  const credit = await saldo.api('POST', `/api/v1/staff/orgs/${admin.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': 'matrix-credit' },
    body: { amount: { currency: 'EUR', minor: 1000 }, reason: 'matrix credit' },
  });
  assert.equal(credit.status, 201, credit.text);
  const withdrawal = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/withdrawals`, {
    token: admin.token, headers: { 'Idempotency-Key': 'matrix-withdrawal' },
    body: { amount: { currency: 'EUR', minor: 100 }, destination: { method: 'paypal', email: 'matrix@example.test' } },
  });
  assert.equal(withdrawal.status, 201, withdrawal.text);
  // A top-up (by bank transfer: no gateway needed) for .../payments/{payment_id}.
  const topup = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/topups`, {
    token: admin.token, headers: { 'Idempotency-Key': 'matrix-topup' },
    body: { amount: { currency: 'EUR', minor: 1000 }, method: 'bank_transfer' },
  });
  assert.equal(topup.status, 201, topup.text);
  // A ticket with a file for .../tickets/{ticket_id}/attachments/{attachment_id}.
  const ticketForm = new FormData();
  for (const [k, v] of Object.entries({ department: 'technical', subject: 'Matrix', description: 'A ticket to walk.' })) {
    ticketForm.append(k, v);
  }
  ticketForm.append('files', new Blob(['a log line\n'], { type: 'text/plain' }), 'matrix.log');
  const ticket = await saldo.api('POST', `/api/v1/orgs/${admin.org.id}/tickets`, { token: admin.token, raw: ticketForm });
  assert.equal(ticket.status, 201, ticket.text);
  who = {
    admin, member, payer, outsider, ticketId: ticket.body.id,
    attachmentId: ticket.body.messages[0].attachments[0].id, invitationId: pending.body.invitation.id, addressId: address.body.id,
    orderId: order.body.order.id, serviceId, withdrawalId: withdrawal.body.id,
    paymentId: topup.body.payment.id, invoiceId: receipt.body.documents[0].id,
  };
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** Every operation under /api/v1/orgs/{org_id}: {method, template, op}. */
function orgOperations() {
  const ops = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!template.startsWith('/api/v1/orgs/{org_id}')) continue;
    for (const method of METHODS) if (item[method]) ops.push({ method: method.toUpperCase(), template, op: item[method] });
  }
  return ops;
}

/** The template with real values: the organization, its administrator as the
 * member acted on, its pending invitation, its billing address, its service, its order, its withdrawal, its top-up,
 * its receipt, its ticket and its attachment, and 1 for anything else. */
function url(template) {
  return template.replace(/\{([a-z_]+)\}/g, (_, name) => {
    if (name === 'org_id') return who.admin.org.id;
    if (name === 'user_id') return who.admin.user.id;
    if (name === 'invitation_id') return who.invitationId;
    if (name === 'address_id') return who.addressId;
    if (name === 'service_id') return who.serviceId;
    if (name === 'order_id') return who.orderId;
    if (name === 'withdrawal_id') return who.withdrawalId;
    if (name === 'payment_id') return who.paymentId;
    if (name === 'invoice_id') return who.invoiceId;
    if (name === 'ticket_id') return who.ticketId;
    if (name === 'attachment_id') return who.attachmentId;
    return '1';
  });
}

const call = (method, template, token) => saldo.api(method, url(template), {
  token, body: method === 'GET' || method === 'DELETE' ? undefined : {},
  headers: { 'Idempotency-Key': `matrix-${Math.random()}` },
});
const label = (method, template, r) => `${method} ${template} → ${r.status} ${r.text.slice(0, 200)}`;

test('the document lists the organization routes this walk needs', () => {
  const names = orgOperations().map((o) => `${o.method} ${o.template}`);
  for (const must of ['GET /api/v1/orgs/{org_id}/wallets', 'GET /api/v1/orgs/{org_id}/members',
    'PATCH /api/v1/orgs/{org_id}/members/{user_id}', 'GET /api/v1/orgs/{org_id}/audit']) {
    assert.ok(names.includes(must), must);
  }
  const billing = orgOperations().filter((o) => o.op['x-saldo-billing']).map((o) => o.template);
  assert.ok(billing.includes('/api/v1/orgs/{org_id}/wallets') && billing.includes('/api/v1/orgs/{org_id}/transactions'));
});

test('a user of another organization gets 404 on every organization route', async () => {
  for (const { method, template } of orgOperations()) {
    const r = await call(method, template, who.outsider.token);
    assert.equal(r.status, 404, label(method, template, r));
  }
});

test('a member without the billing right gets 404 on billing routes and 403 on administrators\' routes', async () => {
  let billing = 0;
  let admin = 0;
  for (const { method, template, op } of orgOperations()) {
    if (!op['x-saldo-billing'] && !op['x-saldo-admin']) continue;
    const r = await call(method, template, who.member.token);
    if (op['x-saldo-billing']) {
      billing += 1;
      assert.equal(r.status, 404, label(method, template, r));
    } else {
      admin += 1;
      assert.equal(r.status, 403, label(method, template, r));
      assert.equal(r.body.error.code, 'forbidden');
    }
  }
  assert.ok(billing >= 2 && admin >= 5, `${billing} billing and ${admin} admin operations walked`);
});

/** Let in: 200, or an answer about the thing itself that only someone let in
 * gets (the receipt used here gets no e-invoice). */
const letIn = (r) => r.status === 200 || ['no_einvoice', 'einvoice_refused'].includes(r.body?.error?.code);

test('what is not refused is open: members read, payers see the money, the admin sees all', async () => {
  for (const { method, template, op } of orgOperations()) {
    if (method !== 'GET') continue;
    if (!op['x-saldo-billing'] && !op['x-saldo-admin']) {
      const r = await call(method, template, who.member.token);
      assert.ok(letIn(r), label(method, template, r));
    }
    if (op['x-saldo-billing']) {
      const r = await call(method, template, who.payer.token);
      assert.ok(letIn(r), label(method, template, r));
    }
    const r = await call(method, template, who.admin.token);
    assert.ok(letIn(r), label(method, template, r));
  }
});

test('unmarked changes are not refused to a member (run last: they may change things)', async () => {
  for (const { method, template, op } of orgOperations()) {
    if (method === 'GET' || op['x-saldo-billing'] || op['x-saldo-admin']) continue;
    const r = await call(method, template, who.member.token);
    assert.ok(r.status !== 403 && r.status !== 404, label(method, template, r));
  }
});
