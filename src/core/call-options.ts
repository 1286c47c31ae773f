import { type Check, closestKey, createChecks } from './checks.js';
import { ClientOptionsError } from './errors.js';
import type { CallOptions } from './fetch-with-retry.js';
import { record } from './json.js';
import { retryShape } from './options.js';
import { type RetryOption, resolveRetryPolicy, retryPolicyProblem } from './retry.js';

// Names other SDKs give these options (openai-node, stripe-node), lower-cased without punctuation.
const ALIASES: Readonly<Record<string, string>> = {
  maxretries: 'retry',
  retries: 'retry',
  maxnetworkretries: 'retry',
  timeout: 'timeoutMs',
  abortsignal: 'signal',
  header: 'headers',
  extraheaders: 'headers',
  defaultheaders: 'headers',
};

/**
 * The headers a family's options must not set, lower-cased, with what to give instead: its
 * credential headers (`credentials.<family>`) and Idempotency-Key (a call's `idempotencyKey`).
 * Refused rather than silently overridden, or silently winning over the SDK's own.
 */
export function reservedHeaders(family: string, credentialHeaders: readonly string[]): Map<string, string> {
  const reserved = new Map(credentialHeaders.map((name) => [name.toLowerCase(), `credentials.${family}`]));
  reserved.set('idempotency-key', "a call's idempotencyKey option");
  return reserved;
}

/** One problem per reserved header of `value` (a headers option named `name`). */
export function reservedHeaderProblems(
  value: unknown,
  name: string,
  reserved: ReadonlyMap<string, string>,
): string[] {
  return Object.keys(record(value)).flatMap((header) => {
    const instead = reserved.get(header.toLowerCase());
    return instead ? [`${name}.${header}: expected no ${header} header: give ${instead} instead`] : [];
  });
}

/**
 * Checks a call's options as the client's are checked, at run time (JavaScript callers get no
 * help from the types): unknown keys are refused naming the closest known one, and `retry` is
 * checked as the policy in effect, the call's merged over the client's (`resolveRetryPolicy`, the
 * same function the retrying fetch runs). Throws one ClientOptionsError listing every problem.
 */
export function checkCallOptions(
  call: CallOptions,
  clientRetry: RetryOption,
  reserved: ReadonlyMap<string, string>,
): void {
  const { problems, want, section, int, headers } = createChecks((key, known) =>
    closestKey(key, known, ALIASES),
  );
  section('options', call, {
    signal: (value, name) =>
      want(
        typeof (value as AbortSignal).aborted === 'boolean' &&
          typeof (value as AbortSignal).addEventListener === 'function',
        name,
        'an AbortSignal',
      ),
    timeoutMs: int(1, 600_000),
    idempotencyKey: (value, name) =>
      want(
        typeof value === 'string' && /^[\x20-\x7E]{1,255}$/.test(value),
        name,
        'a string of 1..255 printable ASCII characters',
        value,
      ),
    retry: (value, name) => {
      if (!retryShape(value, name, section, int)) return;
      const problem = retryPolicyProblem(resolveRetryPolicy(clientRetry, value as RetryOption), true);
      if (problem) problems.push(problem);
    },
    headers: (value, name) => {
      headers(value, name);
      problems.push(...reservedHeaderProblems(value, name, reserved));
    },
  } satisfies Record<keyof CallOptions, Check>);
  if (problems.length) throw new ClientOptionsError(problems, 'call options');
}
