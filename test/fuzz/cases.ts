import fc from 'fast-check';
import { type OperationId, operations } from '../../generated/operations.js';
import { refusedCredentials } from './credentials.js';
import { invalidValue, type PropertySchema, resolve } from './invalid-values.js';
import { type RawRequest, toJsonText } from './support.js';
import { validRequests } from './valid-requests.js';

/** One fuzz case: the request and what was broken, for the failure message. */
export interface FuzzCase {
  readonly what: string;
  readonly request: RawRequest;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  'application/jsonp',
];
const NOT_OBJECTS = ['[]', '"text"', '42', 'null', 'true', '[{"amount":1}]', '0', '"{}"'];
const MALFORMED = [
  '{',
  '{"a":1,}',
  "{'a':1}",
  '{"amount": NaN}',
  '{"amount": Infinity}',
  '{"amount": 0x10}',
  '\uFEFF{}',
  '{"a":1}}',
  '{"a" 1}',
  'nul',
  '{"a":"\u0001"}',
];
const KNOWN_KEYS_EXTRA = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** In a query string a text like `5` is the number 5: such a text is not a wrong type there. */
function numberInRange(text: string, schema: PropertySchema): boolean {
  if (schema.type !== 'integer' && schema.type !== 'number') return false;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return false;
  const n = Number(text);
  if (schema.type === 'integer' && !Number.isInteger(n)) return false;
  return (
    (schema.minimum === undefined || n >= schema.minimum) &&
    (schema.maximum === undefined || n <= schema.maximum)
  );
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The body text of `entries`, in order, with extra unknown fields after them (never a known key). */
function bodyText(entries: readonly [string, unknown][], extra: readonly [string, unknown][]): string {
  const known = new Set(entries.map(([k]) => k));
  const all = [...entries, ...extra.filter(([k]) => !known.has(k))];
  return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
}

const extraFields = fc.array(
  fc.tuple(
    fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...KNOWN_KEYS_EXTRA)),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  { maxLength: 3 },
);

/** Numbers a double cannot carry exactly: the raw JSON text is refused, never rounded. */
const PAST_DOUBLE = [
  '100.0000000000000001',
  '12345678901234567890',
  '0.2000000000000000001',
  '1e400',
  '-1e400',
];
/** Float artefacts, exact doubles with more decimals than any money field allows. */
const FLOAT_ARTEFACTS = ['0.30000000000000004', '5.000000000000001', '1.0000000000000002'];

/** Every way to break one request of `operation`, as an arbitrary of cases. */
export function fuzzCases(operation: OperationId, creditSendToken: string): fc.Arbitrary<FuzzCase> {
  const spec = operations[operation];
  const valid = validRequests(creditSendToken)[operation];
  const path = spec.path
    .replace('{paymentId}', 'pay_1')
    .replace('{sandboxId}', 'sbx_000000000000')
    // No API key has this id: deleting it is refused and changes nothing.
    .replace('{id}', '999999');
  const request = (what: string, over: Partial<RawRequest>): FuzzCase => {
    const raw: RawRequest = { method: spec.method, path, headers: valid.headers, ...over };
    // fast-check prints counterexamples with this: short, even for 200 kB bodies.
    const shown = `${what} | ${raw.method} ${raw.path} ${JSON.stringify(raw.headers)} ${raw.body?.slice(0, 200) ?? ''}`;
    return Object.assign({ what, request: raw }, { [fc.toStringMethod]: () => shown });
  };
  const kinds: fc.Arbitrary<FuzzCase>[] = [];
  const credentials = refusedCredentials(operation, spec.family, creditSendToken);
  const entries = Object.entries(valid.body ?? {});
  const validText = valid.body ? bodyText(entries, []) : undefined;
  if (credentials)
    kinds.push(
      credentials.map((headers) =>
        request(`credential ${JSON.stringify(headers)}`, {
          headers: { ...(validText ? JSON_TYPE : {}), ...headers },
          ...(validText ? { body: validText } : {}),
        }),
      ),
    );
  const body = resolve(spec.body);
  if (valid.body && validText) {
    const headers = { ...valid.headers, ...JSON_TYPE };
    const properties = Object.entries(body.properties ?? {});
    kinds.push(
      fc.tuple(fc.constantFrom(...properties), extraFields).chain(([[name, schema], extra]) =>
        invalidValue(resolve(schema)).map((value) => {
          const text = bodyText([...entries.filter(([k]) => k !== name), [name, value]], extra);
          return request(`field ${name} = ${toJsonText(value)?.slice(0, 80)}`, { headers, body: text });
        }),
      ),
      fc
        .constantFrom(...NOT_OBJECTS)
        .map((text) => request(`not an object: ${text}`, { headers, body: text })),
      fc
        .oneof(
          fc.constantFrom(...MALFORMED),
          fc.integer({ min: 1, max: validText.length - 1 }).map((n) => validText.slice(0, n)),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        )
        .filter((text) => text.trim() !== '' && !isJson(text))
        .map((text) => request(`malformed JSON: ${text.slice(0, 60)}`, { headers, body: text })),
      fc.constantFrom(...WRONG_TYPES, 'none').map((type) =>
        request(`content type ${type}`, {
          headers: type === 'none' ? valid.headers : { ...valid.headers, 'content-type': type },
          // A byte body makes fetch send no content type of its own.
          body: validText,
          ...(type === 'none' ? { bytes: true } : {}),
        }),
      ),
      fc.tuple(fc.integer({ min: 64 * 1024 + 1, max: 200_000 }), fc.boolean()).map(([size, wide]) =>
        request(`oversize ${size}${wide ? ' (2-byte characters)' : ''}`, {
          headers,
          body: bodyText(entries, [['pad', wide ? 'é'.repeat(Math.ceil(size / 2)) : 'x'.repeat(size)]]),
        }),
      ),
    );
    const numeric = properties.filter(([, schema]) =>
      ['number', 'integer'].includes(String(resolve(schema).type)),
    );
    // A field with a decimal rule (multipleOf) refuses the artefacts too; any numeric field refuses the rest.
    const withDecimals = numeric.filter(([, schema]) => resolve(schema).multipleOf !== undefined);
    const hostileNumbers = [
      ...numeric.flatMap(([name]) => PAST_DOUBLE.map((text) => [name, text] as const)),
      ...withDecimals.flatMap(([name]) => FLOAT_ARTEFACTS.map((text) => [name, text] as const)),
    ];
    if (hostileNumbers.length > 0)
      kinds.push(
        fc.constantFrom(...hostileNumbers).map(([name, text]) =>
          request(`field ${name} = ${text} (raw JSON text)`, {
            headers,
            body: bodyText([...entries.filter(([k]) => k !== name), [name, '\u0000raw']], []).replace(
              JSON.stringify('\u0000raw'),
              text,
            ),
          }),
        ),
      );
    kinds.push(
      fc.integer({ min: 65, max: 30_000 }).map((depth) =>
        request(`a field nested ${depth} arrays deep`, {
          headers: spec.method === 'POST' ? { ...headers, 'idempotency-key': `deep-${depth}` } : headers,
          body: `${validText.slice(0, -1)},"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        }),
      ),
      fc
        .constantFrom('\uFEFF', '\uFEFF\uFEFF')
        .map((bom) => request('a byte order mark before the JSON', { headers, body: `${bom}${validText}` })),
      fc.constantFrom('é', '名前', '💸', '\u0000').chain((text) =>
        fc.constantFrom(...properties).map(([name]) =>
          request(`field ${name} = non-ASCII ${JSON.stringify(text)} in a non-string`, {
            headers,
            body: bodyText([...entries.filter(([k]) => k !== name), [name, { [text]: [text] }]], []),
          }),
        ),
      ),
    );
    const refused = Object.entries(valid.refused ?? {});
    if (refused.length > 0)
      kinds.push(
        fc.tuple(fc.constantFrom(...refused), extraFields).chain(([[name, values], extra]) =>
          values.map((value) =>
            request(`refused ${name} = ${toJsonText(value)}`, {
              headers,
              body: bodyText([...entries.filter(([k]) => k !== name), [name, value]], extra),
            }),
          ),
        ),
      );
    const required = [...(body.required ?? []), ...(valid.alsoRequired ?? [])];
    if (required.length > 0)
      kinds.push(
        fc.tuple(fc.constantFrom(...required), extraFields).map(([name, extra]) =>
          request(`missing ${name}`, {
            headers,
            body: bodyText(
              entries.filter(([k]) => k !== name),
              extra,
            ),
          }),
        ),
      );
    if (spec.method === 'POST' && spec.family !== 'mock-admin')
      kinds.push(
        fc
          .oneof(
            fc.constant(''),
            fc.integer({ min: 256, max: 4000 }).map((n) => 'k'.repeat(n)),
          )
          .map((key) =>
            request(`idempotency key of ${key.length} characters`, {
              headers: { ...headers, 'idempotency-key': key },
              body: validText,
            }),
          ),
      );
  }
  const query = resolve(spec.query);
  const params = Object.entries(query.properties ?? {});
  if (params.length > 0)
    kinds.push(
      fc.constantFrom(...params).chain(([name, schema]) => {
        const s = resolve(schema);
        const free = s.type === 'string' && !s.format && !s.enum;
        const values: fc.Arbitrary<unknown> = free
          ? name === 'cursor'
            ? fc.oneof(fc.constant(''), fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }))
            : fc.constant('')
          : invalidValue(s);
        return values
          .map((value) => (typeof value === 'string' ? value : toJsonText(value)))
          .filter((text) => !numberInRange(text, s))
          .map((text) => {
            const search = new URLSearchParams({ [name]: text });
            return request(`query ${name}=${text.slice(0, 60)}`, { path: `${path}?${search}` });
          });
      }),
    );
  if (spec.path.includes('{paymentId}'))
    kinds.push(
      fc
        .string({ unit: 'binary', minLength: 1, maxLength: 40 })
        .filter((id) => id !== '.' && id !== '..')
        .map((id) =>
          request(`payment ${id}`, { path: spec.path.replace('{paymentId}', encodeURIComponent(id)) }),
        ),
    );
  if (spec.path.includes('{id}'))
    kinds.push(
      fc
        .oneof(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
          fc.constantFrom('0', '-1', '1.5', '1e3', '99999999999999999999'),
        )
        .filter((id) => id !== '.' && id !== '..')
        .map((id) => request(`id ${id}`, { path: spec.path.replace('{id}', encodeURIComponent(id)) })),
    );
  return fc.oneof(...kinds);
}
