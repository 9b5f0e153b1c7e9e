// provisioning.test.mjs - activating services through provisioners: real
// programs (shell scripts written here) as exec: provisioners and a real HTTP
// endpoint (a node server here) as a url: one, success and failure; the
// activation mail with the product's instructions; the failure kept for staff
// with the service left pending; configuration errors naming the key.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { saldoRun, signUp, staffLogin, startSaldo, startSmtp, tempDir } from './lib/harness.mjs';
import { addCategory, addProduct, addService } from './lib/catalog_fixture.mjs';

let saldo;
let smtp;
let staff;
let hook;
let hookPort;
const dir = tempDir('saldo-prov-');
const received = [];

function script(name, body) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

before(async () => {
  const ok = script('ok.sh', `cat > "${dir}/last-input.json"\necho '{"ok": true, "message": "created vm 42"}'`);
  const no = script('fail.sh', `cat > /dev/null\necho '{"ok": false, "message": "no capacity in rack 7"}'\nexit 1`);
  const junk = script('junk.sh', 'cat > /dev/null\necho "this is not json"');
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      const good = req.url === '/good';
      res.writeHead(good ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(good ? { ok: true, message: 'domain registered' } : { ok: false, message: 'registry down' }));
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  hookPort = hook.address().port;
  smtp = await startSmtp();
  saldo = await startSaldo({
    smtp,
    env: {
      SALDO_PROVISIONER_VM_OK: `exec:${ok}`,
      SALDO_PROVISIONER_VM_FAIL: `exec:${no}`,
      SALDO_PROVISIONER_VM_JUNK: `exec:${junk}`,
      SALDO_PROVISIONER_DNS_OK: `url:http://127.0.0.1:${hookPort}/good`,
      SALDO_PROVISIONER_DNS_FAIL: `url:http://127.0.0.1:${hookPort}/bad`,
    },
  });
  staff = await staffLogin(saldo);
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
  hook.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Waits until the staff view of service id satisfies pred; returns it. */
async function waitService(id, pred, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await saldo.api('GET', `/api/v1/staff/services/${id}`, { token: staff.token });
    if (pred(r.body)) return r.body;
    if (Date.now() > until) throw new Error(`service ${id}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

test('exec: a program that answers ok activates the service and the customer gets the instructions', async () => {
  const u = await signUp(saldo);
  const prod = addProduct(saldo, addCategory(saldo), { provisioner: 'vm_ok', name: 'Cloud VM',
    en: 'SSH to root@vm42.example with your key.' });
  const id = addService(saldo, u.org.id, prod, { label: 'web-1' });
  const s = await waitService(id, (x) => x.status === 'active');
  assert.equal(s.staff.provisioning.message, 'created vm 42');
  assert.ok(s.activated_at);
  const input = JSON.parse(fs.readFileSync(path.join(dir, 'last-input.json'), 'utf8'));
  assert.equal(input.service.id, id);
  assert.equal(input.service.label, 'web-1');
  assert.equal(input.provisioner, 'vm_ok');
  const mail = await smtp.waitFor(u.email, (m) => /Cloud VM is active/.test(m.subject));
  assert.match(mail.text, /SSH to root@vm42\.example with your key\./);
  const audit = await saldo.api('GET', `/api/v1/orgs/${u.org.id}/audit`, { token: u.token });
  assert.ok(audit.body.entries.some((e) => e.action === 'service.status' && e.detail.by === 'provisioner:vm_ok'));
});

test('exec: a failing program leaves the service pending with its message for staff; staff can still activate', async () => {
  const u = await signUp(saldo);
  const cat = addCategory(saldo);
  const id = addService(saldo, u.org.id, addProduct(saldo, cat, { provisioner: 'vm_fail' }));
  let s = await waitService(id, (x) => x.staff.provisioning.attempts >= 1 && x.staff.provisioning.message);
  assert.equal(s.status, 'pending');
  assert.match(s.staff.provisioning.message, /no capacity in rack 7; exit status 1/);
  const junk = addService(saldo, u.org.id, addProduct(saldo, cat, { provisioner: 'vm_junk' }));
  s = await waitService(junk, (x) => x.staff.provisioning.message !== '');
  assert.equal(s.status, 'pending');
  assert.match(s.staff.provisioning.message, /not \{"ok"/);
  const ghost = addService(saldo, u.org.id, addProduct(saldo, cat, { provisioner: 'ghost' }));
  s = await waitService(ghost, (x) => x.staff.provisioning.message !== '');
  assert.match(s.staff.provisioning.message, /provisioner\.ghost is not in the configuration/);
  const r = await saldo.api('POST', `/api/v1/staff/services/${id}/activate`,
    { token: staff.token, body: { notes: 'rack 8 instead' } });
  assert.equal(r.body.status, 'active');
});

test('url: a 2xx {"ok": true} activates; an error status keeps it pending with the message', async () => {
  const u = await signUp(saldo);
  const cat = addCategory(saldo);
  const good = addService(saldo, u.org.id, addProduct(saldo, cat, { provisioner: 'dns_ok', name: 'Domain' }));
  const bad = addService(saldo, u.org.id, addProduct(saldo, cat, { provisioner: 'dns_fail' }));
  const s = await waitService(good, (x) => x.status === 'active');
  assert.equal(s.staff.provisioning.message, 'domain registered');
  const f = await waitService(bad, (x) => x.staff.provisioning.message !== '');
  assert.equal(f.status, 'pending');
  assert.match(f.staff.provisioning.message, /registry down; HTTP status 503/);
  const call = received.find((x) => x.url === '/good' && x.body.service.id === good);
  assert.equal(call.type, 'application/json');
  await smtp.waitFor(u.email, (m) => /Domain is active/.test(m.subject));
});

test('a manual product waits for staff: the worker runs nothing', async () => {
  const u = await signUp(saldo);
  const id = addService(saldo, u.org.id, addProduct(saldo, addCategory(saldo)));
  await new Promise((r) => setTimeout(r, 2500));
  const s = await waitService(id, () => true);
  assert.equal(s.status, 'pending');
  assert.equal(s.staff.provisioning.message, '');
  assert.equal(saldo.sql(`SELECT provision_next_at IS NULL FROM services WHERE id = ${id}`).replace('t', '1'), '1');
});

test('bad provisioner settings stop a command with a message naming the key', () => {
  for (const [name, value, want] of [
    ['SALDO_PROVISIONER_X', 'shell:rm -rf /', /SALDO_PROVISIONER_X: bad value 'shell:rm -rf \/': expected exec:/],
    ['SALDO_PROVISIONER_X', 'exec:relative/path', /SALDO_PROVISIONER_X: bad value/],
    ['SALDO_PROVISIONER_X', 'url:ftp://host/x', /SALDO_PROVISIONER_X: bad value/],
    ['SALDO_PROVISIONER_MANUAL', 'exec:/bin/true', /bad provisioner name/],
  ]) {
    const r = saldoRun(['ledger', 'verify', '--database', `sqlite:${dir}/none.db`], { env: { [name]: value } });
    assert.equal(r.status, 2, `${name}=${value}: ${r.stderr}`);
    assert.match(r.stderr, want);
  }
  const conf = path.join(dir, 'bad.conf');
  fs.writeFileSync(conf, '[provisioner]\nvm = exec:/opt/vm\ndns = url:nope\n');
  const r = saldoRun(['ledger', 'verify', '--config', conf, '--database', `sqlite:${dir}/none.db`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.conf:3: provisioner\.dns: bad value 'url:nope'/);
});
