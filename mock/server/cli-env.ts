import { closestKey } from '../seed-keys.js';

/** The command-line options of `ledgerline-mock`, as `node:util` parseArgs takes them. */
export const CLI_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  'state-file': { type: 'string' },
  store: { type: 'string' },
  'admin-token': { type: 'string' },
  latency: { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  'no-cors': { type: 'boolean' },
  'request-journal': { type: 'string' },
  'request-journal-mb': { type: 'string' },
  'max-sandboxes': { type: 'string' },
  'max-keys': { type: 'string' },
  'max-keys-per-credential': { type: 'string' },
  'sandbox-idle-seconds': { type: 'string' },
  'sandbox-creation': { type: 'string' },
  log: { type: 'string' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CliOption = keyof typeof CLI_OPTIONS;
/** The options that only print something (help, version): no setting, so no variable. */
export const PRINT_ONLY_OPTIONS: readonly CliOption[] = ['help', 'version'];

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
  LEDGERLINE_MOCK_NO_CORS: 'no-cors',
  LEDGERLINE_MOCK_REQUEST_JOURNAL: 'request-journal',
  LEDGERLINE_MOCK_REQUEST_JOURNAL_MB: 'request-journal-mb',
  LEDGERLINE_MOCK_MAX_SANDBOXES: 'max-sandboxes',
  LEDGERLINE_MOCK_MAX_KEYS: 'max-keys',
  LEDGERLINE_MOCK_MAX_KEYS_PER_CREDENTIAL: 'max-keys-per-credential',
  LEDGERLINE_MOCK_SANDBOX_IDLE_SECONDS: 'sandbox-idle-seconds',
  LEDGERLINE_MOCK_SANDBOX_CREATION: 'sandbox-creation',
  LEDGERLINE_MOCK_LOG: 'log',
} as const satisfies Record<string, CliOption>;

type OptionName = (typeof ENVIRONMENT_OPTIONS)[keyof typeof ENVIRONMENT_OPTIONS];
/** Each option's value as parseArgs gives it: a string, or true/false for a switch like --no-cors. */
export type EnvironmentValues = {
  [K in OptionName]?: (typeof CLI_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};
const NAMES = Object.keys(ENVIRONMENT_OPTIONS);
const PREFIX = 'LEDGERLINE_MOCK_';
/** A switch's variable says true or false in one of these spellings; anything else is refused. */
const SWITCH_VALUES: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

function isKnown(name: string): name is keyof typeof ENVIRONMENT_OPTIONS {
  return Object.hasOwn(ENVIRONMENT_OPTIONS, name);
}

/**
 * The option values the environment sets, for options the command line left out. A variable with
 * the `LEDGERLINE_MOCK_` prefix that names no option is refused (a typo would otherwise be a
 * setting silently not applied), naming the closest known one; so is a switch's variable that is
 * not true/false/1/0 (`LEDGERLINE_MOCK_NO_CORS=yes` would otherwise read as some guess).
 */
export function optionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  given: ReadonlySet<string>,
): EnvironmentValues {
  const values: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || value === undefined) continue;
    if (!isKnown(name)) {
      const meant = closestKey(name, NAMES);
      throw new Error(
        `the environment variable ${name} is not one ledgerline-mock reads${meant ? ` (did you mean ${meant}?)` : ''}. Known: ${NAMES.join(', ')}.`,
      );
    }
    const option = ENVIRONMENT_OPTIONS[name];
    if (given.has(option)) continue;
    if (CLI_OPTIONS[option].type === 'boolean') {
      const on = SWITCH_VALUES[value.trim().toLowerCase()];
      if (on === undefined)
        throw new Error(`the environment variable ${name} must be true, false, 1 or 0 (got "${value}").`);
      values[option] = on;
    } else values[option] = value;
  }
  return values as EnvironmentValues;
}
