// web_tickets.test.mjs - the support pages over plain HTTP, without
// JavaScript: /support lists the tickets and opens one through a multipart
// form with files; errors stay next to their fields and nothing is opened;
// the ticket page shows the thread with download links, takes replies, closes,
// rates and reopens; the back office's queue and ticket page answer, write
// internal notes the customer never sees, change the status, and the report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
before(async () => { saldo = await startSaldo(); });
after(async () => { await saldo.stop(); });

async function webUser() {
  const u = await signUp(saldo, { language: 'en' });
  const web = new WebClient(saldo.url);
  const r = await web.login(u.email, u.password);
  assert.equal(r.status, 303, r.text);
  return { ...u, web };
}

let staffNo = 0;
async function webStaff() {
  const email = `webstaff${Date.now()}${++staffNo}@saldo.test`;
  const password = 'staff password 1';
  const r = saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  assert.equal(r.status, 0, r.stderr);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', 'en');
  const _csrf = await web.csrf('/staff/login');
  const s = await web.post('/staff/login', { _csrf, email, password });
  assert.equal(s.status, 303, s.text);
  return web;
}

/** POSTs a multipart form with files [[name, content, type]] through the client's cookies. */
async function postForm(web, path, fields, files = []) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, String(v));
  for (const [name, data, type = 'application/octet-stream'] of files) f.append('files', new Blob([data], { type }), name);
  const res = await fetch(web.base + path, { method: 'POST', body: f, headers: { Cookie: web.cookieHeader() }, redirect: 'manual' });
  web.take(res);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const fields = { department: 'technical', priority: 'normal', subject: 'Mail server down', description: 'No mail since 9:00.',
  service_id: '', order_number: '', server_ip: '', problem_started_at: '', problem_time_zone: 'Europe/Rome' };

test('open a ticket through the form; errors next to the fields; nothing opened on an error', async () => {
  const u = await webUser();
  let page = await u.web.get('/support');
  assert.equal(page.status, 200);
  assert.match(page.text, /No ticket yet/);
  assert.match(page.text, /enctype="multipart\/form-data"/);
  const _csrf = await u.web.csrf('/support');

  let r = await postForm(u.web, '/support/tickets', { _csrf, ...fields, subject: 'x', server_ip: '999.1.1.1',
    problem_started_at: '2026-03-29T02:30' }, [['fake.png', '<html><body>hi</body></html>', 'image/png']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /id="subject-error">Write a subject of 3 to 200 characters/);
  assert.match(r.text, /id="server_ip-error">Enter an IPv4 or IPv6 address/);
  assert.match(r.text, /id="problem_started_at-error">Enter a date and time that exists in that time zone/);
  assert.match(r.text, /id="files-error">Attach up to 5 files/);
  assert.match(r.text, /id="server_ip"[^>]*value="999.1.1.1"/, 'the form is filled in again');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM support_tickets WHERE org_id = ${u.org.id}`), '0');

  r = await postForm(u.web, '/support/tickets', { _csrf, ...fields, priority: 'high', server_ip: '192.0.2.5',
    problem_started_at: '2026-07-01T09:15' }, [['log.txt', 'smtp timeout\n', 'text/plain']]);
  assert.equal(r.status, 303, r.text);
  const where = r.headers.get('location');
  assert.match(where, /^\/support\/tickets\/\d+$/);
  page = await u.web.get(where);
  assert.equal(page.status, 200);
  assert.match(page.text, /Your ticket has been opened/);
  assert.match(page.text, /Problem started 2026-07-01 09:15 CEST/);
  const link = /href="(\/api\/v1\/orgs\/\d+\/tickets\/\d+\/attachments\/\d+)" download/.exec(page.text);
  assert.ok(link, 'a download link');
  const dl = await u.web.get(link[1]);
  assert.equal(dl.status, 200);
  assert.equal(dl.text, 'smtp timeout\n');
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="log.txt"/);
  page = await u.web.get('/support');
  assert.match(page.text, /Mail server down/);

  const other = await webUser();
  assert.equal((await other.web.get(where)).status, 404);
  assert.equal((await other.web.get(link[1])).status, 404);
});

test('reply, staff answer and internal note, close, rate, reopen', async () => {
  const u = await webUser();
  const _csrf = await u.web.csrf('/support');
  let r = await postForm(u.web, '/support/tickets', { _csrf, ...fields, subject: 'Slow disk' });
  const where = r.headers.get('location');
  const id = where.split('/').pop();
  r = await postForm(u.web, `${where}/messages`, { _csrf, body: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="body-error">Write your message/);
  r = await postForm(u.web, `${where}/messages`, { _csrf, body: 'Any news?' });
  assert.equal(r.status, 303);

  const staff = await webStaff();
  let page = await staff.get('/staff/tickets');
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`data-testid="queue-${id}"`));
  assert.match(page.text, /min left/);
  page = await staff.get(`/staff/tickets/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Any news\?/);
  const scsrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  r = await postForm(staff, `/staff/tickets/${id}/messages`, { _csrf: scsrf, body: 'TOP SECRET note', internal: 'true', status: 'answered' });
  assert.equal(r.status, 303, r.text);
  r = await postForm(staff, `/staff/tickets/${id}/messages`, { _csrf: scsrf, body: 'Disk replaced.', status: 'waiting' });
  assert.equal(r.status, 303);
  r = await postForm(staff, `/staff/tickets/${id}/messages`, { _csrf: scsrf, body: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="body-error">Write the answer/);
  page = await staff.get(`/staff/tickets/${id}`);
  assert.match(page.text, /Internal note/);
  assert.match(page.text, /data-testid="ticket-status">waiting/);
  r = await staff.post(`/staff/tickets/${id}/merge`, { _csrf: scsrf, into: id });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="into-error">/);

  page = await u.web.get(where);
  assert.match(page.text, /Disk replaced\./);
  assert.ok(!page.text.includes('TOP SECRET'), 'the customer never sees an internal note');
  assert.match(page.text, /data-testid="ticket-status">Waiting for you/);
  r = await u.web.post(`${where}/close`, { _csrf });
  assert.equal(r.status, 303);
  page = await u.web.get(where);
  assert.match(page.text, /The ticket has been closed/);
  r = await u.web.post(`${where}/rating`, { _csrf, rating: '9' });
  page = await u.web.get(where);
  assert.match(page.text, /Nothing was changed/);
  r = await u.web.post(`${where}/rating`, { _csrf, rating: '5' });
  page = await u.web.get(where);
  assert.match(page.text, /data-testid="rating">Your rating: 5\/5/);
  r = await u.web.post(`${where}/reopen`, { _csrf });
  page = await u.web.get(where);
  assert.match(page.text, /The ticket has been reopened/);

  page = await staff.get('/staff/support/canned');
  const ccsrf = /name="_csrf" value="([^"]+)"/.exec(page.text)[1];
  r = await staff.post('/staff/support/canned', { _csrf: ccsrf, title: '', body: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="title-error">/);
  assert.match(r.text, /id="body-error">Write the text/);
  r = await staff.post('/staff/support/canned', { _csrf: ccsrf, title: 'Thanks', body: 'Thank you for waiting.' });
  assert.equal(r.status, 303);
  const cannedId = saldo.sql("SELECT id FROM support_canned WHERE title = 'Thanks' AND deleted_at IS NULL");
  page = await staff.get(`/staff/tickets/${id}?canned=${cannedId}`);
  assert.match(page.text, /<textarea id="body" name="body"[^>]*>Thank you for waiting\.<\/textarea>/, 'inserted into the answer');

  page = await staff.get('/staff/support/departments');
  assert.equal(page.status, 200);
  r = await staff.post('/staff/support/departments/billing', { _csrf: ccsrf, normal: '0', high: '5', duty_email: 'nope' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="normal-billing-error">Whole minutes from 1 to 10080/);
  assert.match(r.text, /id="duty-billing-error">/);
  r = await staff.post('/staff/support/departments/billing', { _csrf: ccsrf, normal: '20', high: '5', duty_email: 'duty@saldo.test' });
  assert.equal(r.status, 303);
  assert.equal(saldo.sql("SELECT sla_normal_min || ' ' || sla_high_min || ' ' || duty_email FROM support_departments WHERE code = 'billing'"),
    '20 5 duty@saldo.test');
  r = await staff.post('/staff/support/departments', { _csrf: ccsrf, code: 'Bad code', name_en: '', name_it: 'x', normal: '10', high: '10', duty_email: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="code-error">Lower-case letters/);
  assert.match(r.text, /id="name_en-error">/);
  r = await staff.post('/staff/support/departments', { _csrf: ccsrf, code: 'abuse', name_en: 'Abuse', name_it: 'Abusi', normal: '30', high: '15', duty_email: '' });
  assert.equal(r.status, 303);
  page = await staff.get('/staff/support/departments');
  assert.match(page.text, /data-testid="department-abuse"/);

  page = await staff.get('/staff/support/report');
  assert.equal(page.status, 200);
  assert.match(page.text, /data-testid="report-technical"/);
});
