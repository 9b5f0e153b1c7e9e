// schema.mjs - checks JSON values against the schemas of docs/openapi.json, so the
// end-to-end tests can hold real answers to the document. A small JSON Schema
// subset, enough for our schemas: $ref (local), type, enum, const, required,
// properties, additionalProperties, items, minItems, maxItems, minimum, maximum, minLength,
// maxLength, pattern, oneOf, anyOf, allOf. A keyword it does not know is an
// error rather than silently passing.

const ANNOTATIONS = new Set(['description', 'title', 'summary', 'format', 'examples', 'default', 'deprecated',
  'readOnly', 'writeOnly']);
const KEYWORDS = new Set(['$ref', 'type', 'enum', 'const', 'required', 'properties', 'additionalProperties',
  'items', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'oneOf', 'anyOf', 'allOf']);

/** Follows a local JSON pointer ("#/components/schemas/Money") in doc. */
export function resolvePointer(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref are supported: ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`$ref ${ref} does not resolve`);
    node = node[key];
  }
  return node;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

function typeMatches(want, v) {
  const got = typeOf(v);
  return want === got || (want === 'number' && got === 'integer');
}

const deepEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function checkObject(schema, v, doc, at, errors) {
  for (const k of schema.required || []) {
    if (!(k in v)) errors.push(`${at}: missing required property ${k}`);
  }
  const props = schema.properties || {};
  for (const [k, val] of Object.entries(v)) {
    if (k in props) check(props[k], val, doc, `${at}.${k}`, errors);
    else if (schema.additionalProperties === false) errors.push(`${at}: property ${k} is not in the schema`);
    else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties, val, doc, `${at}.${k}`, errors);
  }
}

function checkScalar(schema, v, at, errors) {
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) errors.push(`${at}: ${v} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && v > schema.maximum) errors.push(`${at}: ${v} is above ${schema.maximum}`);
  }
  if (typeof v === 'string') {
    const n = [...v].length;
    if (schema.minLength !== undefined && n < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && n > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) {
      errors.push(`${at}: ${JSON.stringify(v)} does not match ${schema.pattern}`);
    }
  }
}

function checkAlternatives(schema, v, doc, at, errors) {
  const passes = (s) => check(s, v, doc, at, []).length === 0;
  if (schema.allOf) for (const s of schema.allOf) check(s, v, doc, at, errors);
  if (schema.anyOf && !schema.anyOf.some(passes)) errors.push(`${at}: matches none of anyOf`);
  if (schema.oneOf) {
    const n = schema.oneOf.filter(passes).length;
    if (n !== 1) errors.push(`${at}: matches ${n} of oneOf, not exactly one`);
  }
}

/** Appends to errors what is wrong with v under schema; returns errors. */
export function check(schema, v, doc, at = '$', errors = []) {
  if (schema === true) return errors;
  for (const k of Object.keys(schema)) {
    if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`schema keyword ${k} at ${at} is not supported`);
  }
  if (schema.$ref) check(resolvePointer(doc, schema.$ref), v, doc, at, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, v))) {
      errors.push(`${at}: ${typeOf(v)} where ${types.join(' or ')} is expected`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, v))) errors.push(`${at}: ${JSON.stringify(v)} is not one of the enum`);
  if ('const' in schema && !deepEqual(schema.const, v)) errors.push(`${at}: ${JSON.stringify(v)} is not the const`);
  checkAlternatives(schema, v, doc, at, errors);
  if (typeOf(v) === 'object') checkObject(schema, v, doc, at, errors);
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => check(schema.items, x, doc, `${at}[${i}]`, errors));
  if (Array.isArray(v) && schema.minItems !== undefined && v.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
  if (Array.isArray(v) && schema.maxItems !== undefined && v.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
  checkScalar(schema, v, at, errors);
  return errors;
}

/** The documented answer of an operation for a status: {response, schema}
 * (schema undefined when the answer has no JSON body); throws when the
 * operation or the status is not in the document. */
export function documentedResponse(doc, method, template, status) {
  const op = doc.paths?.[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${template} is not in the document`);
  let response = op.responses?.[String(status)];
  if (!response) throw new Error(`${method} ${template} does not document status ${status}`);
  if (response.$ref) response = resolvePointer(doc, response.$ref);
  return { response, schema: response.content?.['application/json']?.schema };
}

/** A good value of each required query parameter the document has, for tests
 * that ask every route: the report's month, year and quarter, a currency, an amount. */
export const GOOD_QUERY = { month: '2026-01', year: '2026', quarter: '2026-Q1', currency: 'EUR', amount: '10.00' };

/** Asserts that one real answer {status, body, text} is documented and fits its schema. */
export function assertAnswer(doc, method, template, answer) {
  const errors = checkAnswer(doc, method, template, answer);
  if (errors.length) throw new Error(`${method} ${template} ${answer.status} does not fit the document:\n${errors.join('\n')}\n${answer.text ?? ''}`);
}

/** Checks one real answer {status, body} against the document; returns the errors. */
export function checkAnswer(doc, method, template, answer) {
  const { schema } = documentedResponse(doc, method, template, answer.status);
  if (!schema) return answer.body === null ? [] : [`${method} ${template} ${answer.status}: a body where none is documented`];
  return check(schema, answer.body, doc, `${method} ${template} ${answer.status}`);
}
