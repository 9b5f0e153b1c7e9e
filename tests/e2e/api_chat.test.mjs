// api_chat.test.mjs - live chat over the API: a signed-in customer and a
// visitor (email + name, then an HttpOnly cookie) start chats; messages flow
// both ways as server-sent events read with fetch, in order, resumable with
// Last-Event-ID or ?after=; nobody else sees a chat (404); a visitor's writes
// need the visitor's CSRF token; staff list, claim, answer and close chats
// and turn them into tickets with the transcript (a visitor without an
// account is refused with 422); bad input is refused naming the field and
// writes nothing; posting is rate-limited per chat; the events stream closes
// when the chat does; a message posted on another node sharing the store
// arrives through the hub's poll; and SIGTERM with open streams still exits 0
// at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { api, providerTime, signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';
import { openEvents } from './lib/sse.mjs';

let saldo;
let staff;
let doc;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
});
after(async () => {
  assert.doesNotMatch(saldo.log(), /db_leak/, 'no statement left open by a handler or a stream');
  await saldo.stop();
});

const cookieOf = (r) => (r.headers.get('set-cookie') || '').split(';')[0];
const count = (table) => Number(saldo.sql(`SELECT COUNT(*) FROM ${table}`));

async function visitorChat(over = {}) {
  const email = over.email || `visitor${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.test`;
  const r = await saldo.api('POST', '/api/v1/chats', { body: { email, name: 'Vera Visitor', message: 'Hello?', ...over } });
  assert.equal(r.status, 201, r.text);
  return { id: r.body.chat.id, cookie: cookieOf(r), csrf: r.body.visitor_csrf, email, r };
}

test('a customer starts a chat; staff claim and answer; events arrive in order and resume', async () => {
  const u = await signUp(saldo);
  let r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'My server is down' } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/chats', r);
  assert.equal(r.body.chat.status, 'waiting');
  assert.equal(r.body.chat.visitor, false);
  assert.equal(r.body.visitor_csrf, undefined);
  assert.equal(r.headers.get('set-cookie'), null, 'a customer needs no visitor cookie');
  assert.deepEqual(r.body.messages.map((m) => [m.author, m.body]), [['customer', 'My server is down']]);
  const id = r.body.chat.id;

  r = await saldo.api('GET', '/api/v1/chats/current', { token: u.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.chat.id, id);

  const es = await openEvents(`${saldo.url}/api/v1/chats/${id}/events`, { Authorization: `Bearer ${u.token}` });
  assert.equal(es.status, 200);
  assert.match(es.headers.get('content-type'), /^text\/event-stream/);
  await es.next(1);

  r = await saldo.api('GET', '/api/v1/staff/chats', { token: staff.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/staff/chats', r);
  assert.ok(r.body.chats.some((c) => c.id === id && c.status === 'waiting' && c.email === u.email));

  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/claim`, { token: staff.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/chats/{chat_id}/claim', r);
  assert.equal(r.body.chat.status, 'active');
  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/messages`, { token: staff.token, body: { body: 'Looking at it' } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/chats/{chat_id}/messages', r);
  r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: 'Thanks!\nIt is web1' } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/chats/{chat_id}/messages', r);

  const evs = await es.next(4);
  assert.deepEqual(evs.map((e) => [e.event, e.data.author, e.data.body]), [
    ['message', 'customer', 'My server is down'],
    ['message', 'system', 'An operator joined the chat.'],
    ['message', 'staff', 'Looking at it'],
    ['message', 'customer', 'Thanks!\nIt is web1'],
  ]);
  assert.deepEqual(evs.map((e) => Number(e.id)), evs.map((e) => e.data.id), 'each event id is its message id');
  assert.ok(evs.every((e, i) => i === 0 || e.data.id > evs[i - 1].data.id));
  es.close();

  const resumed = await openEvents(`${saldo.url}/api/v1/chats/${id}/events`,
    { Authorization: `Bearer ${u.token}`, 'Last-Event-ID': evs[1].id });
  assert.deepEqual((await resumed.next(2)).map((e) => e.data.body), ['Looking at it', 'Thanks!\nIt is web1']);
  resumed.close();
  const after2 = await openEvents(`${saldo.url}/api/v1/chats/${id}/events?after=${evs[2].id}`,
    { Authorization: `Bearer ${u.token}` });
  assert.deepEqual((await after2.next(1)).map((e) => e.data.body), ['Thanks!\nIt is web1']);

  r = await saldo.api('GET', `/api/v1/chats/${id}`, { token: u.token });
  assertAnswer(doc, 'GET', '/api/v1/chats/{chat_id}', r);
  assert.equal(r.body.messages.length, 4);

  r = await saldo.api('POST', `/api/v1/chats/${id}/close`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'POST', '/api/v1/chats/{chat_id}/close', r);
  assert.equal(r.body.chat.status, 'closed');
  const last = await after2.next(3);
  assert.equal(last[1].data.body, 'The chat was closed.');
  assert.equal(last[2].event, 'closed');
  await after2.end();
  r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: 'one more' } });
  assert.equal(r.status, 409);
  r = await saldo.api('GET', '/api/v1/chats/current', { token: u.token });
  assert.equal(r.status, 404, 'no open chat any more');
  r = await saldo.api('GET', `/api/v1/staff/chats/${id}`, { token: staff.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/staff/chats/{chat_id}', r);
  assert.equal(r.body.messages.length, 5, 'the transcript is kept after closing');
});

test('a visitor chats with a cookie and a CSRF token; nobody else sees the chat', async () => {
  const v = await visitorChat();
  assertAnswer(doc, 'POST', '/api/v1/chats', v.r);
  assert.match(v.r.headers.get('set-cookie'), /^saldo_chat=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
  assert.equal(v.r.body.chat.visitor, true);
  assert.match(v.csrf, /^[0-9a-f]{64}$/);
  let r = await saldo.api('GET', `/api/v1/chats/${v.id}`, { headers: { Cookie: v.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.body.visitor_csrf, v.csrf);
  r = await saldo.api('GET', '/api/v1/chats/current', { headers: { Cookie: v.cookie } });
  assert.equal(r.body.chat.id, v.id);

  r = await saldo.api('POST', `/api/v1/chats/${v.id}/messages`, { headers: { Cookie: v.cookie }, body: { body: 'hi' } });
  assert.equal(r.status, 403, 'a cookie-authenticated write needs the CSRF token');
  r = await saldo.api('POST', `/api/v1/chats/${v.id}/messages`,
    { headers: { Cookie: v.cookie, 'X-CSRF-Token': '0'.repeat(64) }, body: { body: 'hi' } });
  assert.equal(r.status, 403);
  r = await saldo.api('POST', `/api/v1/chats/${v.id}/messages`,
    { headers: { Cookie: v.cookie, 'X-CSRF-Token': v.csrf }, body: { body: 'hi' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.author, 'visitor');

  const other = await visitorChat();
  const u = await signUp(saldo);
  for (const opts of [{}, { headers: { Cookie: other.cookie } }, { token: u.token },
    { headers: { Cookie: 'saldo_chat=' + 'A'.repeat(43) } }]) {
    r = await saldo.api('GET', `/api/v1/chats/${v.id}`, opts);
    assert.equal(r.status, 404, JSON.stringify(opts));
    r = await saldo.api('GET', `/api/v1/chats/${v.id}/events`, opts);
    assert.equal(r.status, 404);
  }
  r = await saldo.api('POST', `/api/v1/chats/${v.id}/messages`,
    { headers: { Cookie: other.cookie, 'X-CSRF-Token': other.csrf }, body: { body: 'intruder' } });
  assert.equal(r.status, 404);
  r = await saldo.api('GET', `/api/v1/staff/chats/${v.id}`, { token: u.token });
  assert.equal(r.status, 401, 'a customer is not staff');

  // The visitor's stream sees the staff's answer live.
  const es = await openEvents(`${saldo.url}/api/v1/chats/${v.id}/events`, { Cookie: v.cookie });
  await es.next(2);
  r = await saldo.api('POST', `/api/v1/staff/chats/${v.id}/messages`, { token: staff.token, body: { body: 'Hello Vera' } });
  assert.equal(r.status, 201);
  assert.equal((await es.next(3))[2].data.body, 'Hello Vera');
  r = await saldo.api('POST', `/api/v1/staff/chats/${v.id}/close`, { token: staff.token });
  assert.equal(r.status, 200);
  assert.equal((await es.next(5))[4].event, 'closed');
  assert.equal(saldo.sql(`SELECT action FROM audit_log WHERE target_kind = 'chat' AND target_id = ${v.id}`), 'chat.close');
});

test('staff turn a chat into a ticket with the transcript; a visitor without an account is refused', async () => {
  const u = await signUp(saldo);
  let r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'Invoice question' } });
  const id = r.body.chat.id;
  await saldo.api('POST', `/api/v1/staff/chats/${id}/claim`, { token: staff.token });
  await saldo.api('POST', `/api/v1/staff/chats/${id}/messages`, { token: staff.token, body: { body: 'Which invoice?' } });
  const es = await openEvents(`${saldo.url}/api/v1/chats/${id}/events`, { Authorization: `Bearer ${u.token}` });
  await es.next(3);

  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/ticket`, { token: staff.token, body: { department: 'nope' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'department');
  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/ticket`,
    { token: staff.token, body: { department: 'technical', priority: 'urgent' } });
  assert.equal(r.body.error.field, 'priority');
  assert.equal(count('support_tickets WHERE org_id = ' + u.org.id), 0, 'nothing written');

  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/ticket`,
    { token: staff.token, body: { department: 'technical', priority: 'high' } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/chats/{chat_id}/ticket', r);
  const ticketId = r.body.chat.ticket_id;
  const chatLines = r.body.messages;
  assert.ok(ticketId > 0);
  assert.equal(r.body.chat.status, 'closed');
  assert.equal(r.body.messages.at(-1).body, `This chat continues as ticket #${ticketId}.`);
  const evs = await es.next(5);
  assert.equal(evs[3].data.body, `This chat continues as ticket #${ticketId}.`);
  assert.equal(evs[4].event, 'closed');

  r = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/tickets/${ticketId}`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.subject, `Live chat ${id}`);
  assert.equal(r.body.priority, 'high');
  assert.equal(r.body.messages[0].author, 'chat');
  // Each line at its time in Italy, as the pages show times.
  const at = chatLines.map((m) => providerTime(Date.parse(m.created_at)).slice(11));
  assert.match(at[0], /^\d\d:\d\d CES?T$/);
  assert.match(r.body.messages[0].body, /^Test User \d+ \(/);
  assert.equal(r.body.messages[0].body.replace(/^Test User \d+ /, ''), `(${at[0]}): Invoice question\nSystem (${at[1]}): `
    + `An operator joined the chat.\nStaff (${at[2]}): Which invoice?\n`);
  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/ticket`, { token: staff.token, body: { department: 'technical' } });
  assert.equal(r.status, 409, 'once only');

  const v = await visitorChat();
  const tickets = count('support_tickets');
  r = await saldo.api('POST', `/api/v1/staff/chats/${v.id}/ticket`, { token: staff.token, body: { department: 'technical' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'no_account');
  assert.match(r.body.error.message, /visitor without an account cannot own a ticket/);
  assert.equal(count('support_tickets'), tickets, 'nothing written');
  assert.equal(saldo.sql(`SELECT status FROM chats WHERE id = ${v.id}`), 'waiting');

  // A visitor whose email is a customer's: the ticket is that customer's.
  const w = await signUp(saldo);
  const vw = await visitorChat({ email: w.email });
  r = await saldo.api('POST', `/api/v1/staff/chats/${vw.id}/ticket`,
    { token: staff.token, body: { department: 'technical', subject: 'From the chat' } });
  assert.equal(r.status, 201, r.text);
  r = await saldo.api('GET', `/api/v1/orgs/${w.org.id}/tickets/${r.body.chat.ticket_id}`, { token: w.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.subject, 'From the chat');
  assert.match(r.body.messages[0].body, /^Vera Visitor \(\d\d:\d\d CES?T\): Hello\?/);
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const before = count('chats');
  const msgs = count('chat_messages');
  const cases = [
    [{ name: 'V', message: 'hi' }, 'email'],
    [{ email: 'not-an-email', name: 'V', message: 'hi' }, 'email'],
    [{ email: 'v@example.test', message: 'hi' }, 'name'],
    [{ email: 'v@example.test', name: 'V' }, 'message'],
    [{ email: 'v@example.test', name: 'V', message: '   ' }, 'message'],
    [{ email: 'v@example.test', name: 'V', message: 'x'.repeat(4001) }, 'message'],
    [{ email: 'v@example.test', name: 'V', message: 'bell\u0007' }, 'message'],
  ];
  for (const [body, field] of cases) {
    const r = await saldo.api('POST', '/api/v1/chats', { body });
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.equal(r.body.error.field, field);
  }
  let r = await saldo.api('POST', '/api/v1/chats', { raw: '{not json', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  const u = await signUp(saldo);
  r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: {} });
  assert.equal(r.body.error.field, 'message');
  assert.equal(count('chats'), before);
  assert.equal(count('chat_messages'), msgs);

  r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'ok' } });
  const id = r.body.chat.id;
  r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: 'é'.repeat(4000) } });
  assert.equal(r.status, 201, '4,000 characters (8,000 bytes) are allowed');
  r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: 'é'.repeat(4001) } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'body');
  r = await saldo.api('GET', `/api/v1/chats/${id}/events?after=abc`, { token: u.token });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'after');
  r = await saldo.api('GET', '/api/v1/staff/chats?status=open', { token: staff.token });
  assert.equal(r.body.error.field, 'status');
  r = await saldo.api('GET', '/api/v1/chats/999999', { token: u.token });
  assert.equal(r.status, 404);
});

test('posting is rate-limited per chat with a clear 429', async () => {
  const u = await signUp(saldo);
  let r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'flood' } });
  const id = r.body.chat.id;
  for (let i = 0; i < 20; i++) {
    r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: `m${i}` } });
    assert.equal(r.status, 201, `message ${i}: ${r.text}`);
  }
  const n = count(`chat_messages WHERE chat_id = ${id}`);
  r = await saldo.api('POST', `/api/v1/chats/${id}/messages`, { token: u.token, body: { body: 'one too many' } });
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'rate_limited');
  assert.match(r.body.error.message, /at most 20 every 10 seconds/);
  assert.equal(count(`chat_messages WHERE chat_id = ${id}`), n, 'nothing written');
  r = await saldo.api('POST', `/api/v1/staff/chats/${id}/messages`, { token: staff.token, body: { body: 'staff too' } });
  assert.equal(r.status, 429, 'per chat, whoever writes');
});

test('many streams, posts from all sides at once: every stream gets every message once, in order', async () => {
  const chats = [];
  for (let c = 0; c < 5; c++) {
    const u = await signUp(saldo);
    const r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: `chat ${c}` } });
    const auth = { Authorization: `Bearer ${u.token}` };
    const streams = [];
    for (let i = 0; i < 4; i++) streams.push(await openEvents(`${saldo.url}/api/v1/chats/${r.body.chat.id}/events`, auth));
    chats.push({ u, id: r.body.chat.id, streams });
  }
  // One stream goes away mid-way; the others must not notice.
  chats[0].streams.pop().close();
  await Promise.all(chats.flatMap((c) => Array.from({ length: 8 }, (_, i) => (i % 2
    ? saldo.api('POST', `/api/v1/staff/chats/${c.id}/messages`, { token: staff.token, body: { body: `s${i}` } })
    : saldo.api('POST', `/api/v1/chats/${c.id}/messages`, { token: c.u.token, body: { body: `c${i}` } })))));
  for (const c of chats) {
    const want = saldo.sql(`SELECT id FROM chat_messages WHERE chat_id = ${c.id} ORDER BY id`).split('\n').map(Number);
    assert.equal(want.length, 9);
    for (const es of c.streams) {
      const got = (await es.next(9)).map((e) => e.data.id);
      assert.deepEqual(got, want);
      es.close();
    }
  }
});

test('open streams per chat are capped', async () => {
  const u = await signUp(saldo);
  const r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'streams' } });
  const url = `${saldo.url}/api/v1/chats/${r.body.chat.id}/events`;
  const open = [];
  for (let i = 0; i < 8; i++) {
    const es = await openEvents(url, { Authorization: `Bearer ${u.token}` });
    assert.equal(es.status, 200);
    open.push(es);
  }
  const ninth = await openEvents(url, { Authorization: `Bearer ${u.token}` });
  assert.equal(ninth.status, 429);
  assert.match(ninth.body, /too_many_streams/);
  for (const es of open) es.close();
});

test('a message posted on another node reaches this node\'s streams within about a second', async () => {
  const other = await startSaldo({ args: ['--database', saldo.db] });
  try {
    const u = await signUp(saldo);
    const r = await saldo.api('POST', '/api/v1/chats', { token: u.token, body: { message: 'two nodes' } });
    const es = await openEvents(`${saldo.url}/api/v1/chats/${r.body.chat.id}/events`, { Authorization: `Bearer ${u.token}` });
    await es.next(1);
    const t0 = Date.now();
    const p = await api(other.url, 'POST', `/api/v1/staff/chats/${r.body.chat.id}/messages`,
      { token: staff.token, body: { body: 'from the other node' } });
    assert.equal(p.status, 201, p.text);
    assert.equal((await es.next(2, 4000))[1].data.body, 'from the other node');
    assert.ok(Date.now() - t0 < 3000, `arrived after ${Date.now() - t0} ms`);
    es.close();
  } finally {
    await other.stop();
  }
});

test('SIGTERM with open streams exits 0 at once', async () => {
  const s2 = await startSaldo();
  const u = await signUp(s2);
  const r = await api(s2.url, 'POST', '/api/v1/chats', { token: u.token, body: { message: 'hold on' } });
  const streams = [];
  for (let i = 0; i < 3; i++) {
    const es = await openEvents(`${s2.url}/api/v1/chats/${r.body.chat.id}/events`, { Authorization: `Bearer ${u.token}` });
    await es.next(1);
    streams.push(es);
  }
  const t0 = Date.now();
  await s2.stop();
  assert.ok(Date.now() - t0 < 3000, `stopped in ${Date.now() - t0} ms`);
  for (const es of streams) await es.end();
});
