// relay.mjs - stands between `saldo gateway-sandbox` and saldo for webhooks:
// the gateway needs its webhook URL when it starts, before saldo's port is
// known. It forwards each delivery as it came (body and Saldo-Signature) to
// relay.target and answers what saldo answered; with relay.hold it keeps the
// deliveries (answering 200) for a test to deliver late, twice or out of order.
import http from 'node:http';

/** Relays the gateway's webhooks to saldo; with hold, keeps them (answering 200) for the test to deliver. */
export async function startRelay() {
  const relay = { target: null, hold: false, held: [], delivered: [] };
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const ev = { body, signature: req.headers['saldo-signature'], id: req.headers['saldo-event-id'] };
      if (relay.hold || !relay.target) {
        relay.held.push(ev);
        return res.writeHead(200).end('held');
      }
      let r;
      try {
        r = await relay.send(ev);
      } catch (e) { /* saldo stopping: the gateway retries or gives up */
        r = { status: 502, text: String(e) };
      }
      relay.delivered.push({ ...ev, status: r.status });
      res.writeHead(r.status).end(r.text);
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  relay.url = `http://127.0.0.1:${srv.address().port}/hook`;
  relay.send = async ({ body, signature }) => {
    const res = await fetch(relay.target, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', ...(signature ? { 'Saldo-Signature': signature } : {}) } });
    return { status: res.status, text: await res.text() };
  };
  relay.close = () => new Promise((r) => srv.close(r));
  return relay;
}
