// mail_in.test.mjs - `saldo mail-in`: real RFC 5322 messages piped into the
// command as an MTA would. A customer's mail opens a ticket in the department
// of the address it was sent to (text, multipart with an attachment, HTML-only,
// a quoted reply trimmed); a staff answer goes out with the ticket's token in
// Reply-To and the customer's email reply to it lands on the same ticket, as
// does a reply without the token whose In-Reply-To or References names the
// Message-ID of our mail; an
// unknown sender gets one auto-reply a day (read on the SMTP test server);
// auto-replies and bounces create nothing and answer nobody; unparseable input
// or over 25 MB exits 65 and changes nothing; a store error exits 75.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { SALDO_BIN, signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';

let saldo;
let smtp;
let staff;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); await smtp.stop(); });

/** Pipes message into `saldo mail-in` in the server's directory (its
 * attachments directory is relative to it on PostgreSQL). */
function mailIn(message, args = []) {
  const r = spawnSync(SALDO_BIN, ['mail-in', '--database', saldo.db, '--mail-from', 'billing@saldo.test',
    '--base-url', saldo.url, '--log-level', 'info', ...args], { input: message, cwd: saldo.dir, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

const tickets = async (u) => (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/tickets`, { token: u.token })).body.tickets;
const ticketOf = async (u, id) => (await saldo.api('GET', `/api/v1/orgs/${u.org.id}/tickets/${id}`, { token: u.token })).body;
const count = (table) => Number(saldo.sql(`SELECT count(*) FROM ${table}`));

const crlf = (lines) => lines.join('\r\n');

test('a customer mail opens a ticket in the department of the address it was sent to', async () => {
  const u = await signUp(saldo);
  const r = mailIn(crlf([
    `From: Anna <${u.email.toUpperCase()}>`, 'To: Billing <billing@saldo.test>', 'Subject: Invoice twice',
    `Message-ID: <a${Date.now()}@example.test>`, 'Content-Type: text/plain; charset=utf-8', '',
    'I was charged twice for invoice 42.', 'Can you check?', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=opened/);
  const list = await tickets(u);
  assert.equal(list.length, 1);
  assert.equal(list[0].department, 'billing');
  assert.equal(list[0].subject, 'Invoice twice');
  const t = await ticketOf(u, list[0].id);
  assert.deepEqual(t.messages.map((m) => [m.author, m.body]), [['email', 'I was charged twice for invoice 42.\nCan you check?']]);

  const other = mailIn(crlf([`From: ${u.email}`, 'To: whoever@saldo.test', 'Subject: Down', '', 'Site down', '']));
  assert.equal(other.status, 0, other.stderr);
  assert.equal((await tickets(u)).find((x) => x.subject === 'Down').department, 'technical', 'default department');
  const flag = mailIn(crlf([`From: ${u.email}`, 'To: whoever@saldo.test', 'Subject: By flag', '', 'x', '']),
    ['--department-from', 'billing@saldo.test']);
  assert.equal(flag.status, 0, flag.stderr);
  assert.equal((await tickets(u)).find((x) => x.subject === 'By flag').department, 'billing');
});

test('multipart with an attachment: text kept, allowed file stored, a disallowed one dropped and noted', async () => {
  const u = await signUp(saldo);
  // A complete 1x1 PNG.
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63f8cfc0f01f0005000101ff56c72f0d0000000049454e44ae426082', 'hex').toString('base64');
  const r = mailIn(crlf([
    `From: ${u.email}`, 'To: support@saldo.test', 'Subject: Screenshot', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="XX"', '',
    '--XX', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '',
    'Ecco l=27errore, perch=E8?', '',
    '--XX', 'Content-Type: image/png', 'Content-Disposition: attachment; filename="screen.png"',
    'Content-Transfer-Encoding: base64', '', png, '',
    '--XX', 'Content-Type: text/html', 'Content-Disposition: attachment; filename="page.html"', '',
    '<html><script>alert(1)</script></html>', '',
    '--XX--', '']));
  assert.equal(r.status, 0, r.stderr);
  const [row] = await tickets(u);
  const t = await ticketOf(u, row.id);
  assert.match(t.messages[0].body, /^Ecco l'errore, perchè\?\n/);
  assert.match(t.messages[0].body, /attachment "page.html" not kept/);
  assert.doesNotMatch(t.messages[0].body, /screen.png/);
  const files = t.messages[0].attachments;
  assert.equal(files.length, 1);
  assert.equal(files[0].file_name, 'screen.png');
  assert.equal(files[0].content_type, 'image/png');
  const dl = await fetch(`${saldo.url}/api/v1/orgs/${u.org.id}/tickets/${t.id}/attachments/${files[0].id}`,
    { headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(dl.status, 200);
  assert.equal(Buffer.from(await dl.arrayBuffer()).toString('base64'), png);
});

test('an HTML-only mail becomes text', async () => {
  const u = await signUp(saldo);
  const r = mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: HTML only',
    'Content-Type: text/html; charset=utf-8', '',
    '<html><head><style>p{color:red}</style></head><body><p>The site is <b>down</b> &amp; slow</p><p>since 9:00<br>today</p></body></html>', '']));
  assert.equal(r.status, 0, r.stderr);
  const [row] = await tickets(u);
  const t = await ticketOf(u, row.id);
  assert.equal(t.messages[0].body, 'The site is down & slow\n\nsince 9:00\ntoday');
});

test('a staff answer carries the token; the customer email reply, quotes trimmed, lands on the same ticket', async () => {
  const u = await signUp(saldo);
  mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Mail bounces', '', 'Our mail bounces.', '']));
  const [row] = await tickets(u);
  let r = await saldo.api('POST', `/api/v1/staff/tickets/${row.id}/messages`, { token: staff.token, body: { body: 'Fixed the MX record.' } });
  assert.equal(r.status, 201, r.text);
  const mail = await smtp.waitFor(u.email, (m) => m.text.includes('Fixed the MX record'));
  const replyTo = mail.headers['Reply-To'];
  assert.match(replyTo, /^support\+[0-9a-f]{32}@saldo\.test$/);

  r = mailIn(crlf([`From: ${u.email}`, `To: ${replyTo}`, `Subject: Re: ${mail.subject}`,
    'In-Reply-To: <whatever@saldo.test>', '',
    'Thanks, it works now.', '', 'On Mon, 23 Nov 2026 at 10:00, Support <billing@saldo.test> wrote:',
    '> Fixed the MX record.', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=added/);
  const list = await tickets(u);
  assert.equal(list.length, 1, 'no new ticket');
  const t = await ticketOf(u, row.id);
  assert.deepEqual(t.messages.map((m) => [m.author, m.body]),
    [['email', 'Our mail bounces.'], ['staff', 'Fixed the MX record.'], ['email', 'Thanks, it works now.']]);
  assert.equal(t.status, 'open');

  r = mailIn(crlf([`From: ${u.email}`, 'To: someone@example.test', 'Subject: Bcc', '', 'Sent in Bcc.', '']),
    ['--department-from', replyTo]);
  assert.match(r.stderr, /result=added/, 'the envelope recipient carries the token');
  assert.equal((await tickets(u)).length, 1);

  r = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/tickets/${row.id}/close`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  r = mailIn(crlf([`From: ${u.email}`, `To: ${replyTo}`, 'Subject: Re: again', '', 'It broke again.', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await ticketOf(u, row.id)).status, 'open', 'an email reply reopens a closed ticket');

  const stranger = await signUp(saldo);
  const before = count('support_messages');
  r = mailIn(crlf([`From: ${stranger.email}`, `To: ${replyTo}`, 'Subject: Re: hijack', '', 'Let me in', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(count('support_messages'), before, 'a sender who may not see the ticket adds nothing');
  await smtp.waitFor(stranger.email, (m) => /not registered/.test(m.text));
});

test('a reply from the organization support address (where staff answers go) lands on the ticket', async () => {
  const u = await signUp(saldo);
  const support = `help${Date.now()}@example.test`;
  let r = await saldo.api('PUT', `/api/v1/orgs/${u.org.id}/notification-addresses`,
    { token: u.token, body: { billing: null, support, abuse: null, status: null } });
  assert.equal(r.status, 200, r.text);
  mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: DNS', '', 'DNS is wrong.', '']));
  const [row] = await tickets(u);
  r = await saldo.api('POST', `/api/v1/staff/tickets/${row.id}/messages`, { token: staff.token, body: { body: 'Which record?' } });
  assert.equal(r.status, 201, r.text);
  const mail = await smtp.waitFor(support, (m) => m.text.includes('Which record?'));
  r = mailIn(crlf([`From: Helpdesk <${support}>`, `To: ${mail.headers['Reply-To']}`, 'Subject: Re: DNS', '', 'The MX.', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=added/);
  const t = await ticketOf(u, row.id);
  assert.deepEqual(t.messages.map((m) => [m.author, m.body]).slice(-1), [['email', 'The MX.']]);
});

test('a reply without the token finds its ticket by In-Reply-To or References', async () => {
  const u = await signUp(saldo);
  mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Disk full', '', 'The disk is full.', '']));
  const [row] = await tickets(u);
  let r = await saldo.api('POST', `/api/v1/staff/tickets/${row.id}/messages`, { token: staff.token, body: { body: 'Cleaned the logs.' } });
  assert.equal(r.status, 201, r.text);
  const mail = await smtp.waitFor(u.email, (m) => m.text.includes('Cleaned the logs'));
  const id = mail.headers['Message-ID'] || mail.headers['Message-Id'];
  assert.match(id, new RegExp(`^<ticket-${row.id}\\.[0-9a-f]{32}@saldo\\.test>$`), 'a Message-ID we keep');
  assert.equal(saldo.sql(`SELECT ticket_id FROM support_mail_ids WHERE message_id = '${id.slice(1, -1)}'`), String(row.id));

  // Sent to the plain support address (no token): In-Reply-To names our mail.
  r = mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Re: Disk full', `In-Reply-To: ${id}`, '',
    'Thanks, all good.', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=added/);
  assert.equal((await tickets(u)).length, 1, 'no new ticket');
  // Only References, ours not the last one.
  r = mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Re: Re: Disk full',
    'In-Reply-To: <client-1@example.test>', `References: ${id} <client-1@example.test>`, '', 'One more thing.', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=added/);
  const t = await ticketOf(u, row.id);
  assert.deepEqual(t.messages.map((m) => m.body).slice(-2), ['Thanks, all good.', 'One more thing.']);

  // An id we never sent opens a new ticket as before; a stranger naming ours adds nothing.
  r = mailIn(crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Other', 'In-Reply-To: <nope@saldo.test>', '',
    'Something else.', '']));
  assert.match(r.stderr, /result=opened/);
  const stranger = await signUp(saldo);
  const before = count('support_messages');
  r = mailIn(crlf([`From: ${stranger.email}`, 'To: support@saldo.test', 'Subject: Re: x', `In-Reply-To: ${id}`, '', 'Hi', '']));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(count('support_messages'), before, 'a sender who may not see the ticket adds nothing');
});

test('an unknown sender gets one polite auto-reply a day; never a ticket', async () => {
  const who = `nobody${Date.now()}@example.test`;
  const before = count('support_tickets');
  const msg = crlf([`From: Nobody <${who}>`, 'To: support@saldo.test', 'Subject: Hello', 'Content-Language: it', '', 'Hi', '']);
  let r = mailIn(msg);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=answered/);
  r = mailIn(msg);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /result=quiet/);
  const mail = await smtp.waitFor(who);
  assert.equal(mail.subject, 'Re: Hello');
  assert.match(mail.text, /area clienti/, 'in the language of the mail');
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal(smtp.messages().filter((m) => m.to.includes(who)).length, 1, 'once a day');
  assert.equal(count('support_tickets'), before);
});

test('auto-replies and bounces create nothing and answer nobody', async () => {
  const u = await signUp(saldo);
  const who = `robot${Date.now()}@example.test`;
  const before = [count('support_tickets'), count('support_messages'), count('outbox')];
  const cases = [
    crlf([`From: ${u.email}`, 'To: support@saldo.test', 'Subject: Out of office', 'Auto-Submitted: auto-replied', '', 'Away', '']),
    crlf([`From: ${who}`, 'To: support@saldo.test', 'Subject: Out of office', 'Auto-Submitted: auto-replied', '', 'Away', '']),
    crlf([`From: ${who}`, 'To: support@saldo.test', 'Subject: News', 'Precedence: bulk', '', 'Buy', '']),
    crlf(['From: MAILER-DAEMON@mx.example.test', 'To: support@saldo.test', 'Subject: Undelivered Mail',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
      '--B', 'Content-Type: text/plain', '', 'Delivery failed.', '',
      '--B', 'Content-Type: message/delivery-status', '', 'Final-Recipient: rfc822; x@example.test', 'Action: failed', '',
      '--B--', '']),
  ];
  for (const c of cases) {
    const r = mailIn(c);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /result=ignored/);
  }
  assert.deepEqual([count('support_tickets'), count('support_messages'), count('outbox')], before);
});

test('unparseable input exits 65 and changes nothing', async () => {
  const before = [count('support_tickets'), count('outbox')];
  for (const input of ['', 'not a mail at all, no headers']) {
    const r = mailIn(input);
    assert.equal(r.status, 65, r.stderr);
  }
  const big = mailIn(`From: a@example.test\nSubject: big\n\n${'x'.repeat(25 * 1024 * 1024 + 1)}`);
  assert.equal(big.status, 65, 'over 25 MB');
  assert.deepEqual([count('support_tickets'), count('outbox')], before);
});

test('a store that cannot be opened exits 75 (the MTA tries again)', () => {
  const r = spawnSync(SALDO_BIN, ['mail-in', '--database', 'sqlite:/nonexistent/dir/saldo.db'],
    { input: crlf(['From: a@example.test', 'To: support@saldo.test', 'Subject: x', '', 'y', '']), encoding: 'utf8' });
  assert.equal(r.status, 75, r.stderr);
});
