// api_catalog.test.mjs - the catalog over the API: staff create and edit
// categories and products with their price lists (validation naming the field,
// nothing changed on a refusal, the audit log written), retire and un-retire;
// the public catalog per currency and language (retired products left out);
// resellers' prices with the discount rounded half-up in the buyer's favour;
// customers get 401 on the staff routes. Answers are held to docs/openapi.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { assertAnswer } from './lib/schema.mjs';

let saldo;
let doc;
let staff;
before(async () => {
  saldo = await startSaldo();
  doc = (await saldo.api('GET', '/api/v1/openapi.json')).body;
  staff = await staffLogin(saldo);
});
after(async () => { await saldo.stop(); });

function conforms(method, template, answer) {
  assertAnswer(doc, method, template, answer);
}

let seq = 0;
const eur = (minor) => ({ currency: 'EUR', minor });

async function newCategory(over = {}) {
  seq += 1;
  const r = await saldo.api('POST', '/api/v1/staff/categories', {
    token: staff.token,
    body: { code: `cat-${seq}-${Date.now()}`, name_en: `Category ${seq}`, name_it: `Categoria ${seq}`, position: seq, ...over },
  });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/staff/categories', r);
  return r.body;
}

async function newProduct(category, over = {}) {
  seq += 1;
  const r = await saldo.api('POST', '/api/v1/staff/products', {
    token: staff.token,
    body: {
      category_id: category.id, code: `prod-${seq}-${Date.now()}`, name_en: `Product ${seq}`, name_it: `Prodotto ${seq}`,
      description_en: 'Line one\nLine two', description_it: 'Riga uno\nRiga due',
      prices: [{ period: 1, price: eur(1000) }, { period: 12, price: eur(10000), setup_fee: eur(5000) }], ...over,
    },
  });
  assert.equal(r.status, 201, r.text);
  conforms('POST', '/api/v1/staff/products', r);
  return r.body;
}

const findProduct = (catalog, id) => catalog.categories.flatMap((c) => c.products).find((p) => p.id === id);

test('staff create a category and a product with prices; anyone reads the catalog', async () => {
  const cat = await newCategory({ description_en: 'Fast machines', description_it: 'Macchine veloci' });
  const p = await newProduct(cat, { auto_renew: true, instructions_en: 'Log in at\nhttps://panel', instructions_it: 'Accedi' });
  assert.equal(p.provisioner, 'manual');
  assert.equal(p.auto_renew, true);
  assert.equal(p.retired, false);
  assert.equal(p.retired_at, null);
  assert.deepEqual(p.prices.map((x) => [x.period, x.price.minor, x.setup_fee.minor]), [[1, 1000, 0], [12, 10000, 5000]]);

  let r = await saldo.api('GET', '/api/v1/catalog', { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/catalog', r);
  assert.equal(r.body.currency, 'EUR');
  assert.equal(r.body.vat_included, false);
  assert.equal(r.body.reseller, false);
  const seen = findProduct(r.body, p.id);
  assert.ok(seen, 'the new product is listed');
  assert.equal(seen.name, p.name_en);
  assert.equal(seen.auto_renew, true);
  assert.deepEqual(seen.prices.map((x) => [x.period, x.price.minor, x.setup_fee.minor]), [[1, 1000, 0], [12, 10000, 5000]]);
  assert.equal(seen.prices[0].your_price, undefined);

  r = await saldo.api('GET', '/api/v1/catalog', { headers: { 'Accept-Language': 'it' } });
  const it = findProduct(r.body, p.id);
  assert.equal(it.name, p.name_it);
  assert.equal(it.description, 'Riga uno\nRiga due');
  assert.equal(it.prices[0].price.display, '10,00 €');
  const itCat = r.body.categories.find((c) => c.id === cat.id);
  assert.equal(itCat.name, cat.name_it);
  assert.equal(itCat.description, 'Macchine veloci');

  r = await saldo.api('GET', `/api/v1/staff/products/${p.id}`, { token: staff.token });
  assert.equal(r.status, 200);
  conforms('GET', '/api/v1/staff/products/{product_id}', r);
  assert.equal(r.body.instructions_en, 'Log in at\nhttps://panel');

  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const actions = audit.body.entries.map((e) => `${e.action}:${e.target_kind}:${e.target_id}`);
  assert.ok(actions.includes(`catalog.product.create:product:${p.id}`), actions.join(' '));
  assert.ok(actions.includes(`catalog.category.create:category:${cat.id}`));
});

test('the catalog in another currency lists only products priced in it', async () => {
  const cat = await newCategory();
  const both = await newProduct(cat, { prices: [{ period: 12, price: eur(12000) }, { period: 12, price: { currency: 'CHF', minor: 13000 } }] });
  const euroOnly = await newProduct(cat);
  let r = await saldo.api('GET', '/api/v1/catalog?currency=CHF');
  assert.equal(r.status, 200);
  conforms('GET', '/api/v1/catalog', r);
  assert.equal(r.body.currency, 'CHF');
  assert.deepEqual(findProduct(r.body, both.id).prices.map((x) => [x.period, x.price.currency, x.price.minor]), [[12, 'CHF', 13000]]);
  assert.equal(findProduct(r.body, euroOnly.id), undefined);
  r = await saldo.api('GET', '/api/v1/catalog?currency=JPY');
  assert.equal(r.status, 200);
  assert.equal(r.body.categories.find((c) => c.id === cat.id), undefined, 'a category with nothing in JPY is left out');

  for (const bad of ['XXX', 'eur', 'EURO', '']) {
    r = await saldo.api('GET', `/api/v1/catalog?currency=${bad}`);
    assert.equal(r.status, 422, bad);
    assert.equal(r.body.error.field, 'currency');
    conforms('GET', '/api/v1/catalog', r);
  }
  r = await saldo.api('GET', '/api/v1/catalog?org_id=abc');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'org_id');
  r = await saldo.api('GET', '/api/v1/catalog?org_id=1');
  assert.equal(r.status, 401);
});

test('bad input is refused naming the field, and changes nothing', async () => {
  const cat = await newCategory();
  const good = { category_id: cat.id, code: `ok-${Date.now()}`, name_en: 'A', name_it: 'B' };
  const cases = [
    [{ ...good, code: 'Has Caps' }, 'code'],
    [{ ...good, code: '' }, 'code'],
    [{ ...good, code: 'x'.repeat(65) }, 'code'],
    [{ ...good, name_en: '' }, 'name_en'],
    [{ ...good, name_it: undefined }, 'name_it'],
    [{ ...good, name_it: 'x'.repeat(201) }, 'name_it'],
    [{ ...good, name_en: 'bad\u0001' }, 'name_en'],
    [{ ...good, description_en: 'bad\u0007bell' }, 'description_en'],
    [{ ...good, instructions_it: 7 }, 'instructions_it'],
    [{ ...good, provisioner: 'Bad Name' }, 'provisioner'],
    [{ ...good, provisioner: '' }, 'provisioner'],
    [{ ...good, category_id: 999999 }, 'category_id'],
    [{ ...good, category_id: 'one' }, 'category_id'],
    [{ ...good, position: -1 }, 'position'],
    [{ ...good, auto_renew: 'yes' }, 'auto_renew'],
    [{ ...good, prices: [{ period: 2, price: eur(100) }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: { currency: 'XXX', minor: 100 } }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: eur(-1) }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: eur(100), setup_fee: eur(-5) }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: eur(100), setup_fee: { currency: 'USD', minor: 5 } }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: eur(100) }, { period: 12, price: eur(200) }] }, 'prices'],
    [{ ...good, prices: [{ period: 12, price: 100 }] }, 'prices'],
    [{ ...good, prices: 'none' }, 'prices'],
    [{ ...good, promotional: true, prices: [{ period: 1, price: eur(100) }] }, 'prices'],
    [{ ...good, promotional: true, prices: [{ period: 36, price: eur(100) }] }, 'prices'],
  ];
  const before = await saldo.api('GET', '/api/v1/staff/products', { token: staff.token });
  for (const [body, field] of cases) {
    const r = await saldo.api('POST', '/api/v1/staff/products', { token: staff.token, body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
    assert.ok(r.body.error.message.startsWith(field), r.body.error.message);
    conforms('POST', '/api/v1/staff/products', r);
  }
  const after = await saldo.api('GET', '/api/v1/staff/products', { token: staff.token });
  assert.equal(after.body.products.length, before.body.products.length, 'nothing was created');

  const r = await saldo.api('POST', '/api/v1/staff/products', { token: staff.token, body: { ...good, promotional: true,
    prices: [{ period: 12, price: eur(100) }, { period: 24, price: eur(180) }] } });
  assert.equal(r.status, 201, 'a promotional product sells for 1 or 2 years');
  const taken = await saldo.api('POST', '/api/v1/staff/products', { token: staff.token, body: { ...good, name_en: 'Other' } });
  assert.equal(taken.status, 422);
  assert.equal(taken.body.error.field, 'code');
  assert.match(taken.body.error.message, /already used/);

  const c = await saldo.api('POST', '/api/v1/staff/categories', { token: staff.token, body: { code: cat.code, name_en: 'X', name_it: 'Y' } });
  assert.equal(c.status, 422);
  assert.equal(c.body.error.field, 'code');
  const bad = await saldo.api('POST', '/api/v1/staff/categories', { token: staff.token, body: { code: 'fine-code', name_en: 'X' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'name_it');
  const malformed = await saldo.api('POST', '/api/v1/staff/products', { token: staff.token, raw: '{"code":', headers: { 'Content-Type': 'application/json' } });
  assert.equal(malformed.status, 400);
});

test('PATCH edits fields, replaces the price list, retires and un-retires', async () => {
  const cat = await newCategory();
  const other = await newCategory();
  const p = await newProduct(cat);
  const listed = async () => findProduct((await saldo.api('GET', '/api/v1/catalog')).body, p.id);
  assert.deepEqual((await listed()).prices.map((x) => [x.period, x.price.minor]), [[1, 1000], [12, 10000]]);
  let r = await saldo.api('PATCH', `/api/v1/staff/products/${p.id}`, { token: staff.token,
    body: { name_en: 'Renamed', category_id: other.id, prices: [{ period: 3, price: eur(2700) }] } });
  assert.equal(r.status, 200, r.text);
  const now = await listed();
  assert.equal(now.name_en, 'Renamed', 'the public catalog shows the edit at once');
  assert.deepEqual(now.prices.map((x) => [x.period, x.price.minor]), [[3, 2700]]);
  conforms('PATCH', '/api/v1/staff/products/{product_id}', r);
  assert.equal(r.body.name_en, 'Renamed');
  assert.equal(r.body.name_it, p.name_it, 'fields not sent are kept');
  assert.equal(r.body.category_id, other.id);
  assert.deepEqual(r.body.prices.map((x) => [x.period, x.price.minor]), [[3, 2700]]);

  r = await saldo.api('PATCH', `/api/v1/staff/products/${p.id}`, { token: staff.token, body: { prices: [{ period: 5, price: eur(1) }] } });
  assert.equal(r.status, 422);
  r = await saldo.api('PATCH', `/api/v1/staff/products/${p.id}`, { token: staff.token, body: { code: null } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'code');
  r = await saldo.api('GET', `/api/v1/staff/products/${p.id}`, { token: staff.token });
  assert.deepEqual(r.body.prices.map((x) => [x.period, x.price.minor]), [[3, 2700]], 'a refused PATCH changes nothing');

  r = await saldo.api('PATCH', `/api/v1/staff/products/${p.id}`, { token: staff.token, body: { retired: true } });
  assert.equal(r.status, 200);
  assert.equal(r.body.retired, true);
  assert.match(r.body.retired_at, /^\d{4}-/);
  let cat2 = await saldo.api('GET', '/api/v1/catalog');
  assert.equal(findProduct(cat2.body, p.id), undefined, 'a retired product is not listed');
  r = await saldo.api('GET', '/api/v1/staff/products', { token: staff.token });
  assert.equal(r.body.products.find((x) => x.id === p.id).retired, true, 'staff still see it');
  conforms('GET', '/api/v1/staff/products', r);
  r = await saldo.api('GET', `/api/v1/staff/products?category_id=${other.id}`, { token: staff.token });
  assert.deepEqual(r.body.products.map((x) => x.id), [p.id]);

  r = await saldo.api('PATCH', `/api/v1/staff/products/${p.id}`, { token: staff.token, body: { retired: false } });
  assert.equal(r.body.retired, false);
  assert.equal(r.body.retired_at, null);
  cat2 = await saldo.api('GET', '/api/v1/catalog');
  assert.ok(findProduct(cat2.body, p.id), 'back on sale');

  r = await saldo.api('PATCH', `/api/v1/staff/categories/${cat.id}`, { token: staff.token, body: { name_it: 'Nuovo nome', position: 0 } });
  assert.equal(r.status, 200, r.text);
  conforms('PATCH', '/api/v1/staff/categories/{category_id}', r);
  assert.equal(r.body.name_it, 'Nuovo nome');
  assert.equal(r.body.name_en, cat.name_en);
  r = await saldo.api('GET', '/api/v1/staff/categories', { token: staff.token });
  conforms('GET', '/api/v1/staff/categories', r);
  assert.ok(r.body.categories.some((c) => c.name_it === 'Nuovo nome'));

  for (const path of ['/api/v1/staff/products/999999', '/api/v1/staff/products/abc']) {
    r = await saldo.api('GET', path, { token: staff.token });
    assert.equal(r.status, 404);
    r = await saldo.api('PATCH', path, { token: staff.token, body: { retired: true } });
    assert.equal(r.status, 404);
  }
  r = await saldo.api('PATCH', '/api/v1/staff/categories/999999', { token: staff.token, body: { name_en: 'x' } });
  assert.equal(r.status, 404);
});

test('a reseller sees its price, the discount rounded half-up for the buyer', async () => {
  const cat = await newCategory();
  const plain = await newCategory();
  // 12.5% of 999 = 124.875 -> 125 off = 874; of 1 -> 0.125 -> 0 off; of 4 -> 0.5 -> 1 off = 3
  const p = await newProduct(cat, { prices: [{ period: 1, price: eur(999), setup_fee: eur(4) }, { period: 12, price: eur(1) }] });
  const q = await newProduct(plain, { prices: [{ period: 12, price: eur(5000) }] });
  const u = await signUp(saldo);
  const other = await signUp(saldo);
  const path = `/api/v1/staff/orgs/${u.org.id}/reseller`;

  let r = await saldo.api('GET', path, { token: staff.token });
  assert.equal(r.status, 200);
  conforms('GET', '/api/v1/staff/orgs/{org_id}/reseller', r);
  assert.deepEqual(r.body, { org_id: u.org.id, reseller: false, discounts: [] });

  for (const [discounts, what] of [[[{ category_id: cat.id, percent_bp: 10001 }], 'bp'], [[{ category_id: 999999, percent_bp: 5 }], 'category'],
    [[{ category_id: cat.id, percent_bp: 5 }, { category_id: cat.id, percent_bp: 6 }], 'twice'], ['x', 'array']]) {
    r = await saldo.api('PUT', path, { token: staff.token, body: { discounts } });
    assert.equal(r.status, 422, what);
    assert.equal(r.body.error.field, 'discounts');
    conforms('PUT', '/api/v1/staff/orgs/{org_id}/reseller', r);
  }
  r = await saldo.api('GET', path, { token: staff.token });
  assert.equal(r.body.reseller, false, 'a refused PUT changes nothing');

  r = await saldo.api('PUT', path, { token: staff.token, body: { discounts: [{ category_id: cat.id, percent_bp: 1250 }] } });
  assert.equal(r.status, 200, r.text);
  conforms('PUT', '/api/v1/staff/orgs/{org_id}/reseller', r);
  assert.deepEqual(r.body, { org_id: u.org.id, reseller: true, discounts: [{ category_id: cat.id, percent_bp: 1250 }] });

  r = await saldo.api('GET', `/api/v1/catalog?org_id=${u.org.id}`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  conforms('GET', '/api/v1/catalog', r);
  assert.equal(r.body.reseller, true);
  const seen = findProduct(r.body, p.id);
  assert.deepEqual(seen.prices.map((x) => [x.period, x.price.minor, x.your_price.minor, x.setup_fee.minor, x.your_setup_fee.minor, x.discount_bp]),
    [[1, 999, 874, 4, 3, 1250], [12, 1, 1, 0, 0, 1250]]);
  const undiscounted = findProduct(r.body, q.id);
  assert.equal(undiscounted.prices[0].your_price.minor, 5000, 'no discount on a category left out');
  assert.equal(undiscounted.prices[0].discount_bp, 0);

  r = await saldo.api('GET', `/api/v1/catalog?org_id=${u.org.id}`, { token: other.token });
  assert.equal(r.status, 404, 'not a member');
  r = await saldo.api('GET', `/api/v1/catalog?org_id=${other.org.id}`, { token: other.token });
  assert.equal(r.body.reseller, false);
  assert.equal(findProduct(r.body, p.id).prices[0].your_price, undefined);

  r = await saldo.api('DELETE', path, { token: staff.token });
  assert.equal(r.status, 204);
  r = await saldo.api('DELETE', path, { token: staff.token });
  assert.equal(r.status, 404, 'no longer a reseller');
  r = await saldo.api('GET', `/api/v1/catalog?org_id=${u.org.id}`, { token: u.token });
  assert.equal(r.body.reseller, false);
  r = await saldo.api('GET', '/api/v1/staff/orgs/999999/reseller', { token: staff.token });
  assert.equal(r.status, 404);
  const audit = await saldo.api('GET', '/api/v1/staff/audit', { token: staff.token });
  const actions = audit.body.entries.map((e) => `${e.action}:${e.target_id}`);
  assert.ok(actions.includes(`catalog.reseller.set:${u.org.id}`));
  assert.ok(actions.includes(`catalog.reseller.unset:${u.org.id}`));
});

test('customers and strangers get 401 on the staff routes', async () => {
  const u = await signUp(saldo);
  const routes = [['GET', '/api/v1/staff/products'], ['POST', '/api/v1/staff/products'], ['GET', '/api/v1/staff/products/1'],
    ['PATCH', '/api/v1/staff/products/1'], ['GET', '/api/v1/staff/categories'], ['POST', '/api/v1/staff/categories'],
    ['PATCH', '/api/v1/staff/categories/1'], ['GET', `/api/v1/staff/orgs/${u.org.id}/reseller`],
    ['PUT', `/api/v1/staff/orgs/${u.org.id}/reseller`], ['DELETE', `/api/v1/staff/orgs/${u.org.id}/reseller`]];
  for (const [method, path] of routes) {
    for (const token of [u.token, undefined]) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { code: 'x', discounts: [] };
      const r = await saldo.api(method, path, { token, body });
      assert.equal(r.status, 401, `${method} ${path}`);
    }
  }
  const r = await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/reseller`, { token: staff.token });
  assert.equal(r.body.reseller, false, 'nothing was changed');
});

test('the demo catalog: every kind the issue lists, auto-renewal as it says, a promotion, a reseller', async () => {
  const demo = await startSaldo();
  try {
    const seeded = demo.run(['demo']);
    assert.equal(seeded.status, 0, seeded.stderr);
    let r = await demo.api('GET', '/api/v1/catalog', { headers: { 'Accept-Language': 'en' } });
    assert.equal(r.status, 200);
    conforms('GET', '/api/v1/catalog', r);
    assert.deepEqual(r.body.categories.map((c) => c.code), ['dedicated-servers', 'vps', 'licenses', 'ip-addresses', 'domains',
      'pec', 'spid', 'e-invoicing', 'digital-archiving', 'digital-signature', 'timestamps']);
    const byCat = Object.fromEntries(r.body.categories.map((c) => [c.code, c.products]));
    for (const c of ['pec', 'spid', 'digital-archiving', 'e-invoicing']) assert.ok(byCat[c].every((p) => p.auto_renew), c);
    for (const c of ['digital-signature', 'timestamps']) assert.ok(byCat[c].every((p) => !p.auto_renew), c);
    assert.ok(byCat['dedicated-servers'].every((p) => p.prices.some((x) => x.setup_fee.minor > 0)), 'setup fees');
    const promo = byCat.domains.find((p) => p.promotional);
    assert.deepEqual(promo.prices.map((x) => x.period), [12, 24]);
    assert.ok(!byCat.vps.some((p) => p.code === 'vps-l-2023'), 'the retired VPS is not listed');
    r = await demo.api('GET', '/api/v1/catalog?currency=CHF');
    assert.ok(r.body.categories.length > 0, 'some prices in CHF');

    const s = await demo.api('POST', '/api/v1/sessions', { body: { email: 'mario.rossi@example.com', password: 'saldo-demo-1' } });
    const me = await demo.api('GET', '/api/v1/me', { token: s.body.token });
    const org = me.body.organizations[0].id;
    r = await demo.api('GET', `/api/v1/catalog?org_id=${org}`, { token: s.body.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.reseller, true);
    const it = r.body.categories.find((c) => c.code === 'domains').products.find((p) => p.code === 'domain-it');
    assert.equal(it.prices[0].price.minor, 990);
    assert.equal(it.prices[0].your_price.minor, 792, '20% off');

    // The demo customers' services: running ones priced as the reseller pays,
    // one due for renewal (the To pay page), one waiting for activation.
    const services = (await demo.api('GET', `/api/v1/orgs/${org}/services`, { token: s.body.token })).body.services;
    assert.deepEqual(services.map((x) => [x.product.name, x.status]).sort(), [['Casella PEC Standard', 'active'],
      ['Dominio .com', 'active'], ['VPS M', 'pending'], ['VPS S', 'active']], 'in Mario\'s Italian');
    const pec = services.find((x) => x.product.name === 'Casella PEC Standard');
    assert.equal(pec.price.minor, 425, 'the reseller price: 15% off 5.00');
    assert.equal(pec.auto_renew, true);
    const due = await demo.api('GET', `/api/v1/orgs/${org}/renewals/due`, { token: s.body.token });
    assert.equal(due.status, 200, due.text);
    assert.ok(due.body.services.some((x) => x.label === 'vps1.rossi-impianti.com'), due.text);
  } finally {
    await demo.stop();
  }
});
