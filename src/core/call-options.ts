import { type Check, closestKey, createChecks } from './checks.js';
import { ClientOptionsError } from './errors.js';
import type { CallOptions } from './fetch-with-retry.js';
import { retryShape } from './options.js';
import { type RetryOption, resolveRetryPolicy, retryPolicyProblem } from './retry.js';

// Names other SDKs give these options (openai-node, stripe-node), lower-cased without punctuation.
const ALIASES: Readonly<Record<string, string>> = {
  maxretries: 'retry',
  retries: 'retry',
  maxnetworkretries: 'retry',
  timeout: 'timeoutMs',
  abortsignal: 'signal',
};

/**
 * Checks a call's options as the client's are checked, at run time (JavaScript callers get no
 * help from the types): unknown keys are refused naming the closest known one, and `retry` is
 * checked as the policy in effect, the call's merged over the client's (`resolveRetryPolicy`, the
 * same function the retrying fetch runs). Throws one ClientOptionsError listing every problem.
 */
export function checkCallOptions(call: CallOptions, clientRetry: RetryOption): void {
  const { problems, want, section, int } = createChecks((key, known) => closestKey(key, known, ALIASES));
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
  } satisfies Record<keyof CallOptions, Check>);
  if (problems.length) throw new ClientOptionsError(problems, 'call options');
}
