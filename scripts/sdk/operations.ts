/**
 * Reads the SDK methods of openapi.yaml: every operation tagged with a family names its method with
 * `x-ledgerline-sdk-method` (and, for a list, `x-ledgerline-sdk-pagination`); which credential it
 * needs comes from its `security` and the schemes' `x-ledgerline-credential`. Anything missing or
 * malformed stops `npm run generate` with a message that says what to add.
 */
import type { FamilySpec } from './families.js';
import { isObject, type Json, resolveRef } from './spec.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const METHOD_NAME = /^[a-z][A-Za-z0-9]*$/;
const CREDENTIAL_FIELDS = ['apiKey', 'sessionToken', 'token'];

export interface CredentialSpec {
  /** The security scheme's name (`resellerBearer`). */
  readonly scheme: string;
  readonly field: string;
  readonly header: string;
  readonly prefix: string;
  readonly env: string | undefined;
  /** The family's method that obtains this credential from an email and secret, if any. */
  readonly login: string | undefined;
}

export type PaginationSpec =
  | { readonly cursorParam: string; readonly nextCursor: string[]; readonly results: string[] }
  | {
      readonly pageParam: string;
      readonly currentPage: string[];
      readonly totalPages: string[];
      readonly results: string[];
    };

/** One SDK method as read from its operation. */
export interface MethodSpec {
  readonly family: FamilySpec;
  readonly name: string;
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly input: 'body' | 'query' | 'path' | 'none';
  /** Whether the body (or the query) must be given. */
  readonly inputRequired: boolean;
  /** Whether the body's schema is an object type an interface can extend (not a oneOf). */
  readonly bodyIsObject: boolean;
  readonly resultIsObject: boolean;
  /**
   * When the success body is a `oneOf` of named schemas (and the family has no envelope): their
   * names and descriptions, so each becomes an interface the reference can list field by field.
   */
  readonly resultVariants: readonly { name: string; description: string }[];
  readonly credentials: readonly CredentialSpec[];
  readonly pagination: PaginationSpec | undefined;
  /** The request example (body or query), if the spec has one. */
  readonly example: unknown;
  /**
   * `x-ledgerline-sdk-example`: the whole `@example`, for a call that needs a step before it (a key
   * to delete must exist first); otherwise the example is one call with {@link example}.
   */
  readonly exampleCode: string | undefined;
  /** Documented error responses: status -> example bodies (none when the response has no example). */
  readonly errors: readonly {
    status: string;
    description: string;
    examples: { summary: string; body: unknown }[];
  }[];
}

const fail = (message: string): never => {
  throw new Error(`openapi.yaml: ${message}`);
};

/** `$response.data.logs` -> `['data', 'logs']`. */
function expression(where: string, value: unknown, source: '$request' | '$response'): string[] {
  if (typeof value !== 'string' || !value.startsWith(`${source}.`))
    return fail(`${where} must be a string like "${source}.name", got ${JSON.stringify(value)}`);
  return value.slice(source.length + 1).split('.');
}

function readPagination(where: string, value: unknown): PaginationSpec | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail(`${where} must be an object`);
  const results = expression(`${where}.results`, value.results, '$response');
  if ('cursor' in value)
    return {
      cursorParam: expression(`${where}.cursor`, value.cursor, '$request').join('.'),
      nextCursor: expression(`${where}.nextCursor`, value.nextCursor, '$response'),
      results,
    };
  if ('page' in value)
    return {
      pageParam: expression(`${where}.page`, value.page, '$request').join('.'),
      currentPage: expression(`${where}.currentPage`, value.currentPage, '$response'),
      totalPages: expression(`${where}.totalPages`, value.totalPages, '$response'),
      results,
    };
  return fail(`${where} needs either cursor/nextCursor/results or page/currentPage/totalPages/results`);
}

function readCredentials(spec: Json, where: string, security: unknown): CredentialSpec[] {
  if (!Array.isArray(security)) return fail(`${where} has no security list (use \`security: []\` for none)`);
  const schemes =
    isObject(spec.components) && isObject(spec.components.securitySchemes)
      ? spec.components.securitySchemes
      : {};
  return security.flatMap((requirement) => {
    const names = Object.keys(isObject(requirement) ? requirement : {});
    if (names.length > 1)
      return fail(
        `${where}: one security requirement names ${names.join(' and ')}; the SDK sends one credential`,
      );
    return names.map((name) => {
      const scheme = schemes[name];
      if (!isObject(scheme)) return fail(`${where}: unknown security scheme ${name}`);
      const field = scheme['x-ledgerline-credential'];
      if (typeof field !== 'string' || !CREDENTIAL_FIELDS.includes(field))
        return fail(
          `security scheme ${name} needs x-ledgerline-credential: one of ${CREDENTIAL_FIELDS.join(', ')}`,
        );
      const env = scheme['x-ledgerline-credential-env'];
      if (env !== undefined && (typeof env !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(env)))
        return fail(
          `security scheme ${name}: x-ledgerline-credential-env must be an environment variable name`,
        );
      const login = scheme['x-ledgerline-credential-login'];
      if (login !== undefined && (typeof login !== 'string' || !METHOD_NAME.test(login)))
        return fail(`security scheme ${name}: x-ledgerline-credential-login must name an SDK method`);
      if (scheme.type === 'http' && scheme.scheme === 'bearer')
        return { scheme: name, field, header: 'Authorization', prefix: 'Bearer ', env, login };
      if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string')
        return { scheme: name, field, header: scheme.name, prefix: '', env, login };
      return fail(`security scheme ${name}: the SDK sends bearer tokens and header API keys only`);
    });
  });
}

const isObjectSchema = (spec: Json, schema: unknown): boolean => {
  const resolved = resolveRef(spec, schema);
  return !('oneOf' in resolved || 'anyOf' in resolved);
};

/** The named schemas of a `oneOf`/`anyOf` success body, or none. */
function variantsOf(spec: Json, schema: unknown): MethodSpec['resultVariants'] {
  const resolved = resolveRef(spec, schema);
  const options = resolved.oneOf ?? resolved.anyOf;
  if (!Array.isArray(options)) return [];
  const named = options.map((option) => {
    const ref = isObject(option) && typeof option.$ref === 'string' ? option.$ref : '';
    const name = /^#\/components\/schemas\/(\w+)$/.exec(ref)?.[1];
    const description = String(resolveRef(spec, option).description ?? '').trim();
    return name === undefined ? undefined : { name, description };
  });
  return named.every((variant) => variant !== undefined) ? named : [];
}

function successSchema(spec: Json, op: Json): unknown {
  const responses = isObject(op.responses) ? op.responses : {};
  const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status));
  const content = resolveRef(spec, success?.[1]).content;
  const media = isObject(content) ? Object.values(content)[0] : undefined;
  return isObject(media) ? media.schema : undefined;
}

function readErrors(spec: Json, op: Json): MethodSpec['errors'] {
  const responses = isObject(op.responses) ? op.responses : {};
  return Object.entries(responses)
    .filter(([status]) => /^[45]\d\d$/.test(status))
    .map(([status, raw]) => {
      const response = resolveRef(spec, raw);
      const content = isObject(response.content) ? response.content : {};
      const media = resolveRef(spec, Object.values(content)[0]);
      const named = isObject(media.examples)
        ? Object.values(media.examples).map((e) => resolveRef(spec, e))
        : [];
      const examples = [
        ...('example' in media ? [{ summary: '', body: media.example }] : []),
        ...named.map((example) => ({
          summary: typeof example.summary === 'string' ? example.summary : '',
          body: example.value,
        })),
      ];
      return { status, description: String(response.description ?? '').trim(), examples };
    });
}

function requestExample(spec: Json, op: Json, query: Json[]): unknown {
  const body = resolveRef(spec, op.requestBody);
  const media = isObject(body.content) ? resolveRef(spec, body.content['application/json']) : {};
  if ('example' in media) return media.example;
  if (isObject(media.examples)) return resolveRef(spec, Object.values(media.examples)[0]).value;
  const fromParams = query.filter((p) => p.example !== undefined && p.name !== 'cursor');
  return fromParams.length ? Object.fromEntries(fromParams.map((p) => [p.name, p.example])) : undefined;
}

/** The SDK methods of every family, in the order of openapi.yaml. Throws on anything missing. */
export function readMethods(spec: Json, families: readonly FamilySpec[]): MethodSpec[] {
  const byTag = new Map(families.map((family) => [family.tag, family]));
  const methods: MethodSpec[] = [];
  for (const [path, rawItem] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    const item = resolveRef(spec, rawItem);
    for (const httpMethod of HTTP_METHODS) {
      const op = item[httpMethod];
      if (!isObject(op)) continue;
      const id = String(op.operationId);
      const tags = Array.isArray(op.tags) ? op.tags : [];
      const family = tags.map((tag) => byTag.get(String(tag))).find(Boolean);
      if (!family) continue; // the mock control API is no SDK family
      const where = `${httpMethod.toUpperCase()} ${path} (operationId ${id}, tag ${family.tag})`;
      const name = op['x-ledgerline-sdk-method'];
      if (typeof name !== 'string' || !METHOD_NAME.test(name))
        fail(
          `${where} has no valid x-ledgerline-sdk-method: add \`x-ledgerline-sdk-method: <name>\` (camelCase, unique in the family; the method becomes client.${family.key}.<name>), then run \`npm run generate\``,
        );
      if (methods.some((m) => m.family === family && m.name === name))
        fail(`${where}: x-ledgerline-sdk-method ${name} is already used in the ${family.tag} family`);
      if (!path.startsWith(family.pathPrefix))
        fail(`${where}: the path is not below the family's pathPrefix ${family.pathPrefix}`);
      if (typeof op.summary !== 'string' || !op.summary.trim())
        fail(`${where} needs a summary (it heads the method's TSDoc)`);
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ].map((p) => resolveRef(spec, p));
      const query = params.filter((p) => p.in === 'query');
      const pathParams = params.filter((p) => p.in === 'path');
      const body = resolveRef(spec, op.requestBody);
      const bodyMedia = isObject(body.content) ? body.content['application/json'] : undefined;
      if (bodyMedia && query.length)
        fail(`${where}: an operation with both a body and query parameters is not supported`);
      if (pathParams.length && (bodyMedia || query.length))
        fail(`${where}: path parameters with a body or query parameters are not supported`);
      const input = bodyMedia ? 'body' : query.length ? 'query' : pathParams.length ? 'path' : 'none';
      const pagination = readPagination(
        `${where} x-ledgerline-sdk-pagination`,
        op['x-ledgerline-sdk-pagination'],
      );
      if (pagination && input !== 'query') fail(`${where}: a paginated operation needs query parameters`);
      methods.push({
        family,
        name: name as string,
        operationId: id,
        method: httpMethod.toUpperCase(),
        path,
        summary: String(op.summary).trim(),
        description: String(op.description ?? '').trim(),
        input,
        inputRequired:
          input === 'body'
            ? body.required === true
            : input === 'path' || query.some((p) => p.required === true),
        bodyIsObject: bodyMedia ? isObjectSchema(spec, resolveRef(spec, bodyMedia).schema) : true,
        resultIsObject: isObjectSchema(spec, successSchema(spec, op)),
        resultVariants: family.successEnvelope ? [] : variantsOf(spec, successSchema(spec, op)),
        credentials: readCredentials(spec, where, op.security ?? spec.security),
        pagination,
        example: requestExample(spec, op, input === 'path' ? pathParams : query),
        exampleCode:
          typeof op['x-ledgerline-sdk-example'] === 'string'
            ? op['x-ledgerline-sdk-example'].trim()
            : undefined,
        errors: readErrors(spec, op),
      });
    }
  }
  for (const family of families) {
    const own = methods.filter((m) => m.family === family);
    if (!own.length) fail(`the ${family.tag} family has no operation`);
    for (const use of own.flatMap((m) => m.credentials))
      if (use.login && !own.some((m) => m.name === use.login))
        fail(
          `x-ledgerline-credential-login names ${use.login}, which is no method of the ${family.tag} family`,
        );
  }
  return methods;
}
