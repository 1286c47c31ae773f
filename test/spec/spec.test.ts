/**
 * Structural checks of openapi.yaml: the operation table, examples on every response, every example
 * valid against its own schema (Ajv, JSON Schema 2020-12), and the Idempotency-Key on every POST.
 * Each check is a pure function returning problems, so the "can fail" tests below run the same
 * checks on a deliberately broken copy of the spec.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type JsonObject = { [key: string]: unknown };

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const SPEC_ID = 'openapi.json';

const EXPECTED_OPERATIONS = [
  ['white-label', 'get', '/api/white-label/users', 'listWhiteLabelUsers'],
  ['white-label', 'post', '/api/white-label/register', 'registerWhiteLabelUser'],
  ['white-label', 'post', '/api/white-label/token', 'createWhiteLabelToken'],
  ['white-label', 'post', '/api/white-label/login', 'loginWhiteLabelUser'],
  ['white-label', 'post', '/api/white-label/transfer', 'transferWhiteLabelBalance'],
  ['white-label', 'get', '/api/user/me', 'getCurrentUser'],
  ['white-label', 'post', '/api/white-label/logout', 'logoutWhiteLabelUser'],
  ['white-label', 'get', '/api/user/api-keys', 'listUserApiKeys'],
  ['white-label', 'post', '/api/user/api-keys', 'createUserApiKey'],
  ['white-label', 'delete', '/api/user/api-keys/{id}', 'deleteUserApiKey'],
  ['white-label', 'get', '/api/user/calls', 'listUserCalls'],
  ['reseller', 'post', '/api/v1/reseller/credits/calculate', 'calculateCredits'],
  ['reseller', 'post', '/api/v1/reseller/credits/transfer', 'transferCreditsToChild'],
  ['reseller', 'post', '/api/v1/reseller/credits/revert', 'revertCreditsFromChild'],
  ['reseller', 'get', '/api/v1/reseller/organizations', 'listResellerOrganizations'],
  ['reseller', 'post', '/api/v1/reseller/users/add', 'addResellerUser'],
  ['reseller', 'get', '/api/v1/reseller/credits/logs', 'listCreditLogs'],
  ['reseller', 'post', '/api/v1/reseller/concurrency', 'setChildConcurrency'],
  ['credit-send', 'post', '/user/login', 'login'],
  ['credit-send', 'post', '/credits/send', 'sendCredits'],
  ['billing', 'get', '/api/v1/billing/wallet', 'getWallet'],
  ['billing', 'post', '/api/v1/billing/wallet/topup', 'topUpWallet'],
  ['billing', 'put', '/api/v1/billing/wallet/auto-reload', 'setAutoReload'],
  ['billing', 'post', '/api/v1/billing/wallet/credit', 'creditWallet'],
  ['billing', 'get', '/api/v1/billing/usage', 'listUsage'],
  ['billing', 'get', '/api/v1/billing/usage/items', 'listUsageItems'],
  ['billing', 'get', '/api/v1/billing/plans', 'listPlans'],
  ['billing', 'get', '/api/v1/billing/subscription', 'getSubscription'],
  ['billing', 'post', '/api/v1/billing/subscription', 'changeSubscription'],
  ['billing', 'get', '/api/v1/billing/invoices', 'listInvoices'],
  ['mock-admin', 'post', '/_mock/reset', 'mockReset'],
  ['mock-admin', 'get', '/_mock/state', 'mockGetState'],
  ['mock-admin', 'get', '/_mock/journal', 'mockGetJournal'],
  ['mock-admin', 'get', '/_mock/clock', 'mockGetClock'],
  ['mock-admin', 'post', '/_mock/clock', 'mockSetClock'],
  ['mock-admin', 'post', '/_mock/faults', 'mockAddFault'],
  ['mock-admin', 'get', '/_mock/faults', 'mockListFaults'],
  ['mock-admin', 'delete', '/_mock/faults', 'mockClearFaults'],
  ['mock-admin', 'delete', '/_mock/faults/{faultId}', 'mockDeleteFault'],
  ['mock-admin', 'post', '/_mock/billing/usage', 'mockRecordUsage'],
  ['mock-admin', 'post', '/_mock/white-label/calls', 'mockRecordWhiteLabelCall'],
  ['mock-admin', 'post', '/_mock/billing/payments/{paymentId}/settle', 'mockSettlePayment'],
  ['mock-admin', 'post', '/_mock/billing/payments/{paymentId}/fail', 'mockFailPayment'],
  ['mock-admin', 'get', '/_mock/requests', 'mockListRequests'],
  ['mock-admin', 'get', '/_mock/requests/har', 'mockExportRequestsHar'],
  ['mock-admin', 'delete', '/_mock/requests', 'mockClearRequests'],
  ['mock-admin', 'get', '/_mock/invariants', 'mockCheckInvariants'],
  ['mock-admin', 'post', '/_mock/sandboxes', 'mockCreateSandbox'],
  ['mock-admin', 'get', '/_mock/sandboxes', 'mockListSandboxes'],
  ['mock-admin', 'get', '/_mock/sandboxes/{sandboxId}', 'mockGetSandbox'],
  ['mock-admin', 'delete', '/_mock/sandboxes/{sandboxId}', 'mockDeleteSandbox'],
  ['mock-admin', 'get', '/_mock/ui', 'mockInspector'],
] as const;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadSpec(): JsonObject {
  const spec: unknown = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
  if (!isObject(spec)) throw new Error('openapi.yaml does not hold an object');
  return spec;
}

/** One JSON Pointer segment, also percent-encoded so Ajv can read it back from a URI fragment. */
function segment(key: string): string {
  return encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function child(pointer: string, ...keys: string[]): string {
  return keys.reduce((acc, key) => `${acc}/${segment(key)}`, pointer);
}

function nodeAt(spec: JsonObject, pointer: string): unknown {
  let node: unknown = spec;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return node;
}

interface Located {
  readonly node: JsonObject;
  readonly pointer: string;
}

/** Follows a local `$ref` (one level, as openapi.yaml uses them) and says where the node lives. */
function resolve(spec: JsonObject, node: unknown, pointer: string): Located | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node.$ref !== 'string') return { node, pointer };
  const target = node.$ref.replace(/^#/, '');
  const encoded = target
    .split('/')
    .slice(1)
    .map((raw) => segment(raw.replace(/~1/g, '/').replace(/~0/g, '~')))
    .reduce((acc, seg) => `${acc}/${seg}`, '');
  const resolved = nodeAt(spec, encoded);
  return isObject(resolved) ? { node: resolved, pointer: encoded } : undefined;
}

interface Operation {
  readonly method: (typeof METHODS)[number];
  readonly path: string;
  readonly pointer: string;
  readonly node: JsonObject;
  readonly pathItem: Located;
}

function operations(spec: JsonObject): Operation[] {
  const found: Operation[] = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathItem = resolve(spec, rawItem, child('', 'paths', path));
    if (!pathItem) continue;
    for (const method of METHODS) {
      const node = pathItem.node[method];
      if (isObject(node))
        found.push({ method, path, pointer: child(pathItem.pointer, method), node, pathItem });
    }
  }
  return found;
}

function operationParameters(spec: JsonObject, op: Operation): Located[] {
  const located: Located[] = [];
  for (const [owner, pointer] of [
    [op.pathItem.node, op.pathItem.pointer],
    [op.node, op.pointer],
  ] as const) {
    const list = owner.parameters;
    if (!Array.isArray(list)) continue;
    list.forEach((param: unknown, index) => {
      const resolved = resolve(spec, param, child(pointer, 'parameters', String(index)));
      if (resolved) located.push(resolved);
    });
  }
  return located;
}

function responses(spec: JsonObject, op: Operation): [string, Located][] {
  const all = isObject(op.node.responses) ? op.node.responses : {};
  return Object.entries(all).flatMap(([status, raw]): [string, Located][] => {
    const resolved = resolve(spec, raw, child(op.pointer, 'responses', status));
    return resolved ? [[status, resolved]] : [];
  });
}

function mediaTypes(owner: Located): Located[] {
  const content = owner.node.content;
  if (!isObject(content)) return [];
  return Object.entries(content).flatMap(([type, media]) =>
    isObject(media) ? [{ node: media, pointer: child(owner.pointer, 'content', type) }] : [],
  );
}

// ---------------------------------------------------------------------------------------- checks

/** (a) The operation table: exactly the expected operationIds, each at its path and tagged with its family. */
function checkOperationTable(spec: JsonObject): string[] {
  const problems: string[] = [];
  const ops = operations(spec);
  const expected = new Map<string, { tag: string; method: string; path: string }>(
    EXPECTED_OPERATIONS.map(([tag, method, path, id]) => [id, { tag, method, path }]),
  );
  const seen = new Set<string>();
  for (const op of ops) {
    const id = op.node.operationId;
    if (typeof id !== 'string') {
      problems.push(`${op.method.toUpperCase()} ${op.path}: no operationId`);
      continue;
    }
    if (seen.has(id)) problems.push(`${id}: duplicate operationId`);
    seen.add(id);
    const want = expected.get(id);
    if (!want) {
      problems.push(`${id}: unexpected operation`);
      continue;
    }
    if (want.method !== op.method || want.path !== op.path)
      problems.push(`${id}: at ${op.method} ${op.path}, expected ${want.method} ${want.path}`);
    const tags = op.node.tags;
    if (!Array.isArray(tags) || tags.length !== 1 || tags[0] !== want.tag)
      problems.push(`${id}: tags should be [${want.tag}]`);
  }
  for (const id of expected.keys()) if (!seen.has(id)) problems.push(`${id}: missing`);
  return problems;
}

/** (b) Every response of every operation carries content with an example (bodiless 204 excepted). */
function checkResponseExamples(spec: JsonObject): string[] {
  const problems: string[] = [];
  for (const op of operations(spec)) {
    for (const [status, response] of responses(spec, op)) {
      const media = mediaTypes(response);
      const where = `${String(op.node.operationId)} ${status}`;
      if (media.length === 0) {
        if (status !== '204') problems.push(`${where}: no content`);
        continue;
      }
      for (const { node } of media) {
        const hasExamples = isObject(node.examples) && Object.keys(node.examples).length > 0;
        if (node.example === undefined && !hasExamples) problems.push(`${where}: no example`);
      }
    }
  }
  return problems;
}

interface ExampleCase {
  readonly where: string;
  readonly schemaPointer: string;
  readonly value: unknown;
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'] as const;
const SUBSCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'] as const;
const SUBSCHEMA_SINGLES = ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const;

/** Schema-level `example` / `examples` anywhere inside one schema (not following `$ref`). */
function schemaExamples(schema: unknown, pointer: string, out: ExampleCase[]): void {
  if (!isObject(schema)) return;
  if (schema.example !== undefined)
    out.push({ where: pointer, schemaPointer: pointer, value: schema.example });
  if (Array.isArray(schema.examples))
    schema.examples.forEach((value: unknown, i) => {
      out.push({ where: child(pointer, 'examples', String(i)), schemaPointer: pointer, value });
    });
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (isObject(map))
      for (const [name, sub] of Object.entries(map)) schemaExamples(sub, child(pointer, key, name), out);
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list))
      list.forEach((sub: unknown, i) => {
        schemaExamples(sub, child(pointer, key, String(i)), out);
      });
  }
  for (const key of SUBSCHEMA_SINGLES) schemaExamples(schema[key], child(pointer, key), out);
}

/** Examples of a media type, parameter or header object, against its `schema`. */
function objectExamples(spec: JsonObject, owner: Located, out: ExampleCase[]): void {
  const schemaPointer = child(owner.pointer, 'schema');
  if (!isObject(owner.node.schema)) return;
  schemaExamples(owner.node.schema, schemaPointer, out);
  if (owner.node.example !== undefined)
    out.push({ where: child(owner.pointer, 'example'), schemaPointer, value: owner.node.example });
  const examples = owner.node.examples;
  if (!isObject(examples)) return;
  for (const [name, raw] of Object.entries(examples)) {
    const example = resolve(spec, raw, child(owner.pointer, 'examples', name));
    if (example && 'value' in example.node)
      out.push({ where: example.pointer, schemaPointer, value: example.node.value });
  }
}

function collectExamples(spec: JsonObject): ExampleCase[] {
  const out: ExampleCase[] = [];
  const components = isObject(spec.components) ? spec.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  for (const [name, schema] of Object.entries(schemas))
    schemaExamples(schema, child('', 'components', 'schemas', name), out);
  for (const op of operations(spec)) {
    for (const param of operationParameters(spec, op)) objectExamples(spec, param, out);
    const body = resolve(spec, op.node.requestBody, child(op.pointer, 'requestBody'));
    if (body) for (const media of mediaTypes(body)) objectExamples(spec, media, out);
    for (const [, response] of responses(spec, op)) {
      for (const media of mediaTypes(response)) objectExamples(spec, media, out);
      const headers = isObject(response.node.headers) ? response.node.headers : {};
      for (const [name, raw] of Object.entries(headers)) {
        const header = resolve(spec, raw, child(response.pointer, 'headers', name));
        if (header) objectExamples(spec, header, out);
      }
    }
  }
  return out;
}

function createAjv(spec: JsonObject): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 9 });
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
  ajv.addSchema(spec, SPEC_ID);
  return ajv;
}

/** (c) Every example validates against its own schema. */
function checkExamplesValid(spec: JsonObject, cases: readonly ExampleCase[]): string[] {
  const ajv = createAjv(spec);
  const problems: string[] = [];
  for (const { where, schemaPointer, value } of cases) {
    const validate = ajv.compile({ $ref: `${SPEC_ID}#${schemaPointer}` });
    if (!validate(value)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
  }
  return problems;
}

/** (d) Every family POST takes the optional Idempotency-Key and declares Idempotent-Replayed on success. */
function checkIdempotency(spec: JsonObject): string[] {
  const problems: string[] = [];
  for (const op of operations(spec)) {
    const id = String(op.node.operationId);
    const params = operationParameters(spec, op).map((p) => p.node);
    const key = params.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    const isMockAdmin = Array.isArray(op.node.tags) && op.node.tags.includes('mock-admin');
    if (op.method !== 'post' || isMockAdmin) {
      // Only family POSTs honour idempotency keys (docs/decisions.md).
      if (key) problems.push(`${id}: declares Idempotency-Key but is not a family POST`);
      continue;
    }
    const schema = key && isObject(key.schema) ? key.schema : undefined;
    if (
      !key ||
      key.required === true ||
      schema?.type !== 'string' ||
      schema.minLength !== 1 ||
      schema.maxLength !== 255
    )
      problems.push(`${id}: no optional Idempotency-Key header (string 1..255)`);
    for (const [status, response] of responses(spec, op)) {
      if (!status.startsWith('2')) continue;
      const headers = isObject(response.node.headers) ? response.node.headers : {};
      const replayed = resolve(spec, headers['Idempotent-Replayed'], '');
      if (!replayed || replayed.node.required === true)
        problems.push(`${id} ${status}: no optional Idempotent-Replayed header`);
    }
  }
  return problems;
}

// ----------------------------------------------------------------------------------------- tests

describe('openapi.yaml', () => {
  const spec = loadSpec();
  const cases = collectExamples(spec);

  it('is OpenAPI 3.1 with the reference server', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.servers).toEqual([{ url: 'http://localhost:4010', description: 'reference server' }]);
  });

  it('has exactly the 35 operations, each with its operationId and family tag', () => {
    expect(operations(spec)).toHaveLength(EXPECTED_OPERATIONS.length);
    expect(checkOperationTable(spec)).toEqual([]);
  });

  it('gives every response a body with an example', () => {
    expect(checkResponseExamples(spec)).toEqual([]);
  });

  it('has examples that validate against their own schemas', () => {
    expect(cases.length).toBeGreaterThan(150);
    expect(checkExamplesValid(spec, cases)).toEqual([]);
  });

  it('takes an optional Idempotency-Key on every family POST', () => {
    expect(checkIdempotency(spec)).toEqual([]);
  });

  it('carries the seed pages examples verbatim', () => {
    const values = cases.map((c) => c.value);
    const seedExamples: unknown[] = [
      { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 },
      {
        success: true,
        message: 'Credits allocated successfully',
        new_from_balance: 59.813,
        new_to_balance: 14,
      },
      { status: 'OK', data: { your_new_balance: 97, user_new_balance: 2 } },
      {
        error: {
          code: '5_topi_invalidi',
          details: 'This user does not exists or you do not have the permission to use it.',
        },
      },
      {
        error: { code: '5_topi_invalidi', details: "You don't have enough credits to perform this action." },
      },
      { error: 'Insufficient minutes balance.', available_balance: 50.5 },
      { error: 'User has insufficient credits balance.', user_credits_balance: 25 },
      { error: 'You are not a white label admin.' },
      { error: 'User does not belong to your white label platform.' },
      { error: 'User not found.' },
      { enabled: true, thresholdUsd: 20, amountUsd: 50 },
      {
        message: 'Transfer completed successfully.',
        transfer: { type: 'credits', operation: 'add', amount: 500 },
        user: {
          id: 123,
          email: 'user@example.com',
          name: 'John Doe',
          minutes_balance: 0,
          credits_balance: 500,
        },
        your_balance: { minutes: 944.44 },
      },
    ];
    for (const example of seedExamples) expect(values).toContainEqual(example);
  });
});

describe('the checks can fail', () => {
  it('reports an example that does not match its schema', () => {
    const broken = structuredClone(loadSpec());
    const media = nodeAt(
      broken,
      child(
        '',
        'paths',
        '/api/v1/reseller/credits/transfer',
        'post',
        'responses',
        '200',
        'content',
        'application/json',
      ),
    );
    if (!isObject(media) || !isObject(media.example)) throw new Error('transfer 200 example not found');
    media.example.new_from_balance = 'lots';
    const problems = checkExamplesValid(broken, collectExamples(broken));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('new_from_balance');
  });

  it('reports a constraint broken inside a referenced component schema', () => {
    const broken = structuredClone(loadSpec());
    const credits = nodeAt(
      broken,
      child('', 'components', 'schemas', 'CreditSendRequest', 'properties', 'credits'),
    );
    if (!isObject(credits)) throw new Error('CreditSendRequest.credits not found');
    credits.maximum = 1;
    expect(checkExamplesValid(broken, collectExamples(broken))).not.toEqual([]);
  });

  it('reports a POST without Idempotency-Key, a response without example, a missing operation', () => {
    const broken = structuredClone(loadSpec());
    const send = nodeAt(broken, child('', 'paths', '/credits/send', 'post'));
    if (!isObject(send) || !isObject(send.responses)) throw new Error('sendCredits not found');
    send.parameters = [];
    send.responses['501'] = { description: 'no example', content: { 'application/json': { schema: {} } } };
    const paths = broken.paths;
    if (isObject(paths)) delete paths['/user/login'];
    expect(checkIdempotency(broken)).toEqual([
      'sendCredits: no optional Idempotency-Key header (string 1..255)',
    ]);
    expect(checkResponseExamples(broken)).toEqual(['sendCredits 501: no example']);
    expect(checkOperationTable(broken)).toEqual(['login: missing']);
  });
});
