// connections.mjs - the client side of bench/connections.sh: opens COUNT
// keep-alive TCP connections to `saldo serve` at once, each sending a request
// and keeping the connection open; then for HOLD_S seconds every connection
// sends another request about once a second (alternately GET /healthz and the
// signed-in wallet read, so the database path runs too), always on the same
// socket. Plain net sockets and a minimal HTTP/1.1 reader (MHD answers with a
// Content-Length), so nothing hides a reconnect. Prints one line:
//   CONN opened=N answered=N requests=N errors=N closed=N max_open_ms=N
// errors: non-200 answers and socket errors; closed: connections the server
// closed before the end. Exits non-zero when a connection failed.
import net from 'node:net';

const [host, portArg, countArg, holdArg, token, org] = process.argv.slice(2);
const PORT = Number(portArg);
const COUNT = Number(countArg);
const HOLD_MS = Number(holdArg) * 1000;
const paths = ['/healthz', `/api/v1/orgs/${org}/wallets`];
let opened = 0, answered = 0, requests = 0, errors = 0, closed = 0, ending = false;
const errorSamples = [];

function note(msg) {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(msg);
}

function connection(i) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: PORT });
    let buf = Buffer.alloc(0);
    let n = 0;
    let firstDone = false;
    const send = () => {
      const path = paths[n++ % paths.length];
      const auth = path === '/healthz' ? '' : `Authorization: Bearer ${token}\r\n`;
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n${auth}\r\n`);
      requests++;
    };
    sock.setNoDelay(true);
    sock.on('connect', () => { opened++; send(); });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
        if (Number.isNaN(len)) { note(`connection ${i}: an answer without Content-Length`); sock.destroy(); return; }
        if (buf.length < end + 4 + len) return;
        buf = buf.subarray(end + 4 + len);
        const status = Number(head.split(' ')[1]);
        if (status !== 200) note(`connection ${i}: HTTP ${status}`);
        if (!firstDone) { firstDone = true; answered++; resolve(sock); }
        if (!ending) setTimeout(() => { if (!ending && !sock.destroyed) send(); }, 800 + Math.random() * 400);
      }
    });
    sock.on('error', (e) => { note(`connection ${i}: ${e.code ?? e.message}`); resolve(sock); });
    sock.on('close', () => { if (!ending) closed++; resolve(sock); });
  });
}

const t0 = Date.now();
const socks = await Promise.all(Array.from({ length: COUNT }, (_, i) => connection(i)));
const allOpenMs = Date.now() - t0;
await new Promise((r) => setTimeout(r, HOLD_MS));
console.log(`CONN opened=${opened} answered=${answered} requests=${requests} errors=${errors} ` +
  `closed=${closed} max_open_ms=${allOpenMs}`);
for (const s of errorSamples) console.error(`connections bench: ${s}`);
ending = true;
for (const s of socks) s.destroy();
process.exit(opened === COUNT && answered === COUNT && errors === 0 && closed === 0 ? 0 : 1);
