// http_setup.mjs - the API calls bench/http.sh makes before measuring: waits
// for `saldo serve` to answer /healthz, signs the demo customer in and prints
// "TOKEN ORG_ID" (his first organization) on one line. Node's fetch, so the
// benchmark needs nothing beyond what the e2e tests already install.
const [base, email, password] = process.argv.slice(2);
const WAIT_MS = 10000;

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function waitReady() {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if ((await call('GET', '/healthz')).status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > until) throw new Error(`${base}/healthz did not answer within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

await waitReady();
const login = await call('POST', '/api/v1/sessions', { body: { email, password } });
if (login.status !== 201) throw new Error(`sign-in: HTTP ${login.status} ${JSON.stringify(login.json)}`);
const me = await call('GET', '/api/v1/me', { token: login.json.token });
const org = me.json?.organizations?.[0]?.id;
if (me.status !== 200 || !org) throw new Error(`/api/v1/me: HTTP ${me.status} ${JSON.stringify(me.json)}`);
const wallets = await call('GET', `/api/v1/orgs/${org}/wallets`, { token: login.json.token });
if (wallets.status !== 200) throw new Error(`wallets: HTTP ${wallets.status} ${JSON.stringify(wallets.json)}`);
console.log(`${login.json.token} ${org}`);
