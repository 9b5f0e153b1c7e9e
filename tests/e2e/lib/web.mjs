// web.mjs - a minimal browser stand-in for page tests over fetch: a cookie jar,
// GET and form POST without following redirects, and the _csrf of a page.
import http from 'node:http';

export class WebClient {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Applies the response's Set-Cookie headers to the jar; returns them raw. */
  take(res) {
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if (maxAge && Number(maxAge.split('=')[1]) <= 0) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return set;
  }

  async get(path, headers = {}) {
    const res = await fetch(this.base + path, { headers: { Cookie: this.cookieHeader(), ...headers }, redirect: 'manual' });
    const setCookies = this.take(res);
    return { status: res.status, text: await res.text(), headers: res.headers, setCookies };
  }

  /** POSTs fields as a urlencoded form (the page's _csrf is not added: pass it). */
  async post(path, fields, headers = {}) {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { Cookie: this.cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    const setCookies = this.take(res);
    return { status: res.status, text: await res.text(), headers: res.headers, setCookies };
  }

  /** The _csrf value of the form on the page at path (GETs it). */
  async csrf(path = '/login') {
    const page = await this.get(path);
    const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!m) throw new Error(`no _csrf on ${path}: ${page.status}`);
    return m[1];
  }

  /** Signs in through the form; returns the POST's response. */
  async login(email, password) {
    const _csrf = await this.csrf('/login');
    return this.post('/login', { _csrf, email, password });
  }

  /** Signs in to the back office through its form; returns the POST's response. */
  async staffLogin(email, password) {
    const _csrf = await this.csrf('/staff/login');
    return this.post('/staff/login', { _csrf, email, password });
  }
}

/** A raw GET whose path is sent exactly as given (fetch would normalize "..").*/
export function rawGet(base, path) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: body }));
    });
    req.on('error', reject);
    req.end();
  });
}
