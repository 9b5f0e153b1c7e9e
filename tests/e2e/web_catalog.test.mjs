// web_catalog.test.mjs - the catalog's pages over plain HTTP: the back office's
// list, product form with its prices grid (amounts typed as people type them,
// errors next to their fields and nothing saved), category form, retire and
// un-retire, the reseller section of an organization's page; the client
// area's /catalog with net prices per period in the chosen currency, the
// period select and the cart form, and a reseller's price next to the list price.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { signUp, staffLogin, startSaldo } from './lib/harness.mjs';
import { WebClient } from './lib/web.mjs';

let saldo;
let apiStaff;
before(async () => {
  saldo = await startSaldo();
  apiStaff = await staffLogin(saldo);
});
after(async () => saldo.stop());

let n = 0;
async function webStaff(lang = 'en') {
  const email = `catalog${Date.now()}${++n}@saldo.test`;
  const password = 'staff password 1';
  const add = saldo.run(['staff', 'add', '--email', email], { input: `${password}\n` });
  assert.equal(add.status, 0, add.stderr);
  const web = new WebClient(saldo.url);
  web.jar.set('lang', lang);
  const _csrf = await web.csrf('/staff/login');
  const r = await web.post('/staff/login', { _csrf, email, password });
  assert.equal(r.status, 303, r.text);
  return web;
}

async function customer(lang = 'en') {
  const u = await signUp(saldo, { language: lang });
  const web = new WebClient(saldo.url);
  web.jar.set('lang', lang);
  assert.equal((await web.login(u.email, u.password)).status, 303);
  return { u, web };
}

const csrfOf = (text) => /name="_csrf" value="([^"]+)"/.exec(text)[1];
const products = async () => (await saldo.api('GET', '/api/v1/staff/products', { token: apiStaff.token })).body.products;

async function newCategory(web, over = {}) {
  const page = await web.get('/staff/catalog/categories/new');
  assert.equal(page.status, 200, page.text);
  const code = `web-cat-${Date.now()}-${++n}`;
  const r = await web.post('/staff/catalog/categories', { _csrf: csrfOf(page.text), code, name_en: 'Mailboxes',
    name_it: 'Caselle', description_en: '', description_it: '', position: '5', ...over });
  return { r, code };
}

test('staff create a category and a product with a prices grid; errors come back next to their fields', async () => {
  const web = await webStaff('en');
  const { r: made, code: catCode } = await newCategory(web);
  assert.equal(made.status, 303, made.text);
  assert.equal(made.headers.get('location'), '/staff/catalog');
  const cats = (await saldo.api('GET', '/api/v1/staff/categories', { token: apiStaff.token })).body.categories;
  const cat = cats.find((c) => c.code === catCode);

  const bad = await newCategory(web, { code: 'Bad Code', name_it: '' });
  assert.equal(bad.r.status, 422);
  assert.match(bad.r.text, /id="code-error">Use 1 to 64 lowercase letters/);
  assert.match(bad.r.text, /value="Bad Code"/, 'the typed values come back');

  let form = await web.get(`/staff/catalog/products/new?category_id=${cat.id}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /data-testid="price-grid"/);
  assert.match(form.text, new RegExp(`<option value="${cat.id}" selected>`));
  const before = (await products()).length;
  const code = `web-prod-${Date.now()}`;
  const fields = { _csrf: csrfOf(form.text), category_id: String(cat.id), code, name_en: 'Mailbox', name_it: 'Casella',
    description_en: 'Two lines\nhere', description_it: 'Due righe', instructions_en: 'Go to\nthe panel', instructions_it: 'Vai',
    provisioner: 'manual', position: '1', auto_renew: '1', price_EUR_1: '1,234.50', setup_EUR_1: '10', price_EUR_12: '12000',
    price_CHF_12: 'abc', setup_USD_3: '5' };
  let r = await web.post('/staff/catalog/products', fields);
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /id="price_CHF_12-error">Enter an amount such as 1,234.56/);
  assert.match(r.text, /id="price_USD_3-error">Enter the price of this period, or leave its setup fee empty/);
  assert.match(r.text, /value="1,234.50"/, 'the grid keeps what was typed');
  assert.equal((await products()).length, before, 'nothing was saved');

  r = await web.post('/staff/catalog/products', { ...fields, price_CHF_12: '', setup_USD_3: '', code: 'Not Valid' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="code-error">/);
  r = await web.post('/staff/catalog/products', { ...fields, price_CHF_12: '', setup_USD_3: '', promotional: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="price_EUR_1-error">A promotional product is sold for 1 or 2 years only/);
  assert.equal((await products()).length, before, 'nothing was saved');

  r = await web.post('/staff/catalog/products', { ...fields, price_CHF_12: '130', setup_USD_3: '' });
  assert.equal(r.status, 303, r.text);
  const saved = (await products()).find((p) => p.code === code);
  assert.equal(r.headers.get('location'), `/staff/catalog/products/${saved.id}`);
  assert.equal(saved.auto_renew, true);
  assert.equal(saved.description_en, 'Two lines\nhere');
  assert.deepEqual(saved.prices.map((p) => [p.price.currency, p.period, p.price.minor, p.setup_fee.minor]),
    [['CHF', 12, 13000, 0], ['EUR', 1, 123450, 1000], ['EUR', 12, 1200000, 0]]);

  form = await web.get(`/staff/catalog/products/${saved.id}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="price_EUR_1"[^>]*value="€1,234.50"/);
  r = await web.post(`/staff/catalog/products/${saved.id}`, { ...fields, _csrf: csrfOf(form.text), price_CHF_12: '',
    setup_USD_3: '', price_EUR_1: '', setup_EUR_1: '', name_en: 'Mailbox renamed' });
  assert.equal(r.status, 303, r.text);
  const edited = (await products()).find((p) => p.id === saved.id);
  assert.equal(edited.name_en, 'Mailbox renamed');
  assert.deepEqual(edited.prices.map((p) => [p.price.currency, p.period]), [['EUR', 12]], 'the grid replaces the price list');

  const list = await web.get('/staff/catalog');
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(`data-testid="staff-product-${code}"`));
  r = await web.post(`/staff/catalog/products/${saved.id}/retire`, { _csrf: csrfOf(list.text) });
  assert.equal(r.status, 303);
  assert.equal((await products()).find((p) => p.id === saved.id).retired, true);
  const after = await web.get('/staff/catalog');
  assert.match(after.text, /The product has been retired/);
  assert.match(after.text, new RegExp(`/staff/catalog/products/${saved.id}/unretire`));
  r = await web.post(`/staff/catalog/products/${saved.id}/unretire`, { _csrf: csrfOf(after.text) });
  assert.equal(r.status, 303);
  assert.equal((await products()).find((p) => p.id === saved.id).retired, false);
  r = await web.post(`/staff/catalog/products/${saved.id}/retire`, { _csrf: 'wrong' });
  assert.equal(r.status, 403, 'the CSRF token is checked');
  assert.equal((await products()).find((p) => p.id === saved.id).retired, false);
  assert.equal((await web.get('/staff/catalog/products/999999')).status, 404);
});

test('the catalog pages need a staff session; customers see /catalog', async () => {
  const { web } = await customer();
  for (const p of ['/staff/catalog', '/staff/catalog/products/new', '/staff/catalog/categories/new']) {
    const r = await web.get(p);
    assert.equal(r.status, 303, p);
    assert.match(r.headers.get('location'), /^\/staff\/login/);
  }
  const anon = await new WebClient(saldo.url).get('/catalog');
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get('location'), '/login?next=/catalog', 'back to the catalog after signing in');
});

test('customers see net prices per period with the cart form; a reseller sees its price', async () => {
  const token = apiStaff.token;
  const cat = (await saldo.api('POST', '/api/v1/staff/categories', { token,
    body: { code: `shop-${Date.now()}`, name_en: 'Domains', name_it: 'Domini' } })).body;
  const p = (await saldo.api('POST', '/api/v1/staff/products', { token, body: { category_id: cat.id, code: `dom-${Date.now()}`,
    name_en: '.it domain', name_it: 'Dominio .it', prices: [{ period: 12, price: { currency: 'EUR', minor: 1000 } },
      { period: 24, price: { currency: 'EUR', minor: 1900 } }, { period: 1, price: { currency: 'USD', minor: 300 } }] } })).body;
  const { u, web } = await customer('it');
  let page = await web.get('/catalog');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /IVA esclusa/);
  const card = page.text.slice(page.text.indexOf(`data-testid="product-${p.code}"`));
  assert.match(card, /Dominio \.it/);
  assert.match(card, /10,00 €/);
  assert.match(card, /<option value="12">1 anno<\/option>/);
  assert.match(card, /<option value="24">2 anni<\/option>/);
  assert.match(card, /<form class="catalog-order" method="post" action="\/cart\/items">/);
  assert.match(card, new RegExp(`name="product_id" value="${p.id}"`));
  assert.match(card, /name="currency" value="EUR"/);
  assert.match(card, /name="_csrf" value="[^"]+"/);
  assert.doesNotMatch(card.slice(0, card.indexOf('</article>')), /data-testid="your-price"/);

  page = await web.get('/catalog?currency=USD');
  const usd = page.text.slice(page.text.indexOf(`data-testid="product-${p.code}"`));
  assert.match(usd, /<option value="1">1 mese<\/option>/);
  assert.match(usd, /name="currency" value="USD"/);
  page = await web.get('/catalog?currency=XYZ');
  assert.equal(page.status, 200);
  assert.match(page.text, /role="alert"/);

  const staff = await webStaff('en');
  const orgPage = await staff.get(`/staff/orgs/${u.org.id}`);
  assert.match(orgPage.text, /data-testid="reseller-form"/);
  let r = await staff.post(`/staff/orgs/${u.org.id}/reseller`, { _csrf: csrfOf(orgPage.text), reseller: '1',
    [`discount_${cat.id}`]: '120' });
  assert.equal(r.status, 422);
  assert.match(r.text, new RegExp(`id="discount_${cat.id}-error">Enter a percentage from 0 to 100`));
  assert.equal((await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/reseller`, { token })).body.reseller, false);
  r = await staff.post(`/staff/orgs/${u.org.id}/reseller`, { _csrf: csrfOf(orgPage.text), reseller: '1',
    [`discount_${cat.id}`]: '12.5' });
  assert.equal(r.status, 303, r.text);
  assert.deepEqual((await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/reseller`, { token })).body.discounts,
    [{ category_id: cat.id, percent_bp: 1250 }]);
  const shown = await staff.get(`/staff/orgs/${u.org.id}`);
  assert.match(shown.text, new RegExp(`name="discount_${cat.id}"[^>]*value="12.5"`));

  page = await web.get('/catalog');
  const mine = page.text.slice(page.text.indexOf(`data-testid="product-${p.code}"`));
  assert.match(mine, /<s>10,00 €<\/s>/);
  assert.match(mine, /data-testid="your-price"><strong>8,75 €<\/strong>/);

  r = await staff.post(`/staff/orgs/${u.org.id}/reseller`, { _csrf: csrfOf(shown.text) });
  assert.equal(r.status, 303);
  assert.equal((await saldo.api('GET', `/api/v1/staff/orgs/${u.org.id}/reseller`, { token })).body.reseller, false);
});
