import { closestKey } from '../seed-keys.js';

/**
 * The environment variables `ledgerline-mock` reads, each standing for one command-line option, so a
 * container or a CI service is configured without a command line (and an admin token stays out of
 * the process list). A flag given on the command line wins over its variable.
 */
export const ENVIRONMENT_OPTIONS = {
  LEDGERLINE_MOCK_PORT: 'port',
  LEDGERLINE_MOCK_HOST: 'host',
  LEDGERLINE_MOCK_SEED: 'seed',
  LEDGERLINE_MOCK_STATE_FILE: 'state-file',
  LEDGERLINE_MOCK_STORE: 'store',
  LEDGERLINE_MOCK_ADMIN_TOKEN: 'admin-token',
  LEDGERLINE_MOCK_LATENCY_MS: 'latency',
  LEDGERLINE_MOCK_SHUTDOWN_TIMEOUT_SECONDS: 'shutdown-timeout',
  LEDGERLINE_MOCK_REQUEST_JOURNAL: 'request-journal',
  LEDGERLINE_MOCK_REQUEST_JOURNAL_MB: 'request-journal-mb',
  LEDGERLINE_MOCK_MAX_SANDBOXES: 'max-sandboxes',
  LEDGERLINE_MOCK_SANDBOX_IDLE_SECONDS: 'sandbox-idle-seconds',
  LEDGERLINE_MOCK_LOG: 'log',
} as const;

type OptionName = (typeof ENVIRONMENT_OPTIONS)[keyof typeof ENVIRONMENT_OPTIONS];
const NAMES = Object.keys(ENVIRONMENT_OPTIONS);
const PREFIX = 'LEDGERLINE_MOCK_';

function isKnown(name: string): name is keyof typeof ENVIRONMENT_OPTIONS {
  return Object.hasOwn(ENVIRONMENT_OPTIONS, name);
}

/**
 * The option values the environment sets, for options the command line left out. A variable with
 * the `LEDGERLINE_MOCK_` prefix that names no option is refused (a typo would otherwise be a
 * setting silently not applied), naming the closest known one.
 */
export function optionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  given: ReadonlySet<string>,
): Partial<Record<OptionName, string>> {
  const values: Partial<Record<OptionName, string>> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || value === undefined) continue;
    if (!isKnown(name)) {
      const meant = closestKey(name, NAMES);
      throw new Error(
        `the environment variable ${name} is not one ledgerline-mock reads${meant ? ` (did you mean ${meant}?)` : ''}. Known: ${NAMES.join(', ')}.`,
      );
    }
    const option = ENVIRONMENT_OPTIONS[name];
    if (!given.has(option)) values[option] = value;
  }
  return values;
}
