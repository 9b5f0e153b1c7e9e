// web_members.test.mjs - the members pages over HTTP: the list and the forms
// administrators get, inviting (with errors next to the field), the invitation
// landing page in each of its states, signing up from it, rights changes, the
// last administrator kept, leaving, the audit log page, and the billing right
// hiding the money in the navigation and the header.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, startSaldo, startSmtp } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let smtp;
let saldo;
before(async () => {
  smtp = await startSmtp();
  saldo = await startSaldo({ smtp });
});
after(async () => {
  await saldo.stop();
  await smtp.stop();
});

let n = 0;
const fresh = (tag) => `${tag}${Date.now()}${++n}@example.test`;
const password = 'a long password';
const EN = { 'Accept-Language': 'en' };

async function adminClient(over = {}) {
  const u = await signUp(saldo, over);
  const web = new WebClient(saldo.url);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { u, web };
}
async function inviteByForm(web, fields) {
  const _csrf = await web.csrf('/organization/members');
  return web.post('/organization/invitations', { _csrf, ...fields });
}
async function mailedLink(to) {
  const mail = await smtp.waitFor(to, (m) => /invitations\//.test(m.text));
  return new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.text)[0]).pathname;
}
/** A member who joined through the sign-up form of the invitation page. */
async function joinBySignup(link) {
  const web = new WebClient(saldo.url);
  const _csrf = await web.csrf(link);
  const r = await web.post(`${link}/signup`, { _csrf, name: 'Web Member', country: 'IT', language: 'en', password,
    password_confirm: password });
  assert.equal(r.status, 303, r.text);
  return web;
}

test('the members page lists members; administrators get the forms', async () => {
  const { u, web } = await adminClient({ name: 'Page Admin' });
  const page = await web.get('/organization/members');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Members<\/h1>/);
  assert.ok(page.text.includes(u.email));
  assert.match(page.text, /action="\/organization\/invitations"/);
  assert.match(page.text, /No invitations are waiting/);
  assert.match(page.text, /href="\/organization\/audit"/);
  const org = await web.get('/organization');
  assert.match(org.text, /href="\/organization\/members"/);
  const anon = await new WebClient(saldo.url).get('/organization/members');
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get('location'), '/login?next=/organization/members');
});

test('inviting by the form: errors next to the field, then the invitation is pending and can be cancelled', async () => {
  const { web } = await adminClient();
  const bad = await inviteByForm(web, { email: 'not-an-email', role: 'member' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="invite-email-error">Enter a valid email address/);
  assert.match(bad.text, /value="not-an-email"/);
  const email = fresh('form');
  const ok = await inviteByForm(web, { email, role: 'member', billing: '1' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/organization/members');
  const page = await web.get('/organization/members');
  assert.match(page.text, /The invitation has been sent/);
  assert.ok(page.text.includes(`data-invitation="${email}"`));
  await mailedLink(email);
  const id = /action="\/organization\/invitations\/(\d+)\/cancel"/.exec(page.text)[1];
  const _csrf = await web.csrf('/organization/members');
  const noCsrf = await web.post(`/organization/invitations/${id}/cancel`, {});
  assert.equal(noCsrf.status, 403);
  const cancel = await web.post(`/organization/invitations/${id}/cancel`, { _csrf });
  assert.equal(cancel.status, 303);
  const after2 = await web.get('/organization/members');
  assert.match(after2.text, /The invitation has been cancelled/);
  assert.ok(!after2.text.includes(`data-invitation="${email}"`));
  assert.equal((await web.post(`/organization/invitations/${id}/cancel`, { _csrf })).status, 404);
});

test('the invitation page: sign up with the invited address, land in the organization without the money', async () => {
  const { web: admin } = await adminClient({ name: 'Landing Org' });
  const email = fresh('landing');
  await inviteByForm(admin, { email, role: 'member' });
  const link = await mailedLink(email);
  const anon = new WebClient(saldo.url);
  const page = await anon.get(link, EN);
  assert.equal(page.status, 200);
  assert.match(page.text, /Landing Org/);
  assert.match(page.text, /Create your account/);
  assert.ok(page.text.includes(`value="${email}" readonly`));
  assert.match(page.text, /action="\/invitations\/[A-Za-z0-9_-]{43}\/signup"/);
  const _csrf = await anon.csrf(link);
  const bad = await anon.post(`${link}/signup`, { _csrf, name: '', country: 'IT', language: 'en', password: 'short',
    password_confirm: 'short' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="name-error"/);
  assert.match(bad.text, /id="password-error"/);
  const member = await joinBySignup(link);
  const home = await member.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Welcome: you are now a member of the organization/);
  assert.ok(!home.text.includes('data-testid="balance"'), 'no balance without the billing right');
  assert.ok(!home.text.includes('href="/billing"'), 'no billing in the navigation');
  assert.equal((await member.get('/billing')).status, 404);
  assert.equal((await member.get('/billing/transactions')).status, 404);
  const members = await member.get('/organization/members');
  assert.equal(members.status, 200);
  assert.ok(!members.text.includes('action="/organization/invitations"'), 'no invite form for members');
  assert.ok(!members.text.includes('href="/organization/audit"'));
  assert.equal((await member.get('/organization/audit')).status, 404);
  assert.equal((await anon.get(link)).status, 404, 'the link worked once');
  const gone = await anon.get('/invitations/nothing-here', EN);
  assert.equal(gone.status, 404);
  assert.match(gone.text, /This invitation does not work/);
});

test('signed in: accept with the invited account; another account is told to sign out', async () => {
  const { web: admin } = await adminClient();
  const invitee = await signUp(saldo, { language: 'en' });
  await inviteByForm(admin, { email: invitee.email, role: 'admin' });
  const link = await mailedLink(invitee.email);
  const anon = await new WebClient(saldo.url).get(link, EN);
  assert.match(anon.text, /This address has an account/);
  const signIn = /href="(\/login\?next=[^"]+)"/.exec(anon.text)[1];
  assert.equal(signIn, `/login?next=${link}`);
  const { web: other } = await adminClient();
  const wrong = await other.get(link);
  assert.match(wrong.text, /You are signed in as/);
  assert.ok(!wrong.text.includes('/accept"'));
  const _csrfOther = await other.csrf(link);
  const refused = await other.post(`${link}/accept`, { _csrf: _csrfOther });
  assert.equal(refused.status, 403);
  // Signing in from the invitation comes back to it.
  const web = new WebClient(saldo.url);
  const login = await web.get(signIn);
  const action = /<form method="post" action="([^"]*)"/.exec(login.text)[1];
  const signedIn = await web.post(action, { _csrf: await web.csrf(signIn), email: invitee.email,
    password: invitee.password });
  assert.equal(signedIn.headers.get('location'), link);
  const mine = await web.get(link);
  assert.match(mine.text, /action="\/invitations\/[A-Za-z0-9_-]{43}\/accept"/);
  const _csrf = await web.csrf(link);
  const ok = await web.post(`${link}/accept`, { _csrf });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/organization/members');
});

test('rights: an admin grants billing, cannot demote the last admin; a member leaves', async () => {
  const { u, web: admin } = await adminClient();
  const email = fresh('rights');
  await inviteByForm(admin, { email, role: 'member' });
  const member = await joinBySignup(await mailedLink(email));
  const page = await admin.get('/organization/members');
  const memberId = new RegExp(`data-member="${email}"[\\s\\S]*?action="/organization/members/(\\d+)"`).exec(page.text)[1];
  const _csrf = await admin.csrf('/organization/members');
  const grant = await admin.post(`/organization/members/${memberId}`, { _csrf, role: 'member', billing: '1' });
  assert.equal(grant.status, 303);
  const home = await member.get('/');
  assert.ok(home.text.includes('data-testid="balance"'), 'the billing right shows the balance');
  assert.equal((await member.get('/billing')).status, 200);
  const last = await admin.post(`/organization/members/${u.user.id}`, { _csrf, role: 'member' });
  assert.equal(last.status, 409);
  assert.match(last.text, /The organization needs an administrator/);
  const mCsrf = await member.csrf('/organization/members');
  assert.equal((await member.post(`/organization/members/${u.user.id}`, { _csrf: mCsrf, role: 'member' })).status, 404);
  assert.equal((await member.post(`/organization/members/${u.user.id}/remove`, { _csrf: mCsrf })).status, 404);
  const lastLeaves = await admin.post(`/organization/members/${u.user.id}/remove`, { _csrf });
  assert.equal(lastLeaves.status, 409);
  const leave = await member.post(`/organization/members/${memberId}/remove`, { _csrf: mCsrf });
  assert.equal(leave.status, 303);
  assert.equal(leave.headers.get('location'), '/');
});

test('the audit log page shows events to administrators, with the CSV link', async () => {
  const { u, web } = await adminClient();
  const email = fresh('auditpage');
  await inviteByForm(web, { email, role: 'member' });
  const page = await web.get('/organization/audit');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Audit log<\/h1>/);
  assert.match(page.text, /Sign-in/);
  assert.match(page.text, /Invitation sent/);
  assert.ok(page.text.includes(email));
  assert.ok(page.text.includes(u.email));
  assert.ok(page.text.includes(`href="/api/v1/orgs/${u.org.id}/audit.csv"`));
  const csv = await web.get(`/api/v1/orgs/${u.org.id}/audit.csv`);
  assert.equal(csv.status, 200, 'the link works with the web session');
  assert.match(csv.text, /"invitation.sent"/);
  assert.equal((await web.get('/organization/audit?cursor=x')).status, 404);
  web.jar.set('lang', 'it');
  const it = await web.get('/organization/audit');
  assert.match(it.text, /Registro attività/);
});
