// mixed_setup.mjs - the API calls bench/mixed.sh makes before measuring: waits
// for `saldo serve` to answer /healthz, signs up N customers (each with an
// organization of their own), signs each in, funds each organization's EUR
// wallet with a staff adjustment large enough for every order of the run,
// picks the cheapest EUR product of the catalog, and tries each route of the
// mix once per customer (so a refusal shows here, with its answer, rather than
// as a bare error count of wrk). Prints on stdout:
//   PRODUCT <product_id> <period> <price_minor>
//   CUSTOMER <token> <org_id>      (N lines)
// Node's fetch, so the benchmark needs nothing beyond what the e2e tests install.
const [base, countArg, fundArg] = process.argv.slice(2);
const COUNT = Number(countArg);
const FUND_MINOR = Number(fundArg);
const WAIT_MS = 10000;
const STAFF = { email: 'staff@example.com', password: 'saldo-staff-1' };
let keySeq = 0;

async function call(method, path, { token, body, key } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = `bench-setup-${process.pid}-${++keySeq}`;
  const res = await fetch(base + '/api/v1' + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

function expect(what, res, status) {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function waitReady() {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if ((await fetch(base + '/healthz')).status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > until) throw new Error(`${base}/healthz did not answer within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The product with the lowest EUR price (plus setup fee) and its period.
function cheapest(catalog) {
  let best = null;
  for (const c of catalog.categories)
    for (const p of c.products)
      for (const pr of p.prices) {
        const cost = pr.price.minor + (pr.setup_fee?.minor ?? 0);
        if (!best || cost < best.cost) best = { id: p.id, period: pr.period, cost };
      }
  if (!best) throw new Error('the catalog has no EUR price');
  return best;
}

async function customer(i, staffToken, product) {
  const email = `bench-${process.pid}-${i}@example.com`;
  const password = 'bench-password-1';
  expect('signup', await call('POST', '/signup', {
    body: { email, password, name: `Bench Customer ${i}`, country: 'IT', language: 'en' } }), 201);
  const { token } = expect('sign-in', await call('POST', '/sessions', { body: { email, password } }), 201);
  const me = expect('/me', await call('GET', '/me', { token }), 200);
  const org = me.organizations[0].id;
  expect('staff adjustment', await call('POST', `/staff/orgs/${org}/adjustments`, {
    token: staffToken, key: true,
    body: { amount: { currency: 'EUR', minor: FUND_MINOR }, reason: 'benchmark funding' } }), 201);
  expect('wallets', await call('GET', `/orgs/${org}/wallets`, { token }), 200);
  expect('transactions', await call('GET', `/orgs/${org}/transactions?limit=20`, { token }), 200);
  expect('bank-transfer top-up', await call('POST', `/orgs/${org}/topups`, {
    token, key: true, body: { amount: { currency: 'EUR', minor: 5000 }, method: 'bank_transfer' } }), 201);
  expect('order from the balance', await call('POST', `/orgs/${org}/orders`, {
    token, key: true,
    body: { items: [{ product_id: product.id, period: product.period }], currency: 'EUR',
      accept_terms: true, pay_with: 'balance' } }), 201);
  return { token, org };
}

await waitReady();
const product = cheapest(expect('catalog', await call('GET', '/catalog?currency=EUR'), 200));
const staff = expect('staff sign-in', await call('POST', '/staff/sessions', { body: STAFF }), 201);
const customers = [];
for (let i = 0; i < COUNT; i++) customers.push(await customer(i, staff.token, product));
console.log(`PRODUCT ${product.id} ${product.period} ${product.cost}`);
for (const c of customers) console.log(`CUSTOMER ${c.token} ${c.org}`);
