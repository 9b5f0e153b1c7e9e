// web_transactions.test.mjs - the transactions page's filter form over plain
// HTTP (no JavaScript): the filters select lines, stay in the form, the pager
// and the CSV link; bad values are shown next to their fields; the CSV link
// downloads with the session cookie.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { providerDay, signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let staff;
before(async () => {
  saldo = await startSaldo();
  staff = await staffLogin(saldo);
});
after(async () => saldo.stop());

let keyNo = 0;
const credit = (orgId, currency, minor) => saldo.api('POST', `/api/v1/staff/orgs/${orgId}/adjustments`, {
  token: staff.token, body: { amount: { currency, minor }, reason: 'test credit' },
  headers: { 'Idempotency-Key': `wt-${++keyNo}` },
});

async function webUser(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { ...u, web };
}

const rows = (html) => (html.match(/<tr>\s*<td>/g) || []).length;
const today = providerDay(); // the history's days are days in Italy

test('the filter form selects lines and the pager and CSV links keep the filters', async () => {
  const u = await webUser({ language: 'en' });
  for (let i = 1; i <= 22; i++) assert.equal((await credit(u.org.id, 'EUR', i * 100)).status, 201);
  assert.equal((await credit(u.org.id, 'USD', 4000)).status, 201);
  const all = await u.web.get('/billing/transactions');
  assert.equal(all.status, 200);
  assert.match(all.text, /<form class="history-filters" method="get" action="\/billing\/transactions"/);
  assert.match(all.text, /<option value="adjustment">Adjustment<\/option>/);
  assert.match(all.text, /<option value="USD">USD<\/option>/);
  assert.match(all.text, new RegExp(`href="/api/v1/orgs/${u.org.id}/transactions.csv" download`));

  const q = `from=${today}&to=${today}&type=adjustment&currency=EUR`;
  const first = await u.web.get(`/billing/transactions?${q}`);
  assert.equal(first.status, 200);
  assert.equal(rows(first.text), 20);
  const table = first.text.slice(first.text.indexOf('<tbody>'), first.text.indexOf('</tbody>'));
  assert.doesNotMatch(table, /\$/, 'the USD line is filtered out');
  assert.match(table, /\+€22\.00/);
  assert.match(first.text, new RegExp(`id="from" name="from" type="date" value="${today}"`));
  assert.match(first.text, /<option value="adjustment" selected>/);
  assert.match(first.text, /<option value="EUR" selected>/);
  const amp = q.replace(/&/g, '&amp;');
  assert.ok(first.text.includes(`href="/api/v1/orgs/${u.org.id}/transactions.csv?${amp}" download`), 'CSV link with filters');
  const older = /href="(\/billing\/transactions\?[^"]*cursor=\d+)" rel="next"/.exec(first.text);
  assert.ok(older, 'a link to older lines');
  assert.ok(older[1].startsWith(`/billing/transactions?${amp}&amp;cursor=`), older[1]);
  const second = await u.web.get(older[1].replace(/&amp;/g, '&'));
  assert.equal(rows(second.text), 2);
  assert.ok(second.text.includes(`href="/billing/transactions?${amp}">Newest</a>`), 'newest link keeps the filters');

  const csv = await u.web.get(`/api/v1/orgs/${u.org.id}/transactions.csv?${q}`);
  assert.equal(csv.status, 200);
  assert.equal(csv.text.split('\r\n').length, 1 + 22 + 1);
  assert.match(csv.text, /,22\.00,"EUR",253\.00,"completed"\r\n/);

  const none = await u.web.get('/billing/transactions?type=withdrawal');
  assert.equal(rows(none.text), 0);
  assert.match(none.text, /No transactions match these filters\./);
});

test('bad filters are shown next to their fields, translated, and list nothing', async () => {
  const u = await webUser({ language: 'it' });
  assert.equal((await credit(u.org.id, 'EUR', 500)).status, 201);
  let r = await u.web.get('/billing/transactions?from=2026-02-30');
  assert.equal(r.status, 422);
  assert.match(r.text, /id="from" name="from" type="date" value="2026-02-30" aria-invalid="true" aria-describedby="from-error"/);
  assert.match(r.text, /<p class="field-error" id="from-error">Inserisci una data nel formato AAAA-MM-GG\.<\/p>/);
  assert.equal(rows(r.text), 0);
  assert.doesNotMatch(r.text, /transactions\.csv/);
  r = await u.web.get('/billing/transactions?from=2026-02-02&to=2026-02-01');
  assert.equal(r.status, 422);
  assert.match(r.text, /id="from-error">La data di inizio è successiva alla data di fine\./);
  r = await u.web.get('/billing/transactions?type=gift');
  assert.match(r.text, /id="type-error">Scegli uno dei tipi elencati\./);
  r = await u.web.get('/billing/transactions?currency=eur');
  assert.match(r.text, /id="currency-error">Scegli una delle valute elencate\./);
  r = await u.web.get('/billing/transactions?from=%22%3E%3Cscript%3E');
  assert.equal(r.status, 422);
  assert.doesNotMatch(r.text, /"><script>/, 'the value is escaped');
  r = await u.web.get('/billing/transactions?type=adjustment');
  assert.equal(r.status, 200);
  assert.match(r.text, /Scarica CSV/);
  assert.equal(rows(r.text), 1);
});
