// mail.test.mjs - the outbox: mail survives a server that says "try later",
// and reaches the SMTP server after the retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';

test('a deferred message is retried with backoff and delivered once', async () => {
  const smtp = await startSmtp({ defer: 1 });
  const saldo = await startSaldo({ smtp });
  try {
    const u = await signUp(saldo, { language: 'en' });
    const started = Date.now();
    const mail = await smtp.waitFor(u.email, (m) => /Confirm/.test(m.subject), 30000);
    assert.ok(Date.now() - started >= 5000, 'delivered by the retry, not the first attempt');
    assert.match(mail.text, /Hello Test User/);
    assert.equal(mail.headers['Auto-Submitted'], 'auto-generated');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.messages().filter((m) => m.to.includes(u.email)).length, 1);
  } finally {
    await saldo.stop();
    await smtp.stop();
  }
});
