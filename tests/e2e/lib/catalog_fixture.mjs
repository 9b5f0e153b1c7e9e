// catalog_fixture.mjs - categories, products and services put straight into the
// store for the services tests (orders, which create services, are another
// feature): each helper returns the new row's id.
let n = 0;
const now = () => Math.floor(Date.now() / 1000);
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Runs an INSERT ... RETURNING id; on SQLite with a busy timeout, as the
 * server's workers may hold the write lock for a moment. */
export function insertId(saldo, sql) {
  return Number(saldo.sql(sql).split('\n').pop());
}

export function addCategory(saldo, code = `cat${++n}${Date.now()}`) {
  return insertId(saldo, `INSERT INTO catalog_categories (code, name_en, name_it, created_at)
    VALUES (${q(code)}, ${q(`Category ${code}`)}, ${q(`Categoria ${code}`)}, ${now()}) RETURNING id`);
}

export function addProduct(saldo, category, { autoRenew = 1, promotional = 0, provisioner = 'manual',
  en = 'Log in with the password we sent.', it = 'Accedi con la password che ti abbiamo inviato.', name } = {}) {
  const code = `prod${++n}${Date.now()}`;
  return insertId(saldo, `INSERT INTO catalog_products (category_id, code, name_en, name_it, instructions_en,
    instructions_it, provisioner, auto_renew, promotional, created_at, updated_at)
    VALUES (${category}, ${q(code)}, ${q(name || `VPS ${code}`)}, ${q(name || `VPS ${code} (it)`)}, ${q(en)}, ${q(it)},
    ${q(provisioner)}, ${autoRenew}, ${promotional}, ${now()}, ${now()}) RETURNING id`);
}

export function addService(saldo, org, product, { status = 'pending', label = '', autoRenew = 0, period = 12 } = {}) {
  const t = now();
  return insertId(saldo, `INSERT INTO services (org_id, product_id, status, label, currency, period_months,
    price_minor, auto_renew, created_at, starts_at, expires_at, status_changed_at)
    VALUES (${org}, ${product}, ${q(status)}, ${q(label)}, 'EUR', ${period}, 1200, ${autoRenew}, ${t}, ${t},
    ${t + 365 * 86400}, ${t}) RETURNING id`);
}

export function makeReseller(saldo, org) {
  insertId(saldo, `INSERT INTO resellers (org_id, created_at) VALUES (${org}, ${now()}) RETURNING org_id`);
}
