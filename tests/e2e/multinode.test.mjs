// multinode.test.mjs - two `saldo serve` nodes on one PostgreSQL database
// behind Debian's nginx (round robin on loopback): a session made on one node
// works on the other (web cookie and API bearer token), a page form with its
// CSRF token posts through either node; two billing runs started at once
// renew, charge and mail each due service once, and so do the schedulers of
// two nodes starting at the same moment; many mails queued while both
// nodes' outbox workers run reach the SMTP server once each. Runs on a
// PostgreSQL cluster of its own unless E2E_PG_URL names one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { credit, dayOf, product, service } from './lib/billing.mjs';
import { api, freePort, saldoRunAsync, signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { startNginx } from './lib/nginx.mjs';
import { startPg } from './lib/pg.mjs';
import { WebClient } from './lib/web.mjs';

const KEY = 'multinode-test-secret-key-0123456789abcdef';
let pg;
let db;
let smtp;
let nodes;
let lb;
before(async () => {
  pg = startPg();
  db = pg.database();
  smtp = await startSmtp();
  const port = await freePort();
  const args = ['--database', db, '--secret-key', KEY, '--base-url', `http://127.0.0.1:${port}`, '--log-level', 'info'];
  nodes = [];
  for (let i = 0; i < 2; i++) nodes.push(await startSaldo({ smtp, args }));
  lb = await startNginx(port, nodes.map((n) => n.url));
});
after(async () => {
  await lb.stop();
  for (const n of nodes) await n.stop();
  await smtp.stop();
  pg.stop();
});

/** How many requests a node logged answering method path with status. */
const served = (node, method, path, status) => node.log().split('\n')
  .filter((l) => l.includes(`method=${method} path="${path}"`) && l.includes(`status=${status} `)).length;

test('sessions, bearer tokens and CSRF forms work through either node', async () => {
  const u = await signUp({ api: (m, p, o) => api(lb.url, m, p, o) });
  for (let i = 0; i < 6; i++) {
    const me = await api(lb.url, 'GET', '/api/v1/me', { token: u.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.email, u.email);
  }
  for (const n of nodes) assert.ok(served(n, 'GET', '/api/v1/me', 200) >= 2, `${n.url} answered /api/v1/me`);

  const web = new WebClient(lb.url);
  const login = await web.login(u.email, u.password);
  assert.equal(login.status, 303, login.text);
  for (let i = 0; i < 6; i++) {
    const page = await web.get('/profile');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(u.email));
  }
  for (const n of nodes) assert.ok(served(n, 'GET', '/profile', 200) >= 2, `${n.url} served /profile`);

  // Round robin: the form comes from one node and is posted to the other;
  // a request in between on odd rounds moves the posts to the other node.
  for (let i = 0; i < 4; i++) {
    if (i % 2) await fetch(`${lb.url}/healthz`);
    const _csrf = await web.csrf('/profile');
    const r = await web.post('/profile', { _csrf, name: `Node test ${i}`, language: 'en', recovery_email: '' });
    assert.equal(r.status, 303, r.text);
  }
  for (const n of nodes) assert.ok(served(n, 'POST', '/profile', 303) >= 1, `${n.url} took a form`);
  const me = await api(lb.url, 'GET', '/api/v1/me', { token: u.token });
  assert.equal(me.body.user.name, 'Node test 3');

  const bad = await web.post('/profile', { _csrf: 'forged', name: 'Forged', language: 'en', recovery_email: '' });
  assert.equal(bad.status, 403);
  assert.equal((await api(lb.url, 'GET', '/api/v1/me', { token: u.token })).body.user.name, 'Node test 3');
  assert.match(lb.accessLog(), /"GET \/profile HTTP\/1.1" 200/);
});

test('a catalog change made on one node shows on the other at once', async () => {
  const staff = await staffLogin(nodes[1]);
  const eur = (minor) => ({ currency: 'EUR', minor });
  const cat = await api(nodes[1].url, 'POST', '/api/v1/staff/categories', { token: staff.token,
    body: { code: 'multinode-cache', name_en: 'Cache', name_it: 'Cache' } });
  assert.equal(cat.status, 201, cat.text);
  const made = await api(nodes[1].url, 'POST', '/api/v1/staff/products', { token: staff.token,
    body: { category_id: cat.body.id, code: 'multinode-cache-1', name_en: 'Cached', name_it: 'In cache',
      prices: [{ period: 12, price: eur(1000) }] } });
  assert.equal(made.status, 201, made.text);
  const id = made.body.id;
  const priceOn = async (node) => {
    const r = await api(node.url, 'GET', '/api/v1/catalog?currency=EUR');
    assert.equal(r.status, 200, r.text);
    const p = r.body.categories.flatMap((c) => c.products).find((x) => x.id === id);
    return p && p.prices.find((x) => x.period === 12).price.minor;
  };
  for (const n of nodes) for (let i = 0; i < 2; i++) assert.equal(await priceOn(n), 1000);
  nodes[0].sql(`UPDATE catalog_prices SET price_minor = 1500 WHERE product_id = ${id}`);
  for (const n of nodes) assert.equal(await priceOn(n), 1500, `${n.url} answers the new price`);
  const r = await api(nodes[1].url, 'PATCH', `/api/v1/staff/products/${id}`, { token: staff.token,
    body: { prices: [{ period: 12, price: eur(1700) }] } });
  assert.equal(r.status, 200, r.text);
  for (const n of nodes) assert.equal(await priceOn(n), 1700, `${n.url} answers the edit made on the other node`);
  nodes[0].sql(`UPDATE catalog_products SET retired_at = 1 WHERE id = ${id}`);
  for (const n of nodes) assert.equal(await priceOn(n), undefined, `${n.url} no longer offers a retired product`);
});

const billingRun = (date) =>
  saldoRunAsync(['billing-run', '--at', date, '--database', db, '--log-level', 'warn', '--base-url', lb.url]);

test('two billing runs at once renew, charge and mail each service once', async () => {
  const staff = await staffLogin(nodes[0]);
  const p = product(nodes[0], { prices: { 12: 1000 } });
  const users = [];
  const services = [];
  for (let i = 0; i < 8; i++) {
    const u = await signUp(nodes[i % 2]);
    await credit(nodes[(i + 1) % 2], staff, u.org.id, 100000);
    for (let j = 0; j < 25; j++) {
      services.push(service(nodes[0], u.org.id, p, dayOf('2031-03-10') + j * 60, { autoRenew: true,
        label: `mn${i}-${j}.example` }));
    }
    users.push(u);
  }
  const [a, b] = await Promise.all([billingRun('2031-03-01'), billingRun('2031-03-01')]);
  assert.equal(a.status, 0, a.out);
  assert.equal(b.status, 0, b.out);
  const renewed = [a, b].map((r) => Number(/(\d+) renewed, 0 failed/.exec(r.out)[1]));
  assert.equal(renewed[0] + renewed[1], services.length);

  const ids = services.join(',');
  const sql = (q) => nodes[0].sql(q);
  assert.equal(sql(`SELECT count(*) FROM service_renewals WHERE service_id IN (${ids})`), String(services.length));
  assert.equal(sql(`SELECT count(*) FROM (SELECT service_id FROM service_renewals WHERE service_id IN (${ids})
    GROUP BY service_id HAVING count(*) <> 1) AS twice`), '0');
  assert.equal(sql(`SELECT count(*) FROM services WHERE id IN (${ids}) AND expires_at < ${dayOf('2032-03-10')}`), '0');
  const orgs = users.map((u) => u.org.id).join(',');
  assert.equal(sql(`SELECT count(*) FROM ledger_transfers WHERE kind = 'renewal' AND debit_account_id IN
    (SELECT id FROM ledger_accounts WHERE org_id IN (${orgs}))`), String(services.length));
  for (const u of users) {
    const w = await api(lb.url, 'GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
    assert.equal(w.body.wallets.find((x) => x.currency === 'EUR').balance.minor, 100000 - 25 * 1220); // 10.00 + 22% VAT each
  }

  // Each renewal mail once, sent by whichever node's outbox worker claimed it.
  const renewedMail = (m) => /^Renewed: /.test(m.subject);
  const want = services.length;
  for (let i = 0; i < 300 && smtp.messages().filter(renewedMail).length < want; i++)
    await new Promise((r) => setTimeout(r, 100));
  const mails = smtp.messages().filter((m) => renewedMail(m) && users.some((u) => m.to.includes(u.email)));
  assert.equal(mails.length, want);
  assert.equal(new Set(mails.map((m) => m.subject)).size, want, 'no renewal mailed twice');
});

test('mails queued while two nodes send reach the SMTP server once each', async () => {
  const now = Math.floor(Date.now() / 1000);
  const n = 300;
  const tag = `q${Date.now()}`;
  nodes[0].sql(`INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at)
    SELECT 'r' || g || '@${tag}.example', '${tag} message ' || g, 'Body ' || g, ${now}, ${now}
    FROM generate_series(1, ${n}) AS g`);
  const mine = () => smtp.messages().filter((m) => m.subject.startsWith(`${tag} `));
  for (let i = 0; i < 600 && mine().length < n; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500)); // a double send would land by now
  const got = mine();
  assert.equal(got.length, n);
  assert.equal(new Set(got.map((m) => m.subject)).size, n, 'no message sent twice');
  assert.equal(nodes[0].sql(`SELECT count(*) FROM outbox WHERE subject LIKE '${tag} %' AND status = 'sent'`), String(n));
  // Both nodes' workers took part, and their logs add up to one send each.
  const [lo, hi] = nodes[0].sql(`SELECT min(id) || ' ' || max(id) FROM outbox WHERE subject LIKE '${tag} %'`)
    .split(' ').map(Number);
  const sent = nodes.map((node) => node.log().split('\n').filter((l) => l.includes('mail_sent'))
    .map((l) => Number(/outbox_id=(\d+)/.exec(l)[1])).filter((id) => id >= lo && id <= hi));
  assert.ok(sent.every((ids) => ids.length > 0), `both nodes sent: ${sent.map((x) => x.length)}`);
  assert.equal(new Set(sent.flat()).size, n);
  assert.equal(sent.flat().length, n);
});

test('two nodes starting at once both run the billing: each due service renewed and charged once', async () => {
  const staff = await staffLogin(nodes[0]);
  const p = product(nodes[0], { prices: { 12: 1000 } });
  const now = Math.floor(Date.now() / 1000);
  const users = [];
  const services = [];
  for (let i = 0; i < 4; i++) {
    const u = await signUp(nodes[0]);
    await credit(nodes[0], staff, u.org.id, 50000);
    for (let j = 0; j < 40; j++) {
      services.push(service(nodes[0], u.org.id, p, now + 3 * 86400 + j * 60, { autoRenew: true,
        label: `sched${i}-${j}.example` }));
    }
    users.push(u);
  }
  // Each new node runs the billing once as it starts: both at the same moment.
  const args = ['--database', db, '--secret-key', KEY, '--base-url', lb.url, '--log-level', 'warn'];
  const extra = await Promise.all([startSaldo({ smtp, args }), startSaldo({ smtp, args })]);
  const ids = services.join(',');
  const sql = (q) => nodes[0].sql(q);
  const renewed = () => Number(sql(`SELECT count(*) FROM service_renewals WHERE service_id IN (${ids})`));
  for (let i = 0; i < 300 && renewed() < services.length; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000)); // a second renewal would land by now
  for (const n of extra) await n.stop();
  assert.equal(renewed(), services.length);
  assert.equal(sql(`SELECT count(*) FROM (SELECT service_id FROM service_renewals WHERE service_id IN (${ids})
    GROUP BY service_id HAVING count(*) <> 1) AS twice`), '0');
  const orgs = users.map((u) => u.org.id).join(',');
  assert.equal(sql(`SELECT count(*) FROM ledger_transfers WHERE kind = 'renewal' AND debit_account_id IN
    (SELECT id FROM ledger_accounts WHERE org_id IN (${orgs}))`), String(services.length));
  for (const u of users) {
    const w = await api(lb.url, 'GET', `/api/v1/orgs/${u.org.id}/wallets`, { token: u.token });
    assert.equal(w.body.wallets.find((x) => x.currency === 'EUR').balance.minor, 50000 - 40 * 1220); // 10.00 + 22% VAT each
  }
});
