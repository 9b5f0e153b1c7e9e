// billing.mjs - what the renewal tests set up under the API: catalog rows and
// services inserted with SQL into the tables of 0006_catalog.sql and
// 0007_services.sql (ordering and provisioning are other features), and
// money put in a wallet through the staff adjustment API; and busyCustomer, a
// customer with something on every page for the page walks.
import { signUp } from './harness.mjs';

const DAY = 86400;
let productNo = 0;

/** Unix seconds of midnight UTC of "YYYY-MM-DD". */
export const dayOf = (text) => Date.parse(`${text}T00:00:00Z`) / 1000;
export { DAY };

/** A product with EUR prices {months: minor}; returns its id. */
export function product(server, { prices = { 12: 1000, 24: 1800 }, promotional = false, retired = false,
  name = 'Hosting' } = {}) {
  productNo += 1;
  server.sql(`INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ('cat', 'Hosting', 'Hosting', 0)
    ON CONFLICT (code) DO NOTHING`);
  const code = `p${process.pid}-${productNo}`; // as the catalog API allows: [a-z0-9-]
  server.sql(`INSERT INTO catalog_products (category_id, code, name_en, name_it, auto_renew, promotional, created_at,
    updated_at, retired_at) VALUES ((SELECT id FROM catalog_categories WHERE code = 'cat'), '${code}', '${name}',
    '${name} IT', 1, ${promotional ? 1 : 0}, 0, 0, ${retired ? 5 : 'NULL'})`);
  const id = Number(server.sql(`SELECT id FROM catalog_products WHERE code = '${code}'`));
  for (const [months, minor] of Object.entries(prices)) {
    server.sql(`INSERT INTO catalog_prices (product_id, currency, period_months, price_minor)
      VALUES (${id}, 'EUR', ${months}, ${minor})`);
  }
  return id;
}

/** An active service of org expiring at `expires` (Unix seconds); returns its id. */
export function service(server, org, productId, expires, { autoRenew = false, status = 'active', label = 'example.org',
  months = 12 } = {}) {
  const starts = expires - 365 * DAY;
  return Number(server.sql(`INSERT INTO services (org_id, product_id, status, label, currency, period_months,
    price_minor, auto_renew, created_at, starts_at, expires_at, status_changed_at)
    VALUES (${org}, ${productId}, '${status}', '${label}', 'EUR', ${months}, 1000, ${autoRenew ? 1 : 0}, ${starts},
    ${starts}, ${expires}, ${starts}) RETURNING id`).split('\n')[0]);
}

let keyNo = 0;
/** Credits org's EUR wallet with minor through the staff API. */
export async function credit(server, staff, org, minor) {
  const r = await server.api('POST', `/api/v1/staff/orgs/${org}/adjustments`, {
    token: staff.token, body: { amount: { currency: 'EUR', minor }, reason: 'test credit' },
    headers: { 'Idempotency-Key': `credit-${process.pid}-${++keyNo}` },
  });
  if (r.status !== 201) throw new Error(`credit: ${r.status} ${r.text}`);
}

/** org's EUR balance in minor units through the customer API. */
export async function balance(server, user) {
  const w = await server.api('GET', `/api/v1/orgs/${user.org.id}/wallets`, { token: user.token });
  const eur = w.body.wallets.find((x) => x.currency === 'EUR');
  return eur ? eur.balance.minor : 0;
}

/** A customer with something on every page, for the page walks: a balance, a
 * service due in ten days, a cart line, an open ticket and a default billing
 * address. over: signUp's options, and {subject, description} of the ticket.
 * Returns signUp's {email, password, user, org, token}. */
export async function busyCustomer(server, staff, over = {}) {
  const { subject = 'Walk', description = 'A ticket for the walk.', ...account } = over;
  const u = await signUp(server, account);
  const send = async (method, path, body) => {
    const r = await server.api(method, `/api/v1/orgs/${u.org.id}${path}`, { token: u.token, body });
    if (r.status !== 201) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  };
  await credit(server, staff, u.org.id, 5000);
  const productId = product(server);
  service(server, u.org.id, productId, Math.floor(Date.now() / 1000) + 10 * DAY, { label: 'walk.example' });
  await send('POST', '/cart/items', { product_id: productId, period: 12, currency: 'EUR' });
  await send('POST', '/tickets', { department: 'technical', subject, description });
  await send('POST', '/billing-addresses', { recipient: 'Ada Rossi', street: 'Via Dante 12', postal_code: '20121',
    city: 'Milano', province: 'MI', country: 'IT', default: true });
  return u;
}
