// api_bad_input.test.mjs - every JSON body the API documents (docs/openapi.json),
// sent wrong: not JSON, not an object, empty when fields are required, and each
// documented field alone with a value of the wrong type. Every answer must be a
// clear refusal (4xx with the error object; 422 naming a required field, or the
// field sent when none is required), never a success or a 500, and nothing may
// change: no row in the tables money and requests write, and the ledger holds.
// The path's ids are real where a resource is cheap to have (the caller's
// organization, a ticket, an address, a chat, a department), so most bodies are
// read rather than stopped by a 404. Likewise every documented query parameter
// with a type, range, pattern, list or length: values outside it are a 422
// naming the parameter.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { GOOD_QUERY } from './lib/schema.mjs';

let saldo;
let doc;
before(async () => {
  saldo = await startSaldo();
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => saldo.stop());

const resolve = (s) => (s && s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s || {});
const mainType = (s) => {
  const t = resolve(s).type;
  return Array.isArray(t) ? t.find((x) => x !== 'null') : t;
};
/** A value no field of schema s takes; undefined when its type is open. */
function wrongValue(s) {
  switch (mainType(s)) {
    case 'string': return 12345;
    case 'integer': case 'number': return '12x';
    case 'boolean': return 'yes';
    case 'array': return { not: 'a list' };
    case 'object': return 'not an object';
    default: return undefined;
  }
}

/** One level down: an object (or a list of one) whose fields are each, in turn,
 * of the wrong type: [[".field" or "[0].field", value]]. */
function nestedWrong(s) {
  s = resolve(s);
  const list = mainType(s) === 'array';
  const item = resolve(list ? s.items : s);
  if (mainType(item) !== 'object' || !item.properties) return [];
  return Object.entries(item.properties).flatMap(([k, v]) => {
    const wrong = wrongValue(v);
    if (wrong === undefined) return [];
    return [[`${list ? '[0]' : ''}.${k}`, list ? [{ [k]: wrong }] : { [k]: wrong }]];
  });
}

const TABLES = ['ledger_transfers', 'orders', 'services', 'documents', 'support_tickets', 'support_messages', 'orgs',
  'users', 'memberships', 'invitations', 'billing_addresses', 'withdrawals', 'refund_requests', 'payments',
  'payment_methods', 'cart_items', 'chats', 'chat_messages', 'catalog_categories', 'catalog_products', 'discount_codes',
  'free_credits', 'fx_quotes', 'vat_rates', 'announcements', 'abuse_reports', 'support_canned', 'support_departments',
  'credit_transfer_exports', 'sessions', 'outbox'];
const counts = () => Object.fromEntries(TABLES.map((t) => [t, saldo.sql(`SELECT COUNT(*) FROM ${t}`)]));

test('every documented JSON body, sent wrong, is refused clearly and changes nothing', { timeout: 300000 }, async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const ticket = (await saldo.api('POST', `/api/v1/orgs/${u.org.id}/tickets`, { token: u.token,
    body: { department: 'technical', subject: 'Sweep', description: 'A ticket for the sweep.' } })).body;
  const address = (await saldo.api('POST', `/api/v1/orgs/${u.org.id}/billing-addresses`, { token: u.token,
    body: { recipient: 'Ada Rossi', street: 'Via Dante 12', postal_code: '20121', city: 'Milano', province: 'MI',
      country: 'IT' } })).body;
  const chat = (await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'Hello' } })).body.chat;
  assert.ok(ticket.id && address.id && chat.id, 'the resources of the sweep exist');
  const ids = { org_id: u.org.id, ticket_id: ticket.id, address_id: address.id, chat_id: chat.id, user_id: u.user.id,
    code: 'technical' };
  const before = counts();
  let sent = 0;
  const refusals = new Map();
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      const path = template.replace(/\{(\w+)\}/g, (_, name) => ids[name] ?? (name === 'token' ? 'no-such-token' : 999999999));
      const token = template.startsWith('/api/v1/staff/') ? staff.token : u.token;
      const s = resolve(schema);
      const required = s.required || [];
      const cases = [['not JSON', { raw: '{"unclosed": ', headers: { 'Content-Type': 'application/json' } }],
        ['an array', { body: [] }]];
      if (required.length) cases.push(['no field', { body: {} }]);
      for (const [name, field] of Object.entries(s.properties || {})) {
        const wrong = wrongValue(field);
        if (wrong !== undefined) cases.push([`${name} wrong`, { body: { [name]: wrong } }, name]);
        for (const [inner, value] of nestedWrong(field))
          cases.push([`${name}${inner} wrong`, { body: { [name]: value } }, name]);
      }
      for (const [what, req, field] of cases) {
        const label = `${method.toUpperCase()} ${template}: ${what}`;
        const headers = { ...(req.headers || {}), 'Idempotency-Key': `sweep-${++sent}` };
        const r = await saldo.api(method.toUpperCase(), path, { token, ...req, headers });
        assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status} ${r.text}`);
        assert.equal(typeof r.body?.error?.code, 'string', `${label}: ${r.text}`);
        assert.equal(typeof r.body.error.message, 'string', `${label}: ${r.text}`);
        if (what === 'not JSON' && r.status !== 404)
          assert.equal(r.status, 400, `${label}: ${r.text}`);
        if (r.status === 422 && r.body.error.field && what === 'no field')
          assert.ok(required.some((f) => r.body.error.field.startsWith(f)), `${label} names a required field: ${r.text}`);
        if (r.status === 422 && r.body.error.field && field && !required.length)
          assert.ok(r.body.error.field.startsWith(field), `${label} names ${field}: ${r.text}`);
        refusals.set(r.status, (refusals.get(r.status) || 0) + 1);
      }
    }
  }
  assert.ok(sent > 300, `a sweep of ${sent} requests`);
  assert.ok(refusals.get(422) > sent / 3, `most bodies are read and refused: ${JSON.stringify([...refusals])}`);
  assert.deepEqual(counts(), before, 'nothing was written');
  assert.equal(saldo.run(['ledger', 'verify']).status, 0);
});

/** Values the parameter's schema s refuses. */
function badQueryValues(s) {
  s = resolve(s);
  const out = [];
  if (s.type === 'integer') {
    out.push('abc', '+5', '5x', '1.5', '99999999999999999999');
    if (s.minimum >= 1) out.push(String(s.minimum - 1));
    if (s.maximum !== undefined && s.maximum < 1e9) out.push(String(s.maximum + 1));
  }
  if (s.enum) out.push('nope');
  if (s.pattern) out.push('!!');
  if (s.format === 'date') out.push('2026-13-45', 'yesterday');
  if (s.maxLength) out.push('x'.repeat(s.maxLength + 1));
  return out;
}

test('every documented query parameter outside its schema is a 422 naming it', async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const chat = (await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'Hello' } })).body.chat;
  const ids = { org_id: u.org.id, chat_id: chat.id };
  const param = (p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p);
  let sent = 0;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const op = ops.get;
    if (!op) continue;
    const path = template.replace(/\{(\w+)\}/g, (_, name) => ids[name] ?? 999999999);
    const token = template.startsWith('/api/v1/staff/') ? staff.token : u.token;
    const query = [...(op.parameters || []), ...(ops.parameters || [])].map(param).filter((x) => x.in === 'query');
    for (const q of query) {
      const others = query.filter((x) => x.required && x !== q).map((x) => `&${x.name}=${GOOD_QUERY[x.name]}`).join('');
      for (const value of badQueryValues(q.schema)) {
        const label = `GET ${template}?${q.name}=${value.slice(0, 24)}`;
        const r = await saldo.api('GET', `${path}?${q.name}=${encodeURIComponent(value)}${others}`, { token });
        sent++;
        assert.equal(r.status, 422, `${label}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.body?.error?.field, q.name, `${label}: ${r.text.slice(0, 200)}`);
      }
    }
  }
  assert.ok(sent > 80, `a sweep of ${sent} requests`);
});

test('every documented path with an id that is not one answers 4xx for every method, and changes nothing', async () => {
  const u = await signUp(saldo);
  const staff = await staffLogin(saldo);
  const before = counts();
  let sent = 0;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (!names.length) continue;
    const token = template.startsWith('/api/v1/staff/') ? staff.token : u.token;
    for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
      for (const name of names) {
        for (const bad of ['abc', '0', '-1', '01', '1.0', '99999999999999999999', '%20']) {
          const path = template.replace(/\{(\w+)\}/g, (_, n) => (n === name ? bad : n === 'org_id' ? u.org.id : 1));
          const r = await saldo.api(method.toUpperCase(), path, { token, body: method === 'get' ? undefined : {},
            headers: { 'Idempotency-Key': `ids-${++sent}` } });
          const label = `${method.toUpperCase()} ${path}`;
          assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
  }
  assert.ok(sent > 300, `a sweep of ${sent} requests`);
  assert.deepEqual(counts(), before, 'nothing was written');
  assert.equal(saldo.run(['ledger', 'verify']).status, 0);
});
