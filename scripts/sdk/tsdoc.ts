/**
 * The TSDoc of one generated SDK method: summary, description, `METHOD /path` and family, the
 * credential, each documented error status with the SDK error class it becomes, and an `@example`
 * from the spec's request example. The error classes are computed by running the SDK's own
 * `createApiError` over each documented example body, so the docs cannot disagree with the code.
 */
import { createApiError } from '../../src/core/error-mapping.js';
import type { Family } from '../../src/core/family.js';
import type { MethodSpec } from './operations.js';

/** Text safe inside a `/** ... *\/` comment and for the TSDoc parser. */
export function escapeDoc(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/(^|\s)@(\w)/g, '$1\\@$2')
    .replace(/\{@/g, '\\{@');
}

/** A value as a TypeScript literal on one line: `{ user_id: 123, transfer_type: 'minutes' }`. */
export function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, inner]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: ${literal(inner)}`,
    );
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
}

/** One `@throws` line per (status, class) the documented error responses of `method` become. */
export function throwsLines(method: MethodSpec): string[] {
  const lines: string[] = [];
  for (const error of method.errors) {
    const status = Number(error.status);
    const cases = error.examples.length ? error.examples : [{ summary: '', body: {} }];
    const seen = new Map<string, string[]>();
    for (const example of cases) {
      const made = createApiError(
        method.family.tag as Family,
        method.operationId,
        status,
        example.body,
        new Headers(),
      );
      const key = `${made.name} (\`${made.code}\`)`;
      const said = seen.get(key) ?? [];
      if (example.summary) said.push(example.summary);
      seen.set(key, said);
    }
    for (const [key, summaries] of seen) {
      const [name, code] = key.split(' ');
      // "(decided)" marks, for the spec's readers, a case the public pages do not show; a caller
      // reading the method needs the case, not its provenance.
      const why = (summaries.length ? summaries.join('; ') : error.description).replace(
        /\s*\(decided\)/g,
        '',
      );
      // Text first: TypeScript reads a brace right after the throws tag as a type, which breaks the hover.
      lines.push(
        `@throws HTTP ${status} as {@link ${name}} ${code}: ${escapeDoc(why.replace(/\s+/g, ' ').replace(/\.$/, ''))}.`,
      );
    }
  }
  lines.push(
    '@throws Any other error status as an {@link ApiError}: {@link RateLimitError} for 429 (after the retries), {@link ServerError} for 5xx.',
    '@throws No answer: {@link ConnectionError} or {@link TimeoutError}; {@link AbortError} when `options.signal` fires.',
  );
  return lines;
}

function credentialLine(method: MethodSpec): string {
  const { credentials, family } = method;
  if (!credentials.length) return 'Credential: none.';
  const uses = credentials.map((use) => {
    const env = use.env ? ` (in Node, else \`$${use.env}\`)` : '';
    return `\`credentials.${family.key}.${use.field}\`${env} as \`${use.header}: ${use.prefix}...\``;
  });
  return `Credential: ${uses.join(', else ')}.`;
}

function exampleLines(method: MethodSpec): string[] {
  const call = `client.${method.family.key}.${method.name}`;
  const argument = method.example === undefined ? '' : literal(method.example);
  if (method.exampleCode !== undefined)
    return ['@example', '```ts', ...method.exampleCode.split('\n'), '```'];
  const lines = [`const result = await ${call}(${argument});`];
  if (method.pagination)
    lines.push(
      `for await (const item of ${call}(${argument})) console.log(item); // every item of every page`,
    );
  return ['@example', '```ts', ...lines, '```'];
}

/** The comment lines (without `*` prefixes) of one method. */
export function methodDoc(method: MethodSpec, names: { input: string; result: string }): string[] {
  const what = method.input === 'body' ? 'body' : method.input === 'path' ? 'params' : 'query';
  return [
    escapeDoc(method.summary.replace(/\.?$/, '.')),
    '',
    ...(method.description ? [...escapeDoc(method.description).split('\n'), ''] : []),
    `\`${method.method} ${method.path}\`, family \`${method.family.tag}\`, operation \`${method.operationId}\`. ${credentialLine(method)}`,
    ...(method.pagination
      ? ['', 'A list: the promise also iterates, with `for await`, over every item of every page.']
      : []),
    '',
    ...(method.input === 'none'
      ? []
      : [
          `@param ${what} The request ${what === 'params' ? 'path parameters' : what} ({@link ${names.input}}).`,
        ]),
    "@param options Per-call options, checked at run time: `signal`, `timeoutMs`, `idempotencyKey`, `retry` (merged over the client's), `headers`.",
    `@returns The ${method.family.successEnvelope ? `\`${method.family.successEnvelope}\` of the success body` : 'success body'} ({@link ${names.result}}); \`.withResponse()\` adds the raw Response and its request id.`,
    ...throwsLines(method),
    ...exampleLines(method),
  ];
}

/** `lines` as a doc comment indented by `indent`. */
export function comment(lines: readonly string[], indent = ''): string {
  return `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */`;
}
