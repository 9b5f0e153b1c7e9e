// api_money_walk.test.mjs - a seeded random walk over what moves a customer's
// money: staff credits and debits, bank transfers imported from a camt.053
// statement, orders (some with a discount code of limited uses) and renewals
// paid from the balance, two billing runs at once the day before an automatic
// renewal falls due (what they charge is what their invoices say, each
// renewal once), withdrawals and refunds of bank transfers held,
// cancelled, rejected, approved and exported, credit notes of whole invoices
// and of single lines, replays of each request with its idempotency key, and
// bursts of concurrent orders that cannot all be paid or all have the code,
// and orders paid from a yen wallet at a quoted rate (no minor unit).
// The test keeps its own model of the wallet and of what each step must cost
// (the catalog price less the code's percentage of it rounded half up, plus
// 22% VAT rounded half up once, docs/VAT.md) and checks after every
// step: the wallet holds exactly what the model says and never less than zero,
// a neighbour's wallet never moves, a refused step changes nothing. At the end:
// every document's totals add up, an invoice's credit notes give back exactly
// what it charged once every line is credited and never more, the transactions
// add up to the balance, document numbers run without gaps, `ledger verify`.
// On PostgreSQL the walk runs again over two nodes sharing the database, each
// request to the other node (bursts included).
// E2E_WALK_SEED and E2E_WALK_STEPS pick another walk; a failure names the
// seed and the step.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { product } from './lib/billing.mjs';
import { statement } from './lib/camt053.mjs';
import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { prng } from './lib/prng.mjs';

const SEED = Number(process.env.E2E_WALK_SEED || 20261124);
const STEPS = Number(process.env.E2E_WALK_STEPS || 160);
const IBAN = 'IT60X0542811101000000123456';

const KEY = 'money-walk-secret-key-0123456789abcdef'; // one for every node of a walk

/** The servers a walk talks to, in turn: one, or (PostgreSQL) two nodes on one
 * database; each stops with exit 0 on SIGTERM and `ledger verify`. */
async function startNodes(count) {
  const first = await startSaldo({ args: ['--secret-key', KEY] });
  const nodes = [first];
  while (nodes.length < count) nodes.push(await startSaldo({ args: ['--database', first.db, '--secret-key', KEY] }));
  return nodes;
}

/** VAT at rate_bp on net, rounded half up once (docs/VAT.md). */
const vatOf = (net, rateBp = 2200) => Math.floor((net * rateBp + 5000) / 10000);
const grossOf = (net) => net + vatOf(net);
/** EUR minor -> JPY at 1 EUR = 162.35 JPY, rounded half to even as quotes are. */
const JPY_RATE_UNITS = 162350000000000n; // 10^12 scale, as fx_rates keeps it
function toYen(eurMinor) {
  const num = BigInt(eurMinor) * JPY_RATE_UNITS;
  const den = 100n * 1000000000000n;
  const q = num / den;
  const twice = (num % den) * 2n;
  return Number(twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q);
}
/** The code's discount on one price: its percentage rounded half up. */
const CODE = { code: 'WALK125', percent_bp: 1250, max_uses: 6 };
const discounted = (price, coded) => price - (coded ? Math.floor((price * CODE.percent_bp + 5000) / 10000) : 0);

/** The walk over nodes: every request goes to the next node in turn. */
function walker(rng, nodes, staff) {
  const saldo = nodes[0]; // for what is not a request: SQL, the CLI, its folder
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length];
  let keyNo = 0;
  const model = { balance: 0, services: [], invoices: [], withdrawals: [], refunds: [], bankIn: 0, bankOut: 0,
    codeUses: 0, yen: 0, runRenewals: 0, last: null };
  let u;
  let products;
  const call = async (who, method, p, body, key) => {
    const headers = key ? { 'Idempotency-Key': key } : {};
    return node().api(method, p, { token: who === 'staff' ? staff.token : u.token, body, headers });
  };
  const org = (p) => `/api/v1/orgs/${u.org.id}${p}`;
  /** A money-moving request, kept for a later replay once it succeeded. */
  const send = async (who, method, p, body) => {
    const req = { who, method, p, body, key: `walk-${SEED}-${++keyNo}` };
    const r = await call(who, method, p, body, req.key);
    if (r.status >= 200 && r.status < 300) model.last = { req, status: r.status, body: r.body };
    return r;
  };
  /** A staff adjustment of the walker's wallet: the answer, and the minor asked. */
  const adjust = async (currency, minor) => ({ minor, ...await send('staff', 'POST',
    `/api/v1/staff/orgs/${u.org.id}/adjustments`, { amount: { currency, minor }, reason: 'walk adjustment' }) });
  const refused = (r, code) => {
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, code, r.text);
  };

  const steps = {
    async credit() {
      const r = await adjust('EUR', rng.int(1, 20000));
      assert.equal(r.status, 201, r.text);
      model.balance += r.minor;
      assert.equal(r.body.balance.minor, model.balance);
    },
    async debit() {
      const minor = rng.int(1, Math.floor(model.balance * 1.2) + 100);
      const r = await adjust('EUR', -minor);
      if (minor > model.balance) return refused(r, 'insufficient_funds');
      assert.equal(r.status, 201, r.text);
      model.balance -= minor;
      assert.equal(r.body.balance.minor, model.balance);
    },
    async order() {
      const items = Array.from({ length: rng.int(1, 3) }, () => ({ ...rng.pick(products), period: rng.pick([12, 24]) }));
      const coded = rng.chance(0.4);
      const net = items.reduce((s, it) => s + discounted(it.prices[it.period], coded), 0);
      const r = await send('user', 'POST', org('/orders'), {
        items: items.map((it) => ({ product_id: it.id, period: it.period })),
        currency: 'EUR', accept_terms: true, pay_with: 'balance', ...(coded ? { discount_code: CODE.code } : {}),
      });
      if (coded && model.codeUses >= CODE.max_uses) return refused(r, 'discount_code_used_up');
      if (grossOf(net) > model.balance) return refused(r, 'insufficient_funds');
      if (coded) model.codeUses += 1;
      assert.equal(r.status, 201, r.text);
      const o = r.body.order;
      assert.equal(o.total.minor, net);
      assert.equal(o.gross.minor, grossOf(net));
      assert.equal(o.paid.minor, grossOf(net));
      model.balance -= grossOf(net);
      model.invoices.push({ id: o.invoice_id, gross: grossOf(net), lines: items.length, credited: new Set(), back: 0 });
      for (const s of r.body.services) model.services.push({ id: s.id, status: 'pending', product: s.product_id });
    },
    async orderInYen() {
      const it = rng.pick(products);
      const gross = grossOf(it.prices[12]);
      const q = await call('user', 'POST', org('/quotes'),
        { wallet_currency: 'JPY', amount: { currency: 'EUR', minor: gross } });
      assert.equal(q.status, 201, q.text);
      assert.deepEqual([q.body.rate, q.body.converted.currency, q.body.converted.minor], ['162.35', 'JPY', toYen(gross)]);
      const r = await send('user', 'POST', org('/orders'), { items: [{ product_id: it.id, period: 12 }],
        currency: 'EUR', accept_terms: true, pay_with: 'balance', wallet_currency: 'JPY', quote_id: q.body.id });
      if (toYen(gross) > model.yen) return refused(r, 'insufficient_funds');
      assert.equal(r.status, 201, r.text);
      assert.deepEqual([r.body.order.paid.currency, r.body.order.paid.minor], ['JPY', toYen(gross)]);
      assert.equal(r.body.order.gross.minor, gross);
      model.yen -= toYen(gross);
      model.invoices.push({ id: r.body.order.invoice_id, gross, lines: 1, credited: new Set(), back: 0 });
      for (const s of r.body.services) model.services.push({ id: s.id, status: 'pending', product: s.product_id });
    },
    async creditYen() {
      const r = await adjust('JPY', rng.int(1, 5000));
      assert.equal(r.status, 201, r.text);
      model.yen += r.minor;
      assert.deepEqual([r.body.balance.currency, r.body.balance.minor], ['JPY', model.yen]);
    },
    async activate() {
      const s = model.services.find((x) => x.status === 'pending');
      if (!s) return;
      const r = await call('staff', 'POST', `/api/v1/staff/services/${s.id}/activate`, {});
      assert.equal(r.status, 200, r.text);
      s.status = 'active';
    },
    async renew() {
      const active = model.services.filter((x) => x.status === 'active');
      if (!active.length) return;
      const chosen = [...new Set(Array.from({ length: rng.int(1, 2) }, () => rng.pick(active)))];
      const items = chosen.map((s) => ({ service_id: s.id, period: rng.pick([12, 24]) }));
      const net = items.reduce((sum, it, i) =>
        sum + products.find((p) => p.id === chosen[i].product).prices[it.period], 0);
      const r = await send('user', 'POST', org('/renewals'), { items });
      if (grossOf(net) > model.balance) return refused(r, 'insufficient_funds');
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.total.minor, net);
      assert.equal(r.body.gross.minor, grossOf(net));
      for (const x of r.body.renewals) assert.ok(x.new_expires_at > x.old_expires_at, JSON.stringify(x));
      model.balance -= grossOf(net);
      model.invoices.push({ id: r.body.invoice_id, gross: grossOf(net), lines: items.length, credited: new Set(), back: 0 });
    },
    async withdraw() {
      const minor = rng.int(1, Math.floor(model.balance * 1.2) + 100);
      const r = await send('user', 'POST', org('/withdrawals'),
        { amount: { currency: 'EUR', minor }, destination: { method: 'bank', iban: IBAN, holder: 'Walk Rossi' } });
      if (minor > model.balance) return refused(r, 'insufficient_funds');
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.status, 'pending');
      model.balance -= minor;
      model.withdrawals.push({ id: r.body.id, minor });
    },
    async settle() {
      if (!model.withdrawals.length) return;
      const w = model.withdrawals.splice(rng.int(0, model.withdrawals.length - 1), 1)[0];
      const how = rng.pick(['cancel', 'reject', 'approve']);
      const r = how === 'cancel' ? await call('user', 'POST', org(`/withdrawals/${w.id}/cancel`), {})
        : await call('staff', 'POST', `/api/v1/staff/withdrawals/${w.id}/${how}`,
          how === 'reject' ? { reason: 'walk' } : {});
      assert.equal(r.status, 200, r.text);
      if (how !== 'approve') model.balance += w.minor;
    },
    async bankTransfer() {
      const minor = rng.int(500, 20000);
      const t = await send('user', 'POST', org('/topups'), { amount: { currency: 'EUR', minor }, method: 'bank_transfer' });
      assert.equal(t.status, 201, t.text);
      const file = path.join(saldo.dir, `walk-${keyNo}.xml`);
      fs.writeFileSync(file, statement({ id: `WALK-${SEED}-${keyNo}`, entries: [{ ref: `WALK-${SEED}-${keyNo}`,
        amount: (minor / 100).toFixed(2), structured: t.body.payment.instructions.reference, debtor: 'Walk Rossi' }] }));
      const imported = saldo.run(['import-statement', file]);
      assert.equal(imported.status, 0, imported.stderr);
      model.balance += minor;
      model.bankIn += minor;
    },
    async refund() {
      const offer = await call('user', 'GET', org('/refund-requests/refundable'));
      assert.equal(offer.status, 200, offer.text);
      const bank = offer.body.payments.filter((x) => x.payment.source === 'bank_transfer');
      // What is left to refund of the transfers: what came in less what refunds hold or paid.
      assert.equal(bank.reduce((sum, x) => sum + x.remaining.minor, 0), model.bankIn - model.bankOut, offer.text);
      if (!bank.length) return;
      const x = rng.pick(bank);
      assert.equal(x.refundable.minor, Math.min(x.remaining.minor, model.balance), JSON.stringify(x));
      const minor = rng.int(1, Math.floor(x.remaining.minor * 1.3) + 1);
      const r = await send('user', 'POST', org('/refund-requests'),
        { payment: x.payment, amount: { currency: 'EUR', minor }, reason: 'walk refund' });
      // The payment's amount first, then the balance, then what refunds left of it.
      if (minor > x.amount.minor) return refused(r, 'amount_too_large');
      if (minor > model.balance) return refused(r, 'insufficient_funds');
      if (minor > x.remaining.minor) return refused(r, 'amount_too_large');
      assert.equal(r.status, 201, r.text);
      model.balance -= minor;
      model.bankOut += minor;
      model.refunds.push({ id: r.body.id, minor });
      const left = await call('user', 'GET', org('/refund-requests/refundable'));
      const now = left.body.payments.find((y) => y.payment.id === x.payment.id);
      assert.equal(now ? now.remaining.minor : 0, x.remaining.minor - minor, left.text);
    },
    async settleRefund() {
      if (!model.refunds.length) return;
      const f = model.refunds.splice(rng.int(0, model.refunds.length - 1), 1)[0];
      const how = rng.pick(['cancel', 'reject', 'approve']);
      const r = how === 'cancel' ? await call('user', 'POST', org(`/refund-requests/${f.id}/cancel`), {})
        : await call('staff', 'POST', `/api/v1/staff/refund-requests/${f.id}/${how}`,
          how === 'reject' ? { reason: 'walk' } : {});
      assert.equal(r.status, 200, r.text);
      if (how !== 'approve') {
        model.balance += f.minor;
        model.bankOut -= f.minor;
      }
    },
    /** Two billing runs at once (as two nodes' schedulers may start them), the
     * day before the first automatic renewal falls due: what they charge is the
     * gross of the invoices they issue, each renewal once. */
    async billingRun() {
      const services = [];
      let cursor = '';
      do {
        const r = await call('user', 'GET', org(`/services?limit=100${cursor ? `&cursor=${cursor}` : ''}`));
        assert.equal(r.status, 200, r.text);
        services.push(...r.body.services);
        cursor = r.body.next_cursor;
      } while (cursor);
      const due = services.filter((x) => x.status === 'active' && x.auto_renew).map((x) => Date.parse(x.expires_at));
      if (!due.length) return;
      const at = new Date(Math.min(...due) - 86400000).toISOString().slice(0, 10);
      const known = new Set(model.invoices.map((i) => i.id));
      const runs = await Promise.all([0, 1].map(() => saldo.runAsync(['billing-run', '--at', at])));
      for (const r of runs) assert.equal(r.status, 0, r.stderr);
      const list = await call('user', 'GET', org('/invoices?kind=invoice'));
      for (const d of list.body.documents.filter((x) => !known.has(x.id))) {
        const doc = await call('user', 'GET', org(`/invoices/${d.id}`));
        model.balance -= doc.body.gross.minor;
        model.runRenewals += doc.body.lines.length;
        model.invoices.push({ id: d.id, gross: doc.body.gross.minor, lines: doc.body.lines.length,
          credited: new Set(), back: 0 });
      }
    },
    async exportTransfers() {
      const r = await call('staff', 'POST', '/api/v1/staff/credit-transfer-exports', { currency: 'EUR' });
      assert.ok(r.status === 201 || r.status === 200, r.text);
    },
    async creditNote() {
      const open = model.invoices.filter((i) => i.credited.size < i.lines);
      if (!open.length) return;
      const inv = rng.pick(open);
      const left = [...Array(inv.lines).keys()].filter((n) => !inv.credited.has(n));
      const lines = rng.chance(0.5) ? [rng.pick(left)] : undefined;
      const r = await send('staff', 'POST', `/api/v1/staff/invoices/${inv.id}/credit-notes`,
        { reason: 'walk credit note', ...(lines ? { lines } : {}) });
      assert.equal(r.status, 201, r.text);
      const back = Math.abs(r.body.gross.minor);
      for (const n of lines || left) inv.credited.add(n);
      inv.back += back;
      model.balance += back;
      assert.ok(inv.back <= inv.gross, `invoice ${inv.id} gave back ${inv.back} of ${inv.gross}`);
      if (inv.credited.size === inv.lines) assert.equal(inv.back, inv.gross, `invoice ${inv.id} fully credited`);
    },
    async replay() {
      if (!model.last) return;
      const { req, status, body } = model.last;
      const r = await call(req.who, req.method, req.p, req.body, req.key);
      assert.equal(r.status, status, r.text);
      // The same thing answered again (a payment or a withdrawal as it stands now).
      const idOf = (b) => b.order?.id ?? b.payment?.id ?? b.transfer?.id ?? b.invoice_id ?? b.id;
      assert.ok(idOf(body), JSON.stringify(body));
      assert.equal(idOf(r.body), idOf(body), r.text);
      if (/\/(orders|renewals|adjustments|credit-notes)$/.test(req.p)) assert.deepEqual(r.body, body);
    },
    async burst() {
      const it = rng.pick(products);
      const coded = rng.chance(0.5);
      const gross = grossOf(discounted(it.prices[12], coded));
      const answers = await Promise.all(Array.from({ length: 4 }, () => send('user', 'POST', org('/orders'),
        { items: [{ product_id: it.id, period: 12 }], currency: 'EUR', accept_terms: true, pay_with: 'balance',
          ...(coded ? { discount_code: CODE.code } : {}) })));
      const paid = answers.filter((r) => r.status === 201);
      const codesLeft = coded ? CODE.max_uses - model.codeUses : 4;
      assert.equal(paid.length, Math.min(4, codesLeft, Math.floor(model.balance / gross)),
        answers.map((r) => `${r.status} ${r.body?.error?.code || ''}`).join(','));
      for (const r of answers) {
        if (r.status !== 201) assert.match(r.body.error.code, /^(insufficient_funds|discount_code_used_up)$/, r.text);
      }
      if (coded) model.codeUses += paid.length;
      for (const r of paid) {
        assert.equal(r.body.order.gross.minor, gross);
        model.balance -= gross;
        model.invoices.push({ id: r.body.order.invoice_id, gross, lines: 1, credited: new Set(), back: 0 });
        for (const s of r.body.services) model.services.push({ id: s.id, status: 'pending', product: s.product_id });
      }
    },
  };
  const table = [[2, 'credit'], [1, 'debit'], [2, 'bankTransfer'], [4, 'order'], [2, 'activate'], [2, 'renew'],
    [2, 'withdraw'], [2, 'settle'], [2, 'refund'], [2, 'settleRefund'], [1, 'exportTransfers'], [2, 'creditNote'],
    [2, 'replay'], [1, 'burst'], [1, 'creditYen'], [2, 'orderInYen'], [1, 'billingRun']];
  return {
    model,
    async start() {
      u = await signUp(saldo);
      // Prices whose VAT falls on a half cent (25 * 22% = 5.5) and near a whole euro.
      products = [{ 12: 25, 24: 45 }, { 12: 999, 24: 1799 }, { 12: 4545, 24: 8995 }]
        .map((prices) => ({ id: product(saldo, { prices }), prices }));
      const c = await call('staff', 'POST', '/api/v1/staff/discount-codes', { ...CODE, kind: 'percent' });
      assert.equal(c.status, 201, c.text);
      saldo.sql(`INSERT INTO fx_rates (source, rate_date, currency, rate_units, imported_at)
        VALUES ('ecb', '2026-01-02', 'JPY', ${JPY_RATE_UNITS}, 0)`);
      await steps.credit(); // the wallets exist from here (a withdrawal from none is another error)
      await steps.creditYen();
      return u;
    },
    next: () => rng.weighted(table),
    run: (name) => steps[name](),
    /** The wallets as the API shows them: {EUR, JPY} in minor units. */
    wallets: async () => {
      const r = await call('user', 'GET', org('/wallets'));
      return Object.fromEntries(r.body.wallets.map((w) => [w.currency, w.balance.minor]));
    },
    call,
    org,
    /** One request of another user to the next node. */
    api: (method, p, opts) => node().api(method, p, opts),
  };
}

/** Walks STEPS steps on nodes from SEED, checking each against the model. */
async function walk(nodes) {
  const staff = await staffLogin(nodes[0]);
  const neighbour = await signUp(nodes[0]);
  const fund = await nodes[0].api('POST', `/api/v1/staff/orgs/${neighbour.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': 'walk-neighbour' },
    body: { amount: { currency: 'EUR', minor: 12345 }, reason: 'neighbour' } });
  assert.equal(fund.status, 201, fund.text);
  const w = walker(prng(SEED), nodes, staff);
  const u = await w.start();
  const seen = {};
  for (let i = 0; i < STEPS; i++) {
    const name = w.next();
    seen[name] = (seen[name] || 0) + 1;
    try {
      await w.run(name);
      assert.deepEqual(await w.wallets(), { EUR: w.model.balance, JPY: w.model.yen }, 'the wallets against the model');
      assert.ok(w.model.balance >= 0 && w.model.yen >= 0);
      const other = await w.api('GET', `/api/v1/orgs/${neighbour.org.id}/wallets`, { token: neighbour.token });
      assert.equal(other.body.wallets[0].balance.minor, 12345, 'the neighbour');
    } catch (e) {
      e.message = `seed ${SEED}, step ${i} (${name}): ${e.message}`;
      throw e;
    }
  }
  // Every kind of step ran, and most of the money moved more than once.
  for (const name of ['credit', 'bankTransfer', 'order', 'orderInYen', 'renew', 'withdraw', 'refund', 'creditNote',
    'burst']) {
    assert.ok(seen[name] >= 2, `${name} ran ${seen[name] || 0} times: ${JSON.stringify(seen)}`);
  }
  assert.ok(w.model.invoices.length >= 10, `${w.model.invoices.length} invoices`);
  assert.ok(w.model.runRenewals >= 1, 'the billing runs renewed something');
  await transactionsAddUp(w, u);
  await documentsAddUp(w);
}

test('a random walk over every way money moves keeps the wallet exactly where the model says', async () => {
  const nodes = await startNodes(1);
  try {
    await walk(nodes);
  } finally {
    for (const n of nodes) await n.stop();
  }
});

test('the same walk over two nodes on one PostgreSQL database, every request to the other node',
  { skip: !process.env.E2E_PG_URL && 'PostgreSQL only (E2E_PG_URL): SQLite has one node' }, async () => {
    const nodes = await startNodes(2);
    try {
      await walk(nodes);
    } finally {
      for (const n of nodes) await n.stop();
    }
  });

/** The wallets' transactions, every page, sum to their balances. */
async function transactionsAddUp(w, u) {
  const sum = { EUR: 0, JPY: 0 };
  let cursor = '';
  do {
    const r = await w.call('user', 'GET', w.org(`/transactions?limit=50${cursor ? `&cursor=${cursor}` : ''}`));
    assert.equal(r.status, 200, r.text);
    for (const t of r.body.transactions) sum[t.amount.currency] += t.amount.minor;
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.deepEqual(sum, { EUR: w.model.balance, JPY: w.model.yen }, `transactions of org ${u.org.id}`);
}

/** Each document's lines, rates and totals add up; an invoice's VAT is each
 * rate's net at that rate rounded once; numbers of each series (invoices and
 * credit notes share one, docs/INVOICES.md) run 1..N in each year (the
 * walker's are the server's only documents: the neighbour was only credited). */
async function documentsAddUp(w) {
  const list = await w.call('user', 'GET', w.org('/invoices'));
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.documents.length < 200, 'the list holds them all');
  const series = new Map();
  for (const d of list.body.documents) {
    const r = await w.call('user', 'GET', w.org(`/invoices/${d.id}`));
    assert.equal(r.status, 200, r.text);
    const x = r.body;
    const netOfLines = x.lines.reduce((s, l) => s + l.net.minor, 0);
    assert.equal(x.totals.reduce((s, t) => s + t.net.minor, 0), netOfLines, x.number);
    assert.equal(x.net.minor, netOfLines, x.number);
    assert.equal(x.vat_total.minor, x.totals.reduce((s, t) => s + t.vat.minor, 0), x.number);
    assert.equal(x.gross.minor, x.net.minor + x.vat_total.minor, x.number);
    if (x.kind === 'invoice') {
      for (const t of x.totals) assert.equal(t.vat.minor, vatOf(t.net.minor, t.rate_bp), `${x.number} at ${t.rate_bp}`);
    }
    const m = /^(PF-|NC-|RC-|)(\d{4})\/(\d{6})$/.exec(x.number);
    assert.ok(m, x.number);
    const key = `${m[1] === 'NC-' ? '' : m[1]}${m[2]}`; // credit notes take the invoices' numbers
    series.set(key, [...(series.get(key) || []), Number(m[3])]);
  }
  for (const [key, numbers] of series) {
    numbers.sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `series ${key}`);
  }
}
