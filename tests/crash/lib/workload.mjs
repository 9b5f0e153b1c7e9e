// workload.mjs - the customers of the crash test: each client owns one
// organization and sends it a steady stream of money-moving requests (staff
// top-ups, orders paid from the balance, withdrawals, refund requests of a bank
// transfer, and cancels of both), one
// at a time, with unique Idempotency-Keys. A request that gets no answer (the
// server was killed) is sent again, unchanged, to the restarted server until
// it is answered. Every answer is recorded, and the client keeps the balance
// its organization must have from the 2xx answers alone.

import { prng } from '../../e2e/lib/prng.mjs';

const IBAN = 'DE89370400440532013000';

/**
 * The server the clients talk to, replaced at each restart: `gen` counts
 * servers; `nextAfter(gen)` resolves once a later one is up (or after a while,
 * so that a client never waits forever on an error that was not a kill).
 */
export class Target {
  constructor(server) { this.server = server; this.gen = 0; this.waiters = []; }

  replace(server) {
    this.server = server;
    this.gen += 1;
    for (const w of this.waiters.splice(0)) w();
  }

  nextAfter(gen) {
    if (this.gen > gen) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 3000);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }
}

/** One HTTP exchange; throws when no complete answer came back. */
async function exchange(url, rec, token) {
  const headers = { Authorization: `Bearer ${token}` };
  if (rec.key) headers['Idempotency-Key'] = rec.key;
  if (rec.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(url + rec.path, { method: 'POST', headers, body: rec.body && JSON.stringify(rec.body),
    signal: AbortSignal.timeout(20000) });
  const text = await res.text();
  return { status: res.status, text, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

/** A client: one organization, its user token, the staff token for top-ups. */
export class Client {
  constructor({ target, no, org, token, staffToken, product, orderTotal, seed }) {
    Object.assign(this, { target, no, org, token, staffToken, product, orderTotal });
    this.rnd = prng(seed);
    this.balance = 0;           // what the 2xx answers say the wallet holds
    this.records = [];          // every request, with its final answer
    this.pending = new Map();   // withdrawal id -> amount, still pending
    this.cancelled = new Set(); // withdrawal ids
    this.refundOf = null;       // {source: 'bank_transfer', id}: the bank transfer refunds are asked of
    this.refundable = 0;        // what is left of it (cancels are not counted back: a lower bound)
    this.pendingRefunds = new Map(); // refund request id -> amount, still requested
    this.cancelledRefunds = new Set();
    this.n = 0;
    this.keyPrefix = `crash-${seed}-${no}`;
  }

  /** Sends rec until it is answered; rec gets status, json, replayed, lost. */
  async send(rec, token = this.token) {
    rec.lost = 0;
    for (;;) {
      const gen = this.target.gen;
      try {
        const a = await exchange(this.target.server.url, rec, token);
        rec.status = a.status;
        rec.replayed = a.replayed;
        rec.text = a.text;
        try { rec.json = JSON.parse(a.text); } catch { rec.json = null; }
        this.records.push(rec);
        return rec;
      } catch (e) {
        rec.lost += 1;
        if (rec.lost > 100) throw new Error(`${rec.kind} ${rec.key || rec.path}: no answer after 100 tries: ${e}`);
        await this.target.nextAfter(gen);
      }
    }
  }

  /** Fails loudly: an answer the model does not allow. */
  unexpected(rec) {
    throw new Error(`client ${this.no}: ${rec.kind} ${rec.key || rec.path} (lost ${rec.lost}) answered ` +
      `${rec.status}${rec.replayed ? ' (replayed)' : ''}: ${rec.text}`);
  }

  key() { this.n += 1; return `${this.keyPrefix}-${this.n}`; }

  async topup(minor) {
    const rec = await this.send({ kind: 'topup', key: this.key(), path: `/api/v1/staff/orgs/${this.org}/adjustments`,
      body: { amount: { currency: 'EUR', minor }, reason: 'crash test top-up' } }, this.staffToken);
    if (rec.status !== 201) this.unexpected(rec);
    this.balance += minor;
    rec.transferId = rec.json.transfer.id;
    if (rec.json.balance.minor !== this.balance) this.unexpected(rec); // one writer per organization
  }

  async order() {
    const rec = await this.send({ kind: 'order', key: this.key(), path: `/api/v1/orgs/${this.org}/orders`,
      body: { items: [{ product_id: this.product, period: 1 }], currency: 'EUR', accept_terms: true, pay_with: 'balance' } });
    if (rec.status !== 201 || rec.json.order.status !== 'paid' || rec.json.order.total.currency !== 'EUR') this.unexpected(rec);
    rec.orderId = rec.json.order.id;
    this.balance -= rec.json.order.gross.minor; // the total with VAT is what the balance pays
    if (this.orderTotal === undefined) this.orderTotal = rec.json.order.gross.minor;
  }

  async withdraw(minor) {
    const destination = this.rnd.next() < 0.5 ? { method: 'bank', iban: IBAN, holder: 'Crash Test' }
      : { method: 'paypal', email: `crash${this.no}@example.test` };
    const rec = await this.send({ kind: 'withdrawal', key: this.key(), path: `/api/v1/orgs/${this.org}/withdrawals`,
      body: { amount: { currency: 'EUR', minor }, destination } });
    if (rec.status !== 201 || rec.json.status !== 'pending' || rec.json.amount.minor !== minor) this.unexpected(rec);
    rec.withdrawalId = rec.json.id;
    this.pending.set(rec.json.id, minor);
    this.balance -= minor;
  }

  /** Cancel has no Idempotency-Key: a retry of a cancel that committed unanswered gets 409 wrong_status. */
  async cancel(id) {
    const rec = await this.send({ kind: 'cancel', path: `/api/v1/orgs/${this.org}/withdrawals/${id}/cancel` });
    const committedUnanswered = rec.status === 409 && rec.lost > 0 && rec.json?.error?.code === 'wrong_status';
    if (!(rec.status === 200 && rec.json.status === 'cancelled') && !committedUnanswered) this.unexpected(rec);
    rec.withdrawalId = id;
    rec.committedUnanswered = committedUnanswered;
    this.balance += this.pending.get(id);
    this.pending.delete(id);
    this.cancelled.add(id);
  }

  async refund(minor) {
    const rec = await this.send({ kind: 'refund', key: this.key(), path: `/api/v1/orgs/${this.org}/refund-requests`,
      body: { payment: this.refundOf, amount: { currency: 'EUR', minor }, reason: 'crash test refund' } });
    if (rec.status !== 201 || rec.json.status !== 'requested' || rec.json.amount.minor !== minor) this.unexpected(rec);
    rec.refundId = rec.json.id;
    this.pendingRefunds.set(rec.json.id, minor);
    this.balance -= minor;
    this.refundable -= minor;
  }

  async cancelRefund(id) {
    const rec = await this.send({ kind: 'refund-cancel', path: `/api/v1/orgs/${this.org}/refund-requests/${id}/cancel` });
    const committedUnanswered = rec.status === 409 && rec.lost > 0 && rec.json?.error?.code === 'wrong_status';
    if (!(rec.status === 200 && rec.json.status === 'cancelled') && !committedUnanswered) this.unexpected(rec);
    rec.refundId = id;
    rec.committedUnanswered = committedUnanswered;
    this.balance += this.pendingRefunds.get(id);
    this.pendingRefunds.delete(id);
    this.cancelledRefunds.add(id);
  }

  /** One random request that the model says must succeed. */
  async step() {
    const r = this.rnd.next();
    const pick = (m) => { const ids = [...m.keys()]; return ids[this.rnd.int(0, ids.length - 1)]; };
    if (r < 0.10 && this.pending.size > 0) return this.cancel(pick(this.pending));
    if (r < 0.18 && this.pendingRefunds.size > 0) return this.cancelRefund(pick(this.pendingRefunds));
    if (r < 0.45 && this.balance >= this.orderTotal) return this.order();
    if (r < 0.60 && this.balance > 0) return this.withdraw(this.rnd.int(1, Math.min(this.balance, 3000)));
    const most = Math.min(this.balance, this.refundable, 3000);
    if (r < 0.72 && this.refundOf && most > 0) return this.refund(this.rnd.int(1, most));
    return this.topup(this.rnd.int(100, 5000));
  }

  /** Steps until stop() says so. */
  async run(stop) {
    while (!stop()) await this.step();
  }
}
