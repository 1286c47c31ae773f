/**
 * Renders `generated/sdk/<family tag>.ts` (one family's client: its types, interface, method table
 * and factory) and `generated/sdk/index.ts` (every family, for `createClient`). The runtime they
 * call lives in `src/core/` and is hand-written; a family's error reader is
 * `src/core/error-bodies/<family tag>.ts`, exporting `read<FamilyName>Error`.
 */
import type { FamilySpec } from './families.js';
import type { MethodSpec } from './operations.js';
import { comment, escapeDoc, literal, methodDoc } from './tsdoc.js';

const pascal = (name: string) => name[0]?.toUpperCase() + name.slice(1);
const constant = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** The exported names of one family's generated module. */
export const familyNames = (family: FamilySpec) => ({
  client: `${pascal(family.key)}Client`,
  factory: `create${pascal(family.key)}Client`,
  bind: `bind${pascal(family.key)}Client`,
  definition: `${constant(family.key)}_FAMILY`,
  reader: `read${pascal(family.key)}Error`,
});

function methodTypes(method: MethodSpec) {
  const base = `${pascal(method.family.key)}${pascal(method.name)}`;
  return {
    body: `${base}Body`,
    query: `${base}Query`,
    params: `${base}Params`,
    result: `${base}Result`,
    item: `${base}Item`,
  };
}

/** An interface that extends `type` (TypeDoc then lists its members), or an alias for a union. */
function declare(name: string, type: string, isObject: boolean, doc: string[]): string {
  return `${comment([...doc, '@expand'])}\n${
    isObject ? `export interface ${name} extends ${type} {}` : `export type ${name} = ${type};`
  }\n`;
}

function renderTypes(method: MethodSpec): string {
  const types = methodTypes(method);
  const id = `'${method.operationId}'`;
  const where = `\`${method.method} ${method.path}\``;
  const owner = `{@link ${familyNames(method.family).client}.${method.name}}`;
  const out: string[] = [];
  if (method.input === 'body')
    out.push(
      declare(types.body, `RequestBody<${id}>`, method.bodyIsObject, [
        `The JSON body of ${owner} (${where}).`,
      ]),
    );
  if (method.input === 'query')
    out.push(declare(types.query, `QueryOf<${id}>`, true, [`The query parameters of ${owner} (${where}).`]));
  if (method.input === 'path')
    out.push(declare(types.params, `PathOf<${id}>`, true, [`The path parameters of ${owner} (${where}).`]));
  const envelope = method.family.successEnvelope;
  // A union of named schemas: one interface per shape, so the reference lists each one's fields.
  for (const variant of method.resultVariants)
    out.push(
      declare(variant.name, `SchemaOf<'${variant.name}'>`, true, [
        `One shape ${owner} resolves to${variant.description ? `: ${escapeDoc(variant.description.replace(/\.$/, ''))}` : ''}.`,
      ]),
    );
  const union = method.resultVariants.map((variant) => variant.name).join(' | ');
  out.push(
    declare(
      types.result,
      union || (envelope ? `SuccessData<${id}, '${envelope}'>` : `SuccessBody<${id}>`),
      method.resultIsObject,
      [`What ${owner} resolves to${envelope ? `: the \`${envelope}\` of the success body` : ''}.`],
    ),
  );
  if (method.pagination)
    out.push(
      declare(types.item, `ItemAt<${types.result}, ${literal(method.pagination.results)}>`, true, [
        `One item of the pages of ${owner}.`,
      ]),
    );
  return out.join('\n');
}

function signature(method: MethodSpec): string {
  const types = methodTypes(method);
  const optional = method.inputRequired ? '' : '?';
  const input =
    method.input === 'body'
      ? `body${optional}: ${types.body}, `
      : method.input === 'query'
        ? `query${optional}: ${types.query}, `
        : method.input === 'path'
          ? `params: ${types.params}, `
          : '';
  const returned = method.pagination
    ? `PagePromise<${types.result}, ${types.item}>`
    : `ApiPromise<${types.result}>`;
  return `${method.name}(${input}options?: RequestOptions): ${returned}`;
}

function binding(method: MethodSpec): string {
  const types = methodTypes(method);
  const operation = `OPERATIONS.${method.name}`;
  if (method.pagination)
    return `    ${method.name}: (query, options) => listPages<${types.result}, ${types.item}>(runtime, ${operation}, query, options),`;
  const input = method.input === 'none' ? '' : method.input === 'path' ? 'params' : method.input;
  return `    ${method.name}: (${input ? `${input}, ` : ''}options) => runtime.call<${types.result}>(${operation}, ${input || 'undefined'}, options),`;
}

function operationEntry(method: MethodSpec): string {
  const fields: Record<string, unknown> = {
    operationId: method.operationId,
    method: method.method,
    path: method.path,
    input: method.input,
  };
  if (method.pagination) fields.pagination = method.pagination;
  // The credentials are the family's scheme constants (see `schemeConstants`), by name.
  const credentials = `credentials: [${method.credentials.map((use) => constant(use.scheme)).join(', ')}]`;
  return `  ${method.name}: ${literal(fields).replace(/ }$/, `, ${credentials} }`)},`;
}

/** One constant per security scheme the family uses: how its credential is sent. */
function schemeConstants(methods: readonly MethodSpec[]): string {
  const schemes = new Map(methods.flatMap((method) => method.credentials).map((use) => [use.scheme, use]));
  return [...schemes.values()]
    .map(
      ({ scheme, field, header, prefix }) =>
        `/** Security scheme \`${scheme}\`. */\nconst ${constant(scheme)}: CredentialUse = ${literal({ field, header, prefix })};`,
    )
    .join('\n');
}

/** `generated/sdk/<tag>.ts` without its banner. */
export function renderFamilyClient(family: FamilySpec, methods: readonly MethodSpec[]): string {
  const names = familyNames(family);
  const environment = Object.fromEntries(
    methods.flatMap((m) => m.credentials).flatMap((use) => (use.env ? [[use.field, use.env]] : [])),
  );
  const envLine = Object.entries(environment)
    .map(([field, env]) => `\`credentials.${family.key}.${field}\` from \`$${env}\``)
    .join(', ');
  const intro = escapeDoc(family.description).split('\n');
  const paged = methods.some((method) => method.pagination);
  const login = methods.flatMap((m) => m.credentials).find((use) => use.login);
  return `
import type { ApiPromise${paged ? ', PagePromise' : ''} } from '../../src/core/api-promise.js';
import { ${names.reader} } from '../../src/core/error-bodies/${family.tag}.js';
import { createFamilyRuntime, type FamilyRuntime } from '../../src/core/family-runtime.js';
${login ? "import { createLoginSession } from '../../src/core/login-session.js';\n" : ''}import type { CredentialUse, FamilyDefinition, OperationDefinition } from '../../src/core/operation.js';
import { type ClientOptions, normalizeClientOptions } from '../../src/core/options.js';
${paged ? "import { listPages } from '../../src/core/pagination.js';\n" : ''}import type { ${[paged && 'ItemAt', methods.some((m) => m.input === 'path') && 'PathOf', methods.some((m) => m.input === 'query') && 'QueryOf', methods.some((m) => m.input === 'body') && 'RequestBody', 'RequestOptions', methods.some((m) => m.resultVariants.length) && 'SchemaOf', !family.successEnvelope && 'SuccessBody', family.successEnvelope && 'SuccessData'].filter(Boolean).join(', ')} } from '../../src/types.js';

${methods.map(renderTypes).join('\n')}
${comment([
  ...intro,
  '',
  `The \`${family.tag}\` family's methods: \`client.${family.key}\` of {@link createClient}, or alone from {@link ${names.factory}}.`,
])}
export interface ${names.client} {
${methods.map((m) => `${comment(methodDoc(m, { input: m.input === 'body' ? methodTypes(m).body : m.input === 'path' ? methodTypes(m).params : methodTypes(m).query, result: methodTypes(m).result }), '  ')}\n  ${signature(m)};`).join('\n\n')}
}

${schemeConstants(methods)}

/** How each method is sent, read from openapi.yaml. */
const OPERATIONS = {
${methods.map(operationEntry).join('\n')}
} as const satisfies Record<string, OperationDefinition>;

/**
 * The \`${family.tag}\` family as the runtime needs it.
 * @internal
 */
export const ${names.definition}: FamilyDefinition = {
  key: '${family.key}',
  tag: '${family.tag}',
  successEnvelope: ${family.successEnvelope ? `'${family.successEnvelope}'` : 'undefined'},
  environment: ${literal(environment)},
${login ? `  login: { field: '${login.field}', method: '${login.login}', createSession: createLoginSession },\n` : ''}  readError: ${names.reader},
  operations: OPERATIONS,
};

/**
 * The methods of {@link ${names.client}} over one family runtime.
 * @internal
 */
export function ${names.bind}(runtime: FamilyRuntime): ${names.client} {
  return {
${methods.map(binding).join('\n')}
  };
}

${comment([
  `Creates the \`${family.tag}\` client alone: an app that imports only this factory bundles only this family.`,
  `Same options as {@link createClient} (only \`credentials.${family.key}\` and \`baseUrls.${family.key}\` matter here); they are validated at once.`,
  ...(envLine ? [`In Node, ${envLine} when the options give no credential.`] : []),
  '@param options Base URL(s), credentials, retry policy, timeout, fetch, middleware; all optional.',
  `@returns The {@link ${names.client}}; without a base URL it calls the documented host ${family.origin}.`,
  '@throws A {@link ClientOptionsError} when an option is invalid, listing every problem.',
  '@example',
  '```ts',
  `const ${family.key} = ${names.factory}({ baseUrl: 'http://localhost:4010' });`,
  '```',
])}
export function ${names.factory}(options: ClientOptions = {}): ${names.client} {
  return ${names.bind}(createFamilyRuntime(${names.definition}, normalizeClientOptions(options)));
}
`;
}

/** `generated/sdk/index.ts` without its banner. */
export function renderFamilyIndex(families: readonly FamilySpec[]): string {
  const imports = families
    .map((family) => {
      const names = familyNames(family);
      return `import { ${names.bind}, ${names.definition}, type ${names.client} } from './${family.tag}.js';`;
    })
    .join('\n');
  return `
import type { FamilyRuntime } from '../../src/core/family-runtime.js';
import type { FamilyDefinition } from '../../src/core/operation.js';
${imports}

${families.map((family) => `export * from './${family.tag}.js';`).join('\n')}

/** One client per family, as {@link createClient} returns them. */
export interface FamilyClients {
${families.map((family) => `  /** {@link ${familyNames(family).client}} */\n  readonly ${family.key}: ${familyNames(family).client};`).join('\n')}
}

/**
 * Every family's methods, each over the runtime \`runtimeOf\` makes for it.
 * @internal
 */
export function bindFamilyClients(runtimeOf: (definition: FamilyDefinition) => FamilyRuntime): FamilyClients {
  return {
${families.map((family) => `    ${family.key}: ${familyNames(family).bind}(runtimeOf(${familyNames(family).definition})),`).join('\n')}
  };
}
`;
}
