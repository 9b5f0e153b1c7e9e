// billing_run.test.mjs - `saldo billing-run --at DATE` on the database of a
// running server: automatic renewals paid once from the balance however often
// and however concurrently it runs, the renewal-failed notice, reminders,
// suspension and termination mailed through the real SMTP server (the
// server's outbox worker sends what the command queued), and bad arguments.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { balance, credit, DAY, dayOf, product, service } from './lib/billing.mjs';

let smtp;
let saldo;
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

// The command reads the same configuration as the server (here: its base URL).
const run = (date) => saldo.run(['billing-run', '--at', date, '--log-level', 'warn', '--base-url', saldo.url]);
const count = (query) => Number(saldo.sql(query));
// Each test runs at later dates than the one before: it ends its services so
// that the next runs leave them alone.
const endServices = (org) => saldo.sql(`UPDATE services SET status = 'terminated' WHERE org_id = ${org}`);

const runAsync = (date) => saldo.runAsync(['billing-run', '--at', date, '--log-level', 'warn']);

test('an auto-renew service is renewed and charged once, however often the run repeats', async () => {
  const u = await signUp(saldo);
  await credit(saldo, staff, u.org.id, 2500);
  const p = product(saldo);
  const expires = dayOf('2031-01-10');
  const id = service(saldo, u.org.id, p, expires, { autoRenew: true, label: 'once.example' });
  const pf = await saldo.api('POST', `/api/v1/orgs/${u.org.id}/proformas`, { token: u.token,
    body: { items: [{ service_id: id, period: 12 }] } });
  assert.equal(pf.status, 201, pf.text);
  const first = run('2031-01-01');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /billing run: 1 renewed, 0 failed/);
  for (let i = 0; i < 2; i++) {
    const again = run('2031-01-01');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /billing run: 0 renewed, 0 failed, 0 reminders/);
  }
  assert.equal(await balance(saldo, u), 2500 - 1220, '10.00 net + 22% VAT');
  assert.equal(count(`SELECT expires_at FROM services WHERE id = ${id}`), dayOf('2032-01-10'));
  const invoices = saldo.sql(`SELECT kind || ':' || status || ':' || net_minor || ':' || vat_minor || ':' || gross_minor
    FROM documents WHERE org_id = ${u.org.id} AND renewal_id IS NOT NULL`);
  assert.equal(invoices, 'invoice:paid:1000:220:1220', 'one invoice for the one renewal, however often the run repeats');
  assert.equal(saldo.sql(`SELECT status FROM documents WHERE id = ${pf.body.id}`), 'cancelled', 'the pro-forma: renewed otherwise');
  const t = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/transactions`, { token: u.token });
  const renewals = t.body.transactions.filter((x) => x.kind === 'renewal');
  assert.equal(renewals.length, 1);
  assert.deepEqual(renewals[0].amount.minor, -1220);
  assert.equal(renewals[0].reference, `service:${id}`);
  const m = await smtp.waitFor(u.email, (x) => x.subject.startsWith('Renewed: Hosting once.example'));
  assert.match(m.text, /now runs until 2032-01-10/);
  assert.match(m.text, /€12\.20 has been paid from your balance/);
  // The one mail of the renewal carries its invoice: its number, its page and its PDF.
  const inv = saldo.sql(`SELECT id || ' ' || number FROM documents WHERE org_id = ${u.org.id} AND renewal_id IS NOT NULL`).split(' ');
  assert.ok(m.text.includes(`Your invoice ${inv[1]} is attached`), m.text);
  assert.ok(m.text.includes(`${saldo.url}/billing/invoices/${inv[0]}`), m.text);
  assert.equal(m.attachments.length, 1);
  assert.equal(m.attachments[0].content_type, 'application/pdf');
  assert.equal(m.attachments[0].filename, `Invoice-${inv[1].replace('/', '-')}.pdf`);
  assert.equal(Buffer.from(m.attachments[0].base64, 'base64').subarray(0, 5).toString(), '%PDF-');
  assert.equal(smtp.messages().filter((x) => x.to.includes(u.email) && x.subject.startsWith(`Invoice ${inv[1]}`)).length, 0,
    'no second mail for the invoice');
  endServices(u.org.id);
});

test('two billing runs at once renew and charge each service once', async () => {
  const u = await signUp(saldo);
  await credit(saldo, staff, u.org.id, 100000);
  const p = product(saldo);
  const expires = dayOf('2032-06-05');
  for (let i = 0; i < 30; i++) service(saldo, u.org.id, p, expires + i * 3600, { autoRenew: true, label: `s${i}.example` });
  const [a, b] = await Promise.all([runAsync('2032-06-01'), runAsync('2032-06-01')]);
  assert.equal(a.status, 0, a.out);
  assert.equal(b.status, 0, b.out);
  const renewed = [a, b].map((r) => Number(/(\d+) renewed/.exec(r.out)[1]));
  assert.equal(renewed[0] + renewed[1], 30);
  assert.equal(await balance(saldo, u), 100000 - 30 * 1220);
  assert.equal(count(`SELECT COUNT(*) FROM service_renewals WHERE org_id = ${u.org.id}`), 30);
  assert.equal(count(`SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'renewal' AND reference IN
    (SELECT 'service:' || id FROM services WHERE org_id = ${u.org.id})`), 30, 'the gross of each, from the wallet');
  // The VAT passes from revenue to vat_payable once per batch: all the run's renewals' VAT, not a cent more.
  assert.equal(count(`SELECT COALESCE(SUM(t.amount_minor), 0) FROM ledger_transfers t
    JOIN ledger_accounts a ON a.id = t.credit_account_id WHERE t.kind = 'renewal' AND a.code = 'vat_payable'`),
  count('SELECT SUM(vat_minor) FROM documents WHERE renewal_id IS NOT NULL'));
  assert.equal(count(`SELECT SUM(vat_minor) FROM documents WHERE org_id = ${u.org.id} AND renewal_id IS NOT NULL`), 30 * 220);
  assert.equal(count(`SELECT COUNT(*) FROM documents WHERE org_id = ${u.org.id} AND kind = 'invoice'`), 30);
  endServices(u.org.id);
});

test('a balance short of the renewal mails one renewal-failed notice with the shortfall', async () => {
  const u = await signUp(saldo, { language: 'it' });
  await credit(saldo, staff, u.org.id, 300);
  const p = product(saldo, { name: 'Posta' });
  service(saldo, u.org.id, p, dayOf('2033-03-12'), { autoRenew: true, label: 'poor.example' });
  const r = run('2033-03-01');
  assert.match(r.stdout, /0 renewed, 1 failed/);
  assert.match(run('2033-03-01').stdout, /0 renewed, 0 failed, 0 reminders/);
  assert.equal(await balance(saldo, u), 300);
  const m = await smtp.waitFor(u.email, (x) => x.subject.startsWith('Rinnovo non riuscito'));
  assert.match(m.subject, /Posta IT poor\.example/);
  assert.match(m.text, /al tuo saldo mancano 9,20 €/);
  assert.match(m.text, new RegExp(`${saldo.url}/billing`));
  endServices(u.org.id);
});

test('an Italian-speaking organization gets its renewal and its invoice in one mail in Italian', async () => {
  const u = await signUp(saldo, { language: 'it' });
  await credit(saldo, staff, u.org.id, 2500);
  const p = product(saldo, { name: 'Posta' });
  service(saldo, u.org.id, p, dayOf('2033-09-10'), { autoRenew: true, label: 'uno.example' });
  const r = run('2033-09-01');
  assert.match(r.stdout, /1 renewed, 0 failed/);
  const number = saldo.sql(`SELECT number FROM documents WHERE org_id = ${u.org.id} AND renewal_id IS NOT NULL`);
  const m = await smtp.waitFor(u.email, (x) => x.subject.startsWith('Rinnovato: Posta IT uno.example'));
  assert.ok(m.text.includes(`La fattura ${number} è allegata a questo messaggio`), m.text);
  assert.equal(m.attachments.length, 1);
  assert.equal(Buffer.from(m.attachments[0].base64, 'base64').subarray(0, 5).toString(), '%PDF-');
  endServices(u.org.id);
});

test('reminders 30, 7 and 1 days before expiry, then suspension and termination, each mailed once', async () => {
  const u = await signUp(saldo);
  const p = product(saldo, { name: 'VPS' });
  const id = service(saldo, u.org.id, p, dayOf('2034-05-31'), { label: 'manual.example' });
  const status = () => saldo.sql(`SELECT status FROM services WHERE id = ${id}`);
  const steps = [
    ['2034-05-01', /1 reminders/], ['2034-05-02', /0 reminders/], ['2034-05-24', /1 reminders/],
    ['2034-05-30', /1 reminders/], ['2034-06-06', /0 suspended/], ['2034-06-07', /1 suspended/],
    ['2034-06-07', /0 suspended/], ['2034-06-30', /1 terminated/], ['2034-07-30', /0 terminated/],
  ];
  for (const [date, want] of steps) {
    const r = run(date);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, want, date);
    if (date === '2034-06-07') assert.equal(status(), 'suspended');
  }
  assert.equal(status(), 'terminated');
  for (const days of ['30', '7', '1']) {
    await smtp.waitFor(u.email, (x) => x.subject === 'VPS manual.example expires on 2034-05-31' &&
      x.text.includes(`(${days} days left)`));
  }
  await smtp.waitFor(u.email, (x) => x.subject === 'Suspended: VPS manual.example');
  await smtp.waitFor(u.email, (x) => x.subject === 'Terminated: VPS manual.example');
  const mine = smtp.messages().filter((x) => x.to.includes(u.email) && x.subject.includes('VPS'));
  assert.equal(mine.length, 5);
});

test('bad --at and unknown flags: one line, exit 2, nothing done', () => {
  for (const args of [['--at', '2031-02-30'], ['--at', 'tomorrow'], ['--at'], ['--when', '2031-01-01']]) {
    const r = saldo.run(['billing-run', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  const h = saldo.run(['billing-run', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /usage: saldo billing-run \[--at YYYY-MM-DD\]/);
});
