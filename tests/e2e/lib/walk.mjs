// walk.mjs - a page walker for page tests over WebClient: follows a site's links
// from some start pages, checks that no link is broken (4xx) or answers a server
// error, hands each HTML page to a callback and collects the POST forms found.
import assert from 'node:assert/strict';

const SKIP_LINK = /^\/(logout|static\/)|\/(logout|sign-out)\b/; // downloads (PDF, XML, CSV) are asked for too

export const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]) : null;
};

/** The POST forms of a page: {action, multipart, fields: [[name, value, editable]]}. */
export function formsOf(html, pagePath) {
  const out = [];
  for (const [, open, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attr(open, 'method') || 'get').toLowerCase() !== 'post') continue;
    const action = attr(open, 'action') || pagePath;
    if (!action.startsWith('/')) continue;
    const fields = [];
    for (const [tag] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(tag, 'name');
      const type = (attr(tag, 'type') || 'text').toLowerCase();
      if (!name || type === 'file' || type === 'submit') continue;
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
      fields.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : ''), type !== 'hidden']);
    }
    for (const [, tag, body] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const first = /<option\b[^>]*value="([^"]*)"/.exec(body);
      if (attr(tag, 'name')) fields.push([attr(tag, 'name'), first ? unescape(first[1]) : '', true]);
    }
    for (const [, tag, body] of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g))
      if (attr(tag, 'name')) fields.push([attr(tag, 'name'), unescape(body), true]);
    out.push({ action: unescape(action), multipart: attr(open, 'enctype') === 'multipart/form-data', fields });
  }
  return out;
}

/** Walks the pages from start by their links (GET, signed in as web is),
 * asserting that none is broken (a 4xx or 5xx); onPage(path, html, headers) sees each HTML
 * page. Returns how many pages and the POST forms found (one per action, those
 * skipForm matches left out). */
export async function walk(web, start, { maxPages = 200, skipForm = /^$/, onPage = () => {} } = {}) {
  const seen = new Set();
  const queue = [...start];
  const forms = new Map();
  const from = new Map();
  while (queue.length && seen.size < maxPages) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await web.get(path);
    assert.ok(r.status < 400, `GET ${path} (a link on ${from.get(path) || 'none: a start'}): ${r.status}`);
    if (r.status !== 200 || !/text\/html/.test(r.headers.get('content-type') || '')) continue;
    onPage(path, r.text, r.headers);
    for (const [, href] of r.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const p = unescape(href);
      if (!SKIP_LINK.test(p) && !seen.has(p)) { queue.push(p); if (!from.has(p)) from.set(p, path); }
    }
    for (const f of formsOf(r.text, path))
      if (!skipForm.test(f.action) && !forms.has(f.action)) forms.set(f.action, f);
  }
  return { pages: seen.size, forms: [...forms.values()] };
}
