// page_checks.mjs - what every page of saldo must be, as functions a page walk
// (walk.mjs) calls on each page: in one language only, usable with a screen
// reader, and within the rules the browser enforces. Each returns messages
// naming the page and the problem; none means the page passes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { UNRENDERED } from './harness.mjs';
import { unescape } from './walk.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** po/it.po as [[msgid, msgstr]] (continuation lines joined, escapes read). */
function catalog() {
  const entries = [];
  let cur = null;
  let key = null;
  const str = (line) => JSON.parse(line.slice(line.indexOf('"')));
  for (const line of fs.readFileSync(path.join(root, 'po/it.po'), 'utf8').split('\n')) {
    if (line.startsWith('msgid ')) { cur = { id: str(line), str: '' }; key = 'id'; entries.push(cur); }
    else if (line.startsWith('msgstr ')) { cur.str = str(line); key = 'str'; }
    else if (line.startsWith('"') && cur) cur[key] += str(line);
  }
  return entries.filter((e) => e.id).map((e) => [e.id, e.str]);
}

/** The pieces of one language worth looking for in the other's pages: the
 * literal runs of a message (its English, or its Italian when italian) between
 * its placeholders, 16 characters or more with a space, that the other does not
 * contain. */
function pieces(italian) {
  const out = new Set();
  for (const [id, it] of catalog()) {
    if (!it || it === id) continue;
    const [mine, other] = italian ? [it, id] : [id, it];
    for (const run of mine.split(/%[-0-9.]*[a-z]+|\{\{\{?[^}]*\}?\}\}|\n/)) {
      const piece = run.trim();
      if (piece.length >= 16 && piece.includes(' ') && !other.includes(piece)) out.add(piece);
    }
  }
  return [...out];
}

/** A page's visible text: no tags, scripts or styles; entities read; spaces folded. */
export const textOf = (html) => unescape(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' '))
  .replace(/\s+/g, ' ');

/** A check of pages asked in lang: the pieces of the other language's messages
 * (Italian ones when lang is "en", English ones when "it") found in a page. */
export function otherLanguage(lang) {
  const wrong = pieces(lang === 'en');
  if (wrong.length < 300) throw new Error(`only ${wrong.length} pieces to look for: is po/it.po read?`);
  return (p, html) => {
    const text = textOf(html);
    return wrong.filter((piece) => text.includes(piece)).map((piece) => `${p}: ${piece}`);
  };
}

const attr = (tag, name) => (new RegExp(`\\s${name}="([^"]*)"`).exec(tag) || [])[1];

/** What page p (HTML) lacks for a screen reader, as messages; lang is the
 * language it was asked in. */
export function accessibility(p, html, lang) {
  const out = [];
  const htmlLang = attr(/<html\b[^>]*>/.exec(html)?.[0] || '', 'lang');
  if (htmlLang !== lang) out.push(`${p}: <html lang="${htmlLang}">, asked in ${lang}`);
  const title = /<title>([^<]*)<\/title>/.exec(html);
  if (!title || !title[1].trim()) out.push(`${p}: no <title>`);
  const h1 = (html.match(/<h1\b/g) || []).length;
  if (h1 !== 1) out.push(`${p}: ${h1} <h1>`);
  const labelled = new Set([...html.matchAll(/<label\b[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]));
  const wrapping = [...html.matchAll(/<label\b[\s\S]*?<\/label>/g)].map((m) => [m.index, m.index + m[0].length]);
  for (const m of html.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    const [tag, kind] = m;
    const type = (attr(tag, 'type') || 'text').toLowerCase();
    if (kind === 'input' && ['hidden', 'submit', 'button', 'image', 'reset'].includes(type)) continue;
    const id = attr(tag, 'id');
    const inLabel = wrapping.some(([a, b]) => m.index > a && m.index < b);
    if (!(id && labelled.has(id)) && !inLabel && !attr(tag, 'aria-label') && !attr(tag, 'aria-labelledby'))
      out.push(`${p}: <${kind} name="${attr(tag, 'name')}"> has no label`);
  }
  for (const [tag] of html.matchAll(/<img\b[^>]*>/g))
    if (attr(tag, 'alt') === undefined) out.push(`${p}: <img src="${attr(tag, 'src')}"> has no alt`);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of new Set(ids.filter((x, i) => ids.indexOf(x) !== i))) out.push(`${p}: id "${id}" twice`);
  return out;
}

/** What page p breaks of the rules the browser enforces for it: the security
 * headers and no-store, a CSRF token in each POST form, nothing inline that the
 * Content-Security-Policy would silently block (scripts, event handlers, style
 * attributes), no placeholder, (null), undefined or NaN in the text. */
export function browserRules(p, html, headers) {
  const out = [];
  const csp = headers.get('content-security-policy') || '';
  if (!/frame-ancestors 'none'/.test(csp) || !/script-src 'self'/.test(csp)) out.push(`${p}: CSP ${csp}`);
  for (const [name, value] of [['x-frame-options', 'DENY'], ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'same-origin'], ['cache-control', 'no-store']])
    if (headers.get(name) !== value) out.push(`${p}: ${name} ${headers.get(name)}`);
  for (const [, open, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g))
    if (/method="post"/i.test(open) && !/name="_csrf" value="[^"]+"/.test(inner)) out.push(`${p}: a form without _csrf: ${open}`);
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) if (!/\ssrc="/.test(tag)) out.push(`${p}: inline script`);
  for (const [attr] of html.matchAll(/<[a-z][^>]*\s(on[a-z]+|style)="/g)) out.push(`${p}: inline ${attr.split(/\s/).pop()}`);
  const shown = html.replace(/<[^>]+>/g, ' ');
  const unrendered = UNRENDERED.exec(shown);
  if (unrendered) out.push(`${p}: "${unrendered[0]}" in the text`);
  return out;
}

/** What a form shown again with errors (422) lacks: each message next to a field
 * (id="NAME-error") named by that field's aria-describedby, so a screen reader
 * reads it with the field. */
export function errorsLinked(p, html) {
  const described = new Set([...html.matchAll(/\saria-describedby="([^"]+)"/g)].flatMap((m) => m[1].split(/\s+/)));
  return [...html.matchAll(/\sid="([^"]+-error)"/g)].map((m) => m[1]).filter((id) => !described.has(id))
    .map((id) => `${p}: #${id} is not any field's aria-describedby`);
}
