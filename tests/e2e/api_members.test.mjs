// api_members.test.mjs - members, rights, invitations and the organization's
// audit log over the API, with a real SMTP server: invitation mails in the right
// language, single-use links that expire, the wrong account refused, the last
// administrator kept, the billing right hiding the money, CSV export defused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo, startSmtp } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

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
const fresh = (tag = 'inv') => `${tag}${Date.now()}${++n}@example.test`;
const invite = (admin, body, path = 'invitations') =>
  saldo.api('POST', `/api/v1/orgs/${admin.org.id}/${path}`, { token: admin.token, body });
/** The token of the newest invitation mail to `to`. */
async function mailedToken(to) {
  const mail = await smtp.waitFor(to, (m) => /invitations\//.test(m.text));
  return { mail, token: /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)[1] };
}
const accept = (token, opts = {}) => saldo.api('POST', `/api/v1/invitations/${token}/accept`, opts);
const newAccount = { name: 'Invited Person', password: 'a long password', country: 'IT', language: 'en' };
const members = async (u, orgId = u.org.id) =>
  (await saldo.api('GET', `/api/v1/orgs/${orgId}/members`, { token: u.token })).body;
const login = async (email, password = newAccount.password) =>
  (await saldo.api('POST', '/api/v1/sessions', { body: { email, password } })).body.token;

/** An organization with an admin and a member who joined through an invitation. */
async function orgWithMember(rights = { role: 'member', billing: false }) {
  const admin = await signUp(saldo);
  const email = fresh('member');
  assert.equal((await invite(admin, { email, ...rights })).status, 201);
  const { token } = await mailedToken(email);
  const r = await accept(token, { body: newAccount });
  assert.equal(r.status, 201, r.text);
  return { admin, member: { email, user: r.body.user, token: await login(email), org: admin.org } };
}

test('a new organization lists its admin with every right and no invitations', async () => {
  const u = await signUp(saldo);
  const body = await members(u);
  assert.equal(body.members.length, 1);
  const [me] = body.members;
  assert.equal(me.user_id, u.user.id);
  assert.equal(me.email, u.email);
  assert.equal(me.role, 'admin');
  assert.equal(me.billing, true);
  assert.deepEqual(me.access, { all: true });
  assert.match(me.joined_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(body.invitations, []);
});

test('an invitation is mailed in the inviter\'s language to a new address, pending, and works once', async () => {
  const admin = await signUp(saldo, { language: 'it', name: 'Anna Admin' });
  const email = fresh();
  const r = await invite(admin, { email: email.toUpperCase(), role: 'member', billing: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.invitation.email, email);
  assert.equal(r.body.invitation.role, 'member');
  assert.equal(r.body.invitation.billing, true);
  assert.deepEqual(r.body.invitation.access, { all: true });
  assert.equal(r.body.invitation.invited_by, admin.user.id);
  const days = (Date.parse(r.body.invitation.expires_at) - Date.parse(r.body.invitation.created_at)) / 86400e3;
  assert.equal(days, 7);
  assert.ok(!('token' in r.body.invitation), 'the link travels only by mail');
  const { mail, token } = await mailedToken(email);
  assert.match(mail.subject, /Anna Admin ti invita in Anna Admin/);
  assert.match(mail.text, /Il link vale 7 giorni/);
  assert.deepEqual((await members(admin)).invitations.map((i) => i.email), [email]);
  const stored = saldo.sql(`SELECT token_hash FROM invitations WHERE email = '${email}'`);
  assert.match(stored, /^[0-9a-f]{64}$/);
  assert.notEqual(stored, token, 'only the hash is stored');

  const joined = await accept(token, { body: newAccount });
  assert.equal(joined.status, 201, joined.text);
  assert.equal(joined.body.user.email, email);
  assert.deepEqual(joined.body.organization, { id: admin.org.id, name: 'Anna Admin' });
  assert.deepEqual(joined.body.membership, { role: 'member', billing: true, access: { all: true } });
  const again = await accept(token, { body: newAccount });
  assert.equal(again.status, 404, 'a link works once');

  const token2 = await login(email);
  const me = await saldo.api('GET', '/api/v1/me', { token: token2 });
  assert.equal(me.body.user.email_verified, true, 'the link proved the address');
  assert.deepEqual(me.body.organizations.map((o) => o.id), [admin.org.id], 'no organization of their own');
  const list = await members(admin);
  assert.deepEqual(list.invitations, []);
  assert.deepEqual(list.members.map((m) => [m.email, m.role, m.billing]),
    [[admin.email, 'admin', true], [email, 'member', true]]);
});

test('an invitation to an existing account is in the invitee\'s language and needs that account', async () => {
  const admin = await signUp(saldo, { language: 'it' });
  const invitee = await signUp(saldo, { language: 'en' });
  const other = await signUp(saldo);
  assert.equal((await invite(admin, { email: invitee.email })).status, 201);
  const { mail, token } = await mailedToken(invitee.email);
  assert.match(mail.subject, / invites you to /);
  assert.match(mail.text, /valid for 7 days/);
  const anonymous = await accept(token, { body: newAccount });
  assert.equal(anonymous.status, 409);
  assert.equal(anonymous.body.error.code, 'email_taken');
  const wrong = await accept(token, { token: other.token });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.code, 'wrong_account');
  const ok = await accept(token, { token: invitee.token });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body.membership, { role: 'member', billing: false, access: { all: true } });
  const me = await saldo.api('GET', '/api/v1/me', { token: invitee.token });
  assert.deepEqual(me.body.organizations.map((o) => [o.id, o.role, o.billing]).sort((a, b) => a[0] - b[0]),
    [[admin.org.id, 'member', false], [invitee.org.id, 'admin', true]].sort((a, b) => a[0] - b[0]));
  assert.equal((await accept(token, { token: invitee.token })).status, 404);
  const again = await invite(admin, { email: invitee.email });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_member');
});

test('an expired or cancelled invitation does not work; a new one replaces the pending one', async () => {
  const admin = await signUp(saldo);
  const late = fresh('late');
  await invite(admin, { email: late });
  const { token: lateToken } = await mailedToken(late);
  saldo.sql(`UPDATE invitations SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE email = '${late}'`);
  assert.equal((await accept(lateToken, { body: newAccount })).status, 404);
  assert.deepEqual((await members(admin)).invitations, [], 'expired invitations are not pending');

  const gone = fresh('gone');
  const created = await invite(admin, { email: gone });
  const { token } = await mailedToken(gone);
  const id = created.body.invitation.id;
  const del = await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/invitations/${id}`, { token: admin.token });
  assert.equal(del.status, 204);
  assert.equal((await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/invitations/${id}`,
    { token: admin.token })).status, 404);
  assert.equal((await accept(token, { body: newAccount })).status, 404);

  const twice = fresh('twice');
  const first = await invite(admin, { email: twice });
  const second = await invite(admin, { email: twice, role: 'admin' });
  assert.notEqual(first.body.invitation.id, second.body.invitation.id);
  const pending = (await members(admin)).invitations;
  assert.deepEqual(pending.map((i) => [i.email, i.role, i.billing]), [[twice, 'admin', true]]);
  assert.equal((await accept('A'.repeat(43), { body: newAccount })).status, 404);
  assert.equal((await accept('short', { body: newAccount })).status, 404);
});

test('POST /members invites like POST /invitations; bad invitations are 422 naming the field', async () => {
  const admin = await signUp(saldo);
  const email = fresh('viamembers');
  const r = await invite(admin, { email, access: { services: [3, 3, 4], categories: [] } }, 'members');
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.invitation.access, { all: false, services: [3, 4], categories: [] });
  await mailedToken(email);
  const cases = [
    [{}, 'email'],
    [{ email: 'nope' }, 'email'],
    [{ email: fresh(), role: 'owner' }, 'role'],
    [{ email: fresh(), billing: 'yes' }, 'billing'],
    [{ email: fresh(), access: [] }, 'access'],
    [{ email: fresh(), access: { all: true, services: [1] } }, 'access'],
    [{ email: fresh(), access: { services: [0] } }, 'access'],
    [{ email: fresh(), access: { services: ['1'] } }, 'access'],
    [{ email: fresh(), access: { products: [1] } }, 'access'],
    [{ email: fresh(), access: { services: Array.from({ length: 101 }, (_, i) => i + 1) } }, 'access'],
  ];
  for (const [body, field] of cases) {
    const bad = await invite(admin, body);
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.equal(bad.body.error.field, field, JSON.stringify(body));
  }
  assert.equal((await members(admin)).invitations.length, 1, 'refused invitations changed nothing');
  const self = await invite(admin, { email: admin.email });
  assert.equal(self.status, 409);
});

test('accepting without an account validates the new account\'s fields', async () => {
  const admin = await signUp(saldo);
  const email = fresh('fields');
  await invite(admin, { email });
  const { token } = await mailedToken(email);
  for (const [body, field] of [[{ ...newAccount, password: 'short' }, 'password'],
    [{ ...newAccount, country: 'XX' }, 'country'], [{ ...newAccount, language: 'fr' }, 'language'],
    [{ ...newAccount, name: '' }, 'name']]) {
    const r = await accept(token, { body });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await accept(token, { body: newAccount })).status, 201, 'the link still works');
});

test('admins change rights; the last admin cannot be demoted; members may not change rights', async () => {
  const { admin, member } = await orgWithMember();
  const url = (id) => `/api/v1/orgs/${admin.org.id}/members/${id}`;
  const demoteSelf = await saldo.api('PATCH', url(admin.user.id), { token: admin.token, body: { role: 'member' } });
  assert.equal(demoteSelf.status, 409);
  assert.equal(demoteSelf.body.error.code, 'last_admin');
  const byMember = await saldo.api('PATCH', url(admin.user.id), { token: member.token, body: { role: 'member' } });
  assert.equal(byMember.status, 403);
  assert.equal(byMember.body.error.code, 'forbidden');
  const limited = await saldo.api('PATCH', url(member.user.id),
    { token: admin.token, body: { billing: true, access: { services: [7], categories: [2] } } });
  assert.equal(limited.status, 200, limited.text);
  assert.deepEqual([limited.body.member.role, limited.body.member.billing, limited.body.member.access],
    ['member', true, { all: false, services: [7], categories: [2] }]);
  for (const [body, field] of [[{ role: 'boss' }, 'role'], [{ billing: null }, 'billing'], [{ access: 'all' }, 'access'],
    [{ role: null }, 'role']]) {
    const bad = await saldo.api('PATCH', url(member.user.id), { token: admin.token, body });
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.equal(bad.body.error.field, field);
  }
  const promote = await saldo.api('PATCH', url(member.user.id), { token: admin.token, body: { role: 'admin' } });
  assert.deepEqual([promote.body.member.role, promote.body.member.billing, promote.body.member.access],
    ['admin', true, { all: true }], 'an admin has every right');
  const demote = await saldo.api('PATCH', url(admin.user.id), { token: member.token, body: { role: 'member' } });
  assert.equal(demote.status, 200, 'two admins: one may go');
  const last = await saldo.api('PATCH', url(member.user.id), { token: member.token, body: { role: 'member' } });
  assert.equal(last.status, 409);
  const stranger = await signUp(saldo);
  assert.equal((await saldo.api('PATCH', url(member.user.id), { token: stranger.token, body: {} })).status, 404);
  assert.equal((await saldo.api('PATCH', url(stranger.user.id), { token: member.token, body: {} })).status, 404);
});

test('removing members and leaving; the last admin cannot leave', async () => {
  const { admin, member } = await orgWithMember();
  const url = (id) => `/api/v1/orgs/${admin.org.id}/members/${id}`;
  assert.equal((await saldo.api('DELETE', url(admin.user.id), { token: member.token })).status, 403);
  const lastLeaves = await saldo.api('DELETE', url(admin.user.id), { token: admin.token });
  assert.equal(lastLeaves.status, 409);
  assert.equal(lastLeaves.body.error.code, 'last_admin');
  assert.equal((await saldo.api('DELETE', url(member.user.id), { token: member.token })).status, 204, 'a member leaves');
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${admin.org.id}/members`, { token: member.token })).status, 404);
  assert.equal((await saldo.api('DELETE', url(member.user.id), { token: admin.token })).status, 404);

  const again = await orgWithMember();
  const rm = await saldo.api('DELETE', `/api/v1/orgs/${again.admin.org.id}/members/${again.member.user.id}`,
    { token: again.admin.token });
  assert.equal(rm.status, 204);
  assert.deepEqual((await members(again.admin)).members.map((m) => m.email), [again.admin.email]);
});

test('without the billing right the money is 404; with it, it shows', async () => {
  const { admin, member } = await orgWithMember({ role: 'member', billing: false });
  const w = `/api/v1/orgs/${admin.org.id}/wallets`;
  const t = `/api/v1/orgs/${admin.org.id}/transactions`;
  assert.equal((await saldo.api('GET', w, { token: member.token })).status, 404);
  assert.equal((await saldo.api('GET', t, { token: member.token })).status, 404);
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${admin.org.id}/members`, { token: member.token })).status, 200,
    'still a member');
  await saldo.api('PATCH', `/api/v1/orgs/${admin.org.id}/members/${member.user.id}`,
    { token: admin.token, body: { billing: true } });
  assert.equal((await saldo.api('GET', w, { token: member.token })).status, 200);
  assert.equal((await saldo.api('GET', t, { token: member.token })).status, 200);
});

test('the audit log records who did what from where; admins only; paged; CSV defused', async () => {
  const admin = await signUp(saldo, { name: 'Audit Admin' });
  const staff = await staffLogin(saldo);
  const email = fresh('audit');
  await invite(admin, { email, billing: false });
  const { token } = await mailedToken(email);
  const joined = await accept(token, { body: { ...newAccount, name: '=HYPERLINK("http://evil")' } });
  assert.equal(joined.status, 201);
  const memberToken = await login(email);
  const memberId = joined.body.user.id;
  await saldo.api('PATCH', `/api/v1/orgs/${admin.org.id}/members/${memberId}`,
    { token: admin.token, body: { billing: true } });
  const gone = fresh('cancelled');
  const c = await invite(admin, { email: gone });
  await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/invitations/${c.body.invitation.id}`, { token: admin.token });
  const adj = await saldo.api('POST', `/api/v1/staff/orgs/${admin.org.id}/adjustments`, {
    token: staff.token, headers: { 'Idempotency-Key': `audit-${n}` },
    body: { amount: { currency: 'EUR', minor: 1500 }, reason: 'welcome credit' },
  });
  assert.equal(adj.status, 201);
  await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/members/${memberId}`, { token: memberToken });

  const audit = `/api/v1/orgs/${admin.org.id}/audit`;
  const r = await saldo.api('GET', `${audit}?limit=99`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  const actions = r.body.entries.map((e) => e.action).reverse();
  assert.deepEqual(actions, ['sign_in', 'invitation.sent', 'invitation.accepted', 'sign_in', 'member.rights',
    'invitation.sent', 'invitation.cancelled', 'wallet.adjust', 'member.left']);
  const byAction = (a) => r.body.entries.find((e) => e.action === a);
  assert.deepEqual(byAction('sign_in').detail, { via: 'api' });
  assert.equal(byAction('sign_in').ip, '127.0.0.1');
  assert.equal(byAction('member.rights').user.email, admin.email);
  assert.deepEqual(byAction('member.rights').detail.before.billing, false);
  assert.deepEqual(byAction('member.rights').detail.after.billing, true);
  assert.equal(byAction('member.left').user.id, memberId);
  assert.equal(byAction('wallet.adjust').user, null, 'staff, not a customer');
  assert.equal(byAction('wallet.adjust').detail.reason, 'welcome credit');
  assert.equal(byAction('invitation.accepted').detail.account_created, true);

  const p1 = await saldo.api('GET', `${audit}?limit=4`, { token: admin.token });
  assert.equal(p1.body.entries.length, 4);
  const p2 = await saldo.api('GET', `${audit}?limit=99&cursor=${p1.body.next_cursor}`, { token: admin.token });
  assert.equal(p2.body.entries.length, actions.length - 4);
  assert.equal(p2.body.next_cursor, null);
  assert.equal((await saldo.api('GET', `${audit}?limit=0`, { token: admin.token })).body.error.field, 'limit');
  assert.equal((await saldo.api('GET', `${audit}?cursor=x`, { token: admin.token })).body.error.field, 'cursor');

  const csv = await saldo.api('GET', `${audit}.csv`, { token: admin.token });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="audit-\d+\.csv"/);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], '"id","created_at","action","user_id","user_email","user_name","ip","detail"');
  assert.equal(lines.length, actions.length + 2, 'a header, the rows, and the final CRLF');
  const accepted = lines.find((l) => l.includes('"invitation.accepted"'));
  assert.ok(accepted.includes('"\'=HYPERLINK(""http://evil"")"'), accepted);
  assert.ok(accepted.includes('"{""invitation_id"":'), 'quotes inside cells are doubled');

  const stranger = await signUp(saldo);
  assert.equal((await saldo.api('GET', audit, { token: stranger.token })).status, 404);
  assert.equal((await saldo.api('GET', `${audit}.csv`, { token: stranger.token })).status, 404);
  const m2 = await orgWithMember();
  assert.equal((await saldo.api('GET', `/api/v1/orgs/${m2.admin.org.id}/audit`, { token: m2.member.token })).status, 403);
});

test('the answers match docs/openapi.json', async () => {
  const doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
  const conforms = (method, template, answer) =>
    assertAnswer(doc, method, template, answer);
  const { admin, member } = await orgWithMember({ role: 'member', billing: false, access: { services: [5] } });
  const org = admin.org.id;
  conforms('GET', '/api/v1/orgs/{org_id}/members', await saldo.api('GET', `/api/v1/orgs/${org}/members`, { token: member.token }));
  const email = fresh('doc');
  const inv = await invite(admin, { email });
  conforms('POST', '/api/v1/orgs/{org_id}/invitations', inv);
  conforms('POST', '/api/v1/orgs/{org_id}/members', await invite(admin, { email: member.email }, 'members'));
  conforms('GET', '/api/v1/orgs/{org_id}/members', await saldo.api('GET', `/api/v1/orgs/${org}/members`, { token: admin.token }));
  const { token } = await mailedToken(email);
  conforms('POST', '/api/v1/invitations/{token}/accept', await accept(token, { body: { name: 'x' } }));
  conforms('POST', '/api/v1/invitations/{token}/accept', await accept(token, { body: newAccount }));
  conforms('POST', '/api/v1/invitations/{token}/accept', await accept(token, { body: newAccount }));
  const patchUrl = `/api/v1/orgs/${org}/members/${member.user.id}`;
  conforms('PATCH', '/api/v1/orgs/{org_id}/members/{user_id}', await saldo.api('PATCH', patchUrl,
    { token: admin.token, body: { access: { categories: [1, 2] } } }));
  conforms('PATCH', '/api/v1/orgs/{org_id}/members/{user_id}', await saldo.api('PATCH', patchUrl,
    { token: member.token, body: {} }));
  conforms('PATCH', '/api/v1/orgs/{org_id}/members/{user_id}', await saldo.api('PATCH',
    `/api/v1/orgs/${org}/members/${admin.user.id}`, { token: admin.token, body: { role: 'member' } }));
  conforms('GET', '/api/v1/orgs/{org_id}/audit', await saldo.api('GET', `/api/v1/orgs/${org}/audit`, { token: admin.token }));
  conforms('GET', '/api/v1/orgs/{org_id}/audit', await saldo.api('GET', `/api/v1/orgs/${org}/audit`, { token: member.token }));
  conforms('DELETE', '/api/v1/orgs/{org_id}/invitations/{invitation_id}', await saldo.api('DELETE',
    `/api/v1/orgs/${org}/invitations/999999`, { token: admin.token }));
  conforms('DELETE', '/api/v1/orgs/{org_id}/members/{user_id}', await saldo.api('DELETE', patchUrl, { token: member.token }));
});

test('the legal representative may leave only after handing the role over', async () => {
  const { admin, member } = await orgWithMember({ role: 'admin', billing: true });
  const blocked = await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/members/${admin.user.id}`, { token: admin.token });
  assert.equal(blocked.status, 409, 'two admins, but the creator is the legal representative');
  assert.equal(blocked.body.error.code, 'legal_representative');
  const handed = await saldo.api('PATCH', `/api/v1/orgs/${admin.org.id}`,
    { token: admin.token, body: { legal_representative_user_id: member.user.id } });
  assert.equal(handed.status, 200, handed.text);
  const audit = await saldo.api('GET', `/api/v1/orgs/${admin.org.id}/audit`, { token: admin.token });
  assert.ok(audit.body.entries.some((e) => e.action === 'org.profile'), 'the profile change is audited');
  const left = await saldo.api('DELETE', `/api/v1/orgs/${admin.org.id}/members/${admin.user.id}`, { token: admin.token });
  assert.equal(left.status, 204, left.text);
  assert.equal((await members({ token: member.token, org: admin.org })).members.length, 1);
});

test('deleting an organization erases its pending invitations and memberships', async () => {
  const admin = await signUp(saldo);
  const created = await saldo.api('POST', '/api/v1/orgs', { token: admin.token, body: { name: 'Short Lived Srl', kind: 'company' } });
  assert.equal(created.status, 201, created.text);
  const orgId = created.body.organization ? created.body.organization.id : created.body.id;
  const pendingEmail = fresh('pending');
  assert.equal((await saldo.api('POST', `/api/v1/orgs/${orgId}/invitations`,
    { token: admin.token, body: { email: pendingEmail, role: 'member', billing: false } })).status, 201);
  const del = await saldo.api('DELETE', `/api/v1/orgs/${orgId}`, { token: admin.token });
  assert.ok([200, 204].includes(del.status), del.text);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM invitations WHERE org_id = ${orgId}`), '0');
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM memberships WHERE org_id = ${orgId}`), '0');
  assert.equal(saldo.sql(`SELECT name FROM orgs WHERE id = ${orgId}`), `Deleted organization #${orgId}`);
  assert.equal(saldo.sql(`SELECT COUNT(*) FROM org_audit WHERE org_id = ${orgId} AND action = 'org.deleted'`), '1',
    'the deletion is in the audit log, which outlives it');
});
