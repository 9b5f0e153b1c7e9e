// api_tickets.test.mjs - support tickets over the API: opening with the
// incident details (service, server IP, the local time the problem started in
// its zone, CET/CEST), validation naming the field, who sees which tickets (a
// member limited to one service sees only that service's tickets), the status
// flow (answered, waiting, open again, closed, reopened), rating only when
// closed, staff answers mailed to the support address with the ticket's token
// in Reply-To (real SMTP), internal notes never shown nor mailed, the SLA due
// time and the queue order, moving department and priority, merging, the SLA
// warning mails, the monthly report, and attachments (multipart, type by
// content, 5 files of 10 MB, downloads only for those who may see the ticket).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DAY, product, service } from './lib/billing.mjs';
import { providerTime, signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

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
after(async () => { await saldo.stop(); await smtp.stop(); });

const base = (u) => `/api/v1/orgs/${u.org.id}/tickets`;
const open = (u, body, token = u.token) => saldo.api('POST', base(u), { token, body });
const ticket = { department: 'technical', subject: 'Server down', description: 'It does not answer.\nSince this morning.' };

test('open a ticket with its details; the local time is kept with CET/CEST', async () => {
  const u = await signUp(saldo);
  const pid = product(saldo);
  const sid = service(saldo, u.org.id, pid, Math.floor(Date.now() / 1000) + 100 * DAY);
  let r = await open(u, { ...ticket, priority: 'high', service_id: sid, order_number: 'SALDO-42', server_ip: '2001:db8::1',
    problem_started_at: '2026-03-29T03:30' });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/orgs/{org_id}/tickets', r);
  assert.equal(r.body.status, 'open');
  assert.equal(r.body.priority, 'high');
  assert.equal(r.body.service_id, sid);
  assert.equal(r.body.server_ip, '2001:db8::1');
  assert.equal(r.body.problem_time_zone, 'Europe/Rome');
  assert.equal(r.body.problem_started_at, '2026-03-29T01:30:00Z', 'CEST is UTC+2 after the last Sunday of March');
  assert.equal(r.body.problem_started_local, '2026-03-29 03:30 CEST');
  assert.deepEqual(r.body.messages.map((m) => [m.author, m.body]), [['customer', ticket.description]]);
  assert.equal(r.body.token, undefined, 'the token never reaches the customer');

  r = await open(u, { ...ticket, problem_started_at: '2026-03-29T01:59' });
  assert.equal(r.body.problem_started_local, '2026-03-29 01:59 CET');
  assert.equal(r.body.problem_started_at, '2026-03-29T00:59:00Z');
  r = await open(u, { ...ticket, problem_started_at: '2026-10-25T02:30' });
  assert.equal(r.body.problem_started_at, '2026-10-25T00:30:00Z', 'the repeated hour is its first (summer) one');
  r = await open(u, { ...ticket, problem_started_at: '2026-10-25T03:30' });
  assert.equal(r.body.problem_started_local, '2026-10-25 03:30 CET');
  r = await open(u, { ...ticket, problem_started_at: '2026-07-01 12:00', problem_time_zone: 'Europe/London' });
  assert.equal(r.body.problem_started_local, '2026-07-01 12:00 BST');

  r = await saldo.api('GET', base(u), { token: u.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/orgs/{org_id}/tickets', r);
  assert.equal(r.body.tickets.length, 5);
});

test('bad input names the field and opens nothing', async () => {
  const u = await signUp(saldo);
  const cases = [
    [{ ...ticket, department: 'sales' }, 'department'],
    [{ ...ticket, priority: 'urgent' }, 'priority'],
    [{ ...ticket, subject: '' }, 'subject'],
    [{ ...ticket, description: '' }, 'description'],
    [{ ...ticket, description: 'bad \u0007 bell' }, 'description'],
    [{ ...ticket, server_ip: '300.1.2.3' }, 'server_ip'],
    [{ ...ticket, problem_started_at: '2026-03-29T02:30' }, 'problem_started_at'],
    [{ ...ticket, problem_started_at: '2026-02-30T10:00' }, 'problem_started_at'],
    [{ ...ticket, problem_started_at: 'yesterday' }, 'problem_started_at'],
    [{ ...ticket, problem_time_zone: 'Mars/Olympus' }, 'problem_time_zone'],
  ];
  for (const [body, field] of cases) {
    const r = await open(u, body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.body.error.field, field);
  }
  const r = await open(u, { ...ticket, service_id: 999999 });
  assert.equal(r.status, 404);
  assert.deepEqual((await saldo.api('GET', base(u), { token: u.token })).body.tickets, []);
});

test('a member limited to one service sees only its tickets; other organizations see nothing', async () => {
  const u = await signUp(saldo);
  const pid = product(saldo);
  const until = Math.floor(Date.now() / 1000) + 100 * DAY;
  const mine = service(saldo, u.org.id, pid, until);
  const other = service(saldo, u.org.id, pid, until, { label: 'other.org' });
  const a = (await open(u, { ...ticket, service_id: mine })).body;
  const b = (await open(u, { ...ticket, service_id: other })).body;
  const c = (await open(u, ticket)).body;
  const m = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, access_all, created_at)
    VALUES (${u.org.id}, ${m.user.id}, 'member', 0, 0, 0)`);
  saldo.sql(`INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES (${u.org.id}, ${m.user.id}, 'service', ${mine})`);
  let r = await saldo.api('GET', base(u), { token: m.token });
  assert.deepEqual(r.body.tickets.map((t) => t.id), [a.id]);
  assert.equal((await saldo.api('GET', `${base(u)}/${b.id}`, { token: m.token })).status, 404);
  assert.equal((await saldo.api('GET', `${base(u)}/${c.id}`, { token: m.token })).status, 404);
  assert.equal((await saldo.api('GET', `${base(u)}/${a.id}`, { token: m.token })).status, 200);
  r = await open(u, { ...ticket, service_id: other }, m.token);
  assert.equal(r.status, 404, 'a limited member cannot open a ticket about another service');
  r = await open(u, { ...ticket, service_id: mine }, m.token);
  assert.equal(r.status, 201);
  r = await saldo.api('GET', base(u), { token: u.token });
  assert.equal(r.body.tickets.length, 4, 'the administrator sees every ticket');

  const stranger = await signUp(saldo);
  assert.equal((await saldo.api('GET', base(u), { token: stranger.token })).status, 404);
  assert.equal((await saldo.api('GET', `${base(u)}/${a.id}`, { token: stranger.token })).status, 404);
  assert.equal((await saldo.api('GET', `${base(stranger)}/${a.id}`, { token: stranger.token })).status, 404);
});

test('statuses, replies by mail with the token in Reply-To, internal notes, rating when closed', async () => {
  const u = await signUp(saldo);
  const support = `help${Date.now()}@example.test`;
  let r = await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`,
    { token: u.token, body: { billing: null, support, abuse: null, status: null } });
  assert.equal(r.status, 200, r.text);
  const t = (await open(u, ticket)).body;
  const st = (id) => `/api/v1/staff/tickets/${id}`;

  r = await saldo.api('POST', `${st(t.id)}/messages`, { token: staff.token, body: { body: 'SECRET internal note', internal: true } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/tickets/{ticket_id}/messages', r);
  assert.equal(r.body.status, 'open', 'a note changes nothing');
  assert.equal(r.body.sla.first_response_at, null);

  r = await saldo.api('POST', `${st(t.id)}/messages`, { token: staff.token, body: { body: 'We are on it.\nReboot done.' } });
  assert.equal(r.status, 201);
  assert.equal(r.body.status, 'answered');
  assert.ok(r.body.sla.first_response_at);
  const token = saldo.sql(`SELECT token FROM support_tickets WHERE id = ${t.id}`);
  assert.match(token, /^[0-9a-f]{32}$/);
  const mail = await smtp.waitFor(support, (m) => m.text.includes('Reboot done'));
  assert.equal(mail.headers['Reply-To'], `support+${token}@saldo.test`);
  assert.match(mail.subject, new RegExp(`Ticket #${t.id}`));

  r = await saldo.api('GET', `${base(u)}/${t.id}`, { token: u.token });
  assert.deepEqual(r.body.messages.map((m) => m.author), ['customer', 'staff']);
  assert.ok(!r.text.includes('SECRET'), 'the customer never sees an internal note');
  assertAnswer(doc, 'GET', '/api/v1/orgs/{org_id}/tickets/{ticket_id}', r);
  r = await saldo.api('GET', st(t.id), { token: staff.token });
  assert.deepEqual(r.body.messages.map((m) => m.internal), [false, true, false]);

  r = await saldo.api('POST', `${st(t.id)}/messages`, { token: staff.token, body: { body: 'Did it help?', status: 'waiting' } });
  assert.equal(r.body.status, 'waiting');
  r = await saldo.api('POST', `${base(u)}/${t.id}/rating`, { token: u.token, body: { rating: 5 } });
  assert.equal(r.status, 409, 'rating only when closed');
  r = await saldo.api('POST', `${base(u)}/${t.id}/messages`, { token: u.token, body: { body: 'Still slow.' } });
  assert.equal(r.status, 201);
  assert.equal(r.body.status, 'open');
  r = await saldo.api('POST', `${base(u)}/${t.id}/close`, { token: u.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'closed');
  assert.ok(r.body.closed_at);
  assert.equal((await saldo.api('POST', `${base(u)}/${t.id}/close`, { token: u.token })).status, 409);
  r = await saldo.api('POST', `${base(u)}/${t.id}/messages`, { token: u.token, body: { body: 'hello?' } });
  assert.equal(r.status, 409);
  for (const bad of [0, 6, 'five', 2.5]) {
    r = await saldo.api('POST', `${base(u)}/${t.id}/rating`, { token: u.token, body: { rating: bad } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, 'rating');
  }
  r = await saldo.api('POST', `${base(u)}/${t.id}/rating`, { token: u.token, body: { rating: 4 } });
  assert.equal(r.status, 200);
  assert.equal(r.body.rating, 4);
  r = await saldo.api('POST', `${base(u)}/${t.id}/reopen`, { token: u.token });
  assert.equal(r.body.status, 'open');
  assert.equal(r.body.closed_at, null);
  assert.equal((await saldo.api('POST', `${base(u)}/${t.id}/reopen`, { token: u.token })).status, 409);
  r = await saldo.api('POST', `${st(t.id)}/messages`, { token: staff.token, body: { body: 'Closing it.', status: 'closed' } });
  assert.equal(r.body.status, 'closed');
  assert.ok(r.body.closed_at, 'an answer that closes sets closed_at');

  await new Promise((res) => setTimeout(res, 1500));
  const all = smtp.messages().filter((m) => m.to.includes(support));
  assert.equal(all.length, 3, 'three answers mailed, the note not');
  assert.ok(!all.some((m) => m.text.includes('SECRET')));
  const audit = saldo.sql(`SELECT action FROM audit_log WHERE target_kind = 'ticket' AND target_id = ${t.id} ORDER BY id`);
  assert.deepEqual(audit.split('\n'), ['ticket.note', 'ticket.reply', 'ticket.reply', 'ticket.reply']);
});

test('SLA: due time per department and priority, queue order, breaches, moving follows the target', async () => {
  let r = await saldo.api('PATCH', '/api/v1/staff/support/departments/billing',
    { token: staff.token, body: { sla_minutes: { normal: 60, high: 30 }, duty_email: 'duty@saldo.test' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.sla_minutes, { normal: 60, high: 30 });
  r = await saldo.api('PATCH', '/api/v1/staff/support/departments/billing',
    { token: staff.token, body: { sla_minutes: { normal: 0 } } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'sla_minutes.normal');

  const u = await signUp(saldo);
  const normal = (await open(u, { ...ticket, subject: 'normal one' })).body;
  const high = (await open(u, { ...ticket, subject: 'high one', priority: 'high' })).body;
  const bill = (await open(u, { ...ticket, subject: 'billing one', department: 'billing' })).body;
  const late = (await open(u, { ...ticket, subject: 'late one' })).body;
  saldo.sql(`UPDATE support_tickets SET first_response_due_at = first_response_due_at - 3600 WHERE id = ${late.id}`);

  r = await saldo.api('GET', '/api/v1/staff/tickets', { token: staff.token });
  assert.equal(r.status, 200);
  assertAnswer(doc, 'GET', '/api/v1/staff/tickets', r);
  const mine = r.body.tickets.filter((t) => t.org_id === u.org.id);
  assert.deepEqual(mine.map((t) => t.id), [high.id, late.id, normal.id, bill.id], 'high first, then by time left');
  const byId = Object.fromEntries(mine.map((t) => [t.id, t]));
  assert.ok(byId[normal.id].sla.seconds_left > 500 && byId[normal.id].sla.seconds_left <= 600, 'ten minutes by default');
  assert.ok(byId[bill.id].sla.seconds_left > 3500, 'the billing target is one hour');
  assert.equal(byId[late.id].sla.breached, true);
  assert.ok(byId[late.id].sla.seconds_left < 0);
  r = await saldo.api('GET', '/api/v1/staff/tickets?breached=true', { token: staff.token });
  assert.ok(r.body.tickets.some((t) => t.id === late.id));
  assert.ok(!r.body.tickets.some((t) => t.id === normal.id));
  r = await saldo.api('GET', '/api/v1/staff/tickets?department=billing', { token: staff.token });
  assert.ok(r.body.tickets.every((t) => t.department === 'billing'));
  r = await saldo.api('GET', '/api/v1/staff/tickets?priority=urgent', { token: staff.token });
  assert.equal(r.status, 422);

  r = await saldo.api('PATCH', `/api/v1/staff/tickets/${normal.id}`,
    { token: staff.token, body: { department: 'billing', priority: 'high', assigned_staff_id: 1 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.department, 'billing');
  assert.equal(r.body.priority, 'high');
  assert.equal(r.body.assigned_staff_id, 1);
  assert.equal(Date.parse(r.body.sla.due_at) - Date.parse(r.body.created_at), 30 * 60 * 1000);
  r = await saldo.api('GET', '/api/v1/staff/tickets?assigned=me', { token: staff.token });
  assert.deepEqual(r.body.tickets.map((t) => t.id), [normal.id]);
  r = await saldo.api('PATCH', `/api/v1/staff/tickets/${normal.id}`, { token: staff.token, body: { assigned_staff_id: 99999 } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'assigned_staff_id');
});

test('merge a duplicate: its messages move, it closes pointing to the target', async () => {
  const u = await signUp(saldo);
  const a = (await open(u, { ...ticket, subject: 'first' })).body;
  const b = (await open(u, { ...ticket, subject: 'duplicate', description: 'same problem again' })).body;
  const other = await signUp(saldo);
  const c = (await open(other, ticket)).body;
  let r = await saldo.api('POST', `/api/v1/staff/tickets/${b.id}/merge`, { token: staff.token, body: { into: c.id } });
  assert.equal(r.status, 422, 'never across organizations');
  r = await saldo.api('POST', `/api/v1/staff/tickets/${b.id}/merge`, { token: staff.token, body: { into: a.id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.id, a.id);
  assert.ok(r.body.messages.some((m) => m.body === 'same problem again'));
  r = await saldo.api('GET', `${base(u)}/${b.id}`, { token: u.token });
  assert.equal(r.body.status, 'closed');
  assert.equal(r.body.merged_into, a.id);
  assert.equal((await saldo.api('POST', `${base(u)}/${b.id}/reopen`, { token: u.token })).status, 409);
  r = await saldo.api('POST', `/api/v1/staff/tickets/${b.id}/merge`, { token: staff.token, body: { into: a.id } });
  assert.equal(r.status, 409);
});

test('the SLA watch mails the on-duty address once when a target is near and once when it is missed', async () => {
  const duty = `duty${Date.now()}@saldo.test`;
  let r = await saldo.api('PATCH', '/api/v1/staff/support/departments/technical',
    { token: staff.token, body: { sla_minutes: { normal: 1 }, duty_email: duty } });
  assert.equal(r.status, 200, r.text);
  const u = await signUp(saldo);
  const t = (await open(u, { ...ticket, subject: 'watch me' })).body;
  const soon = await smtp.waitFor(duty, (m) => m.subject.includes(`#${t.id} `) && m.subject.includes('DUE SOON'));
  assert.match(soon.subject, /watch me/);
  const due = (await saldo.api('GET', `/api/v1/staff/tickets/${t.id}`, { token: staff.token })).body.sla.due_at;
  assert.ok(soon.text.includes(`is ${providerTime(Date.parse(due))} (DUE SOON)`), soon.text); // as the back office shows it
  saldo.sql(`UPDATE support_tickets SET first_response_due_at = first_response_due_at - 600 WHERE id = ${t.id}`);
  await smtp.waitFor(duty, (m) => m.subject.includes(`#${t.id} `) && m.subject.includes('BREACHED'));
  await new Promise((res) => setTimeout(res, 6000)); // more than one round of the watch
  const mine = smtp.messages().filter((m) => m.to.includes(duty) && m.subject.includes(`#${t.id} `));
  assert.equal(mine.length, 2, 'each warning once');
  r = await saldo.api('PATCH', '/api/v1/staff/support/departments/technical',
    { token: staff.token, body: { sla_minutes: { normal: 10 }, duty_email: null } });
  assert.equal(r.body.duty_email, '');
});

test('the report: median, 95th percentile and breaches per department and month, as JSON and CSV', async () => {
  const u = await signUp(saldo);
  const jan = Date.UTC(2020, 0, 15) / 1000;
  const mins = [5, 10, 30, null, 2];
  for (const [i, m] of mins.entries()) {
    const t = (await open(u, { ...ticket, department: 'billing', subject: `report ${i}` })).body;
    const first = m === null ? 'NULL' : jan + m * 60;
    saldo.sql(`UPDATE support_tickets SET created_at = ${jan}, first_response_due_at = ${jan + 600},
      first_response_at = ${first} WHERE id = ${t.id}`);
  }
  let r = await saldo.api('GET', '/api/v1/staff/support/report?month=2020-01', { token: staff.token });
  assert.equal(r.status, 200, r.text);
  assertAnswer(doc, 'GET', '/api/v1/staff/support/report', r);
  const billing = r.body.departments.find((x) => x.department === 'billing');
  assert.deepEqual(billing, { department: 'billing', name: 'Billing', tickets: 5, answered: 4, median_minutes: 5,
    p95_minutes: 30, breaches: 2 });
  const technical = r.body.departments.find((x) => x.department === 'technical');
  assert.equal(technical.tickets, 0);
  assert.equal(technical.median_minutes, null);
  r = await saldo.api('GET', '/api/v1/staff/support/report?month=2020-01&format=csv', { token: staff.token });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="support-2020-01.csv"/);
  assert.ok(r.text.includes('billing,"Billing",5,4,5.0,30.0,2\r\n'), r.text);
  // Months are months in Italy, as the pages show times: 23:30 UTC on 31 January is 00:30 on 1 February there.
  const late = (await open(u, { ...ticket, department: 'technical', subject: 'report late' })).body;
  const feb = Date.UTC(2020, 0, 31, 23, 30) / 1000;
  saldo.sql(`UPDATE support_tickets SET created_at = ${feb}, first_response_due_at = ${feb + 600} WHERE id = ${late.id}`);
  r = await saldo.api('GET', '/api/v1/staff/support/report?month=2020-01', { token: staff.token });
  assert.equal(r.body.departments.find((x) => x.department === 'technical').tickets, 0);
  r = await saldo.api('GET', '/api/v1/staff/support/report?month=2020-02', { token: staff.token });
  assert.equal(r.body.departments.find((x) => x.department === 'technical').tickets, 1);
  for (const bad of ['2020-13', '2020-00', '2020-1', '2020-1x', '1999-12', 'january', '']) {
    r = await saldo.api('GET', `/api/v1/staff/support/report?month=${bad}`, { token: staff.token });
    assert.equal(r.status, 422, bad);
    assert.equal(r.body.error.field, 'month');
  }
});

// A complete 1x1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f8cfc0f01f0005000101ff56c72f0d0000000049454e44ae426082', 'hex');
const form = (fields, files = []) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, String(v));
  for (const [name, data, type = 'application/octet-stream'] of files) f.append('files', new Blob([data], { type }), name);
  return f;
};
const attachmentsDir = () => (saldo.db.startsWith('sqlite:') ? path.join(saldo.dir, 'attachments')
  : path.join(saldo.dir, 'var', 'attachments'));
const filesOnDisk = () => (fs.existsSync(attachmentsDir()) ? fs.readdirSync(attachmentsDir()).length : 0);

test('attachments: multipart with files, type by content, limits, downloads only for those who may see the ticket', async () => {
  const u = await signUp(saldo);
  const before = filesOnDisk();
  let r = await saldo.api('POST', base(u), { token: u.token, raw: form({ ...ticket, priority: 'high', server_ip: '192.0.2.7' },
    [['screen.png', PNG, 'image/png'], ['../../etc/trace.log', 'traceroute 192.0.2.7\n 1  * * *\n', 'text/plain']]) });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/orgs/{org_id}/tickets', r);
  assert.equal(r.body.server_ip, '192.0.2.7');
  const files = r.body.messages[0].attachments;
  assert.deepEqual(files.map((f) => [f.file_name, f.content_type, f.size]),
    [['screen.png', 'image/png', PNG.length], ['trace.log', 'text/plain; charset=utf-8', 31]]);
  assert.equal(files[0].sha256, crypto.createHash('sha256').update(PNG).digest('hex'));
  assert.equal(filesOnDisk(), before + 2, 'stored under the attachments directory');
  assert.ok(!fs.readdirSync(attachmentsDir()).includes('screen.png'), 'named by a random id');
  const t = r.body;
  const url = (a) => `${base(u)}/${t.id}/attachments/${a.id}`;

  r = await fetch(saldo.url + url(files[0]), { headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="screen.png"/);
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(PNG));
  const stranger = await signUp(saldo);
  assert.equal((await saldo.api('GET', url(files[0]), { token: stranger.token })).status, 404);
  const limited = await signUp(saldo);
  saldo.sql(`INSERT INTO memberships (org_id, user_id, role, billing, access_all, created_at)
    VALUES (${u.org.id}, ${limited.user.id}, 'member', 0, 0, 0)`);
  assert.equal((await saldo.api('GET', url(files[0]), { token: limited.token })).status, 404,
    'a member who may not see the ticket may not download its files');
  r = await saldo.api('GET', `/api/v1/staff/tickets/${t.id}/attachments/${files[1].id}`, { token: staff.token });
  assert.equal(r.status, 200);
  assert.equal(r.text, 'traceroute 192.0.2.7\n 1  * * *\n');

  const html = '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>';
  const refusals = [
    [[['photo.png', html, 'image/png']], 'files[0]'],
    [[['a.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml']], 'files[0]'],
    [[['ok.png', PNG], ['big.txt', Buffer.alloc(11 * 1024 * 1024, 'a')]], 'files[1]'],
    [[1, 2, 3, 4, 5, 6].map((i) => [`f${i}.png`, PNG]), 'files'],
    [[['empty.txt', '']], 'files[0]'],
  ];
  const count = (await saldo.api('GET', base(u), { token: u.token })).body.tickets.length;
  for (const [list, field] of refusals) {
    r = await saldo.api('POST', base(u), { token: u.token, raw: form(ticket, list) });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.body.error.code, 'invalid_file');
    assert.equal(r.body.error.field, field);
  }
  r = await saldo.api('POST', base(u), { token: u.token, raw: form({ ...ticket, server_ip: 'nope' }, [['s.png', PNG]]) });
  assert.equal(r.body.error.field, 'server_ip');
  assert.equal((await saldo.api('GET', base(u), { token: u.token })).body.tickets.length, count, 'nothing opened');
  assert.equal(filesOnDisk(), before + 2, 'nothing stored');

  r = await saldo.api('POST', `${base(u)}/${t.id}/messages`, { token: u.token,
    raw: form({ body: 'one more' }, [['report.pdf', '%PDF-1.4\n%%EOF\n']]) });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.messages[1].attachments.map((f) => f.content_type), ['application/pdf']);

  r = await saldo.api('POST', `/api/v1/staff/tickets/${t.id}/messages`, { token: staff.token,
    raw: form({ body: 'internal evidence', internal: 'true' }, [['evidence.zip', Buffer.from('504b0506000000000000000000000000000000000000', 'hex')]]) });
  assert.equal(r.status, 201, r.text);
  const note = r.body.messages.find((m) => m.internal);
  assert.equal(note.attachments[0].content_type, 'application/zip');
  r = await saldo.api('GET', `${base(u)}/${t.id}/attachments/${note.attachments[0].id}`, { token: u.token });
  assert.equal(r.status, 404, 'a file on an internal note stays with staff');
  r = await saldo.api('GET', `/api/v1/staff/tickets/${t.id}/attachments/${note.attachments[0].id}`, { token: staff.token });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="evidence.zip"/);
});

test('staff add departments and keep canned replies', async () => {
  let r = await saldo.api('POST', '/api/v1/staff/support/departments', { token: staff.token,
    body: { code: 'sales', name_en: 'Sales', name_it: 'Commerciale', sla_minutes: { high: 5 } } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/support/departments', r);
  assert.deepEqual(r.body.sla_minutes, { normal: 10, high: 5 });
  r = await saldo.api('POST', '/api/v1/staff/support/departments', { token: staff.token,
    body: { code: 'sales', name_en: 'Sales', name_it: 'Commerciale' } });
  assert.equal(r.status, 409);
  r = await saldo.api('POST', '/api/v1/staff/support/departments', { token: staff.token,
    body: { code: 'Bad Code', name_en: 'x', name_it: 'x' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'code');
  const u = await signUp(saldo);
  r = await saldo.api('GET', '/api/v1/support/departments', { token: u.token });
  assertAnswer(doc, 'GET', '/api/v1/support/departments', r);
  assert.deepEqual(r.body.departments.map((x) => x.code), ['technical', 'billing', 'sales']);
  r = await open(u, { ...ticket, department: 'sales', priority: 'high' });
  assert.equal(r.status, 201);

  r = await saldo.api('POST', '/api/v1/staff/support/canned-replies', { token: staff.token,
    body: { title: 'Restart', body: 'Hello,\nplease restart the server from the panel.' } });
  assert.equal(r.status, 201, r.text);
  assertAnswer(doc, 'POST', '/api/v1/staff/support/canned-replies', r);
  const id = r.body.id;
  r = await saldo.api('POST', '/api/v1/staff/support/canned-replies', { token: staff.token, body: { title: '', body: 'x' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'title');
  r = await saldo.api('GET', '/api/v1/staff/support/canned-replies', { token: staff.token });
  assertAnswer(doc, 'GET', '/api/v1/staff/support/canned-replies', r);
  assert.ok(r.body.canned_replies.some((c) => c.id === id && c.body.includes('\n')));
  assert.equal((await saldo.api('DELETE', `/api/v1/staff/support/canned-replies/${id}`, { token: staff.token })).status, 204);
  assert.equal((await saldo.api('DELETE', `/api/v1/staff/support/canned-replies/${id}`, { token: staff.token })).status, 404);
  r = await saldo.api('GET', '/api/v1/staff/support/canned-replies', { token: staff.token });
  assert.ok(!r.body.canned_replies.some((c) => c.id === id));
  assert.equal((await saldo.api('GET', '/api/v1/staff/support/canned-replies', { token: u.token })).status, 401);
});
