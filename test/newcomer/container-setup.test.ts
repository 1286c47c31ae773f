import { describe, expect, it } from 'vitest';
import {
  CLI_OPTIONS,
  ENVIRONMENT_OPTIONS,
  optionsFromEnvironment,
  PRINT_ONLY_OPTIONS,
} from '../../mock/server/cli-env.js';
import { DOCKERD, planDocker } from '../../scripts/pretest-docker.js';

describe('the pretest step: Docker, for the container test', () => {
  const facts = { answers: false, hasDaemon: false, isRoot: true, isDebian: true };

  it('is ready when a daemon answers; as root on Debian installs docker.io and starts it as this machine allows', () => {
    expect(planDocker({ ...facts, answers: true })).toEqual({ kind: 'ready' });
    expect(planDocker({ ...facts, hasDaemon: true })).toEqual({ kind: 'start' });
    const install = planDocker(facts);
    expect(install.kind === 'install-and-start' && install.install.at(-1)).toEqual([
      'apt-get',
      '-o',
      'DPkg::Lock::Timeout=600',
      'install',
      '-y',
      '--no-install-recommends',
      'docker.io',
      'docker-compose',
    ]);
    expect(DOCKERD).toEqual(['dockerd', '--bridge=none', '--iptables=false']);
  });

  it('otherwise stops with the exact command to run', () => {
    const user = planDocker({ ...facts, isRoot: false, hasDaemon: true });
    expect(user.kind === 'missing' && user.message).toContain(
      'sudo dockerd --bridge=none --iptables=false &',
    );
    const debian = planDocker({ ...facts, isRoot: false });
    expect(debian.kind === 'missing' && debian.message).toContain(
      'sudo apt-get install -y docker.io docker-compose',
    );
  });
});

describe('ledgerline-mock options from the environment', () => {
  it('reads each LEDGERLINE_MOCK_ variable as its flag, and a flag on the command line wins', () => {
    const env = {
      LEDGERLINE_MOCK_PORT: '4020',
      LEDGERLINE_MOCK_ADMIN_TOKEN: 't',
      LEDGERLINE_MOCK_LATENCY_MS: '5',
      PATH: '/bin',
    };
    expect(optionsFromEnvironment(env, new Set())).toEqual({
      port: '4020',
      'admin-token': 't',
      latency: '5',
    });
    expect(optionsFromEnvironment(env, new Set(['port']))).toEqual({ 'admin-token': 't', latency: '5' });
  });

  it('has a variable for every option that is a setting (all but --help and --version)', () => {
    const settings = Object.keys(CLI_OPTIONS).filter(
      (option) => !PRINT_ONLY_OPTIONS.includes(option as keyof typeof CLI_OPTIONS),
    );
    expect(Object.values(ENVIRONMENT_OPTIONS).sort()).toEqual(settings.sort());
    expect(Object.keys(ENVIRONMENT_OPTIONS)).toEqual(
      expect.arrayContaining(['LEDGERLINE_MOCK_MAX_KEYS', 'LEDGERLINE_MOCK_MAX_KEYS_PER_CREDENTIAL']),
    );
  });

  it('reads the Idempotency-Key limits and the CORS switch (true/false/1/0) from the environment', () => {
    const env = {
      LEDGERLINE_MOCK_MAX_KEYS: '2000',
      LEDGERLINE_MOCK_MAX_KEYS_PER_CREDENTIAL: '20',
      LEDGERLINE_MOCK_NO_CORS: '1',
    };
    expect(optionsFromEnvironment(env, new Set())).toEqual({
      'max-keys': '2000',
      'max-keys-per-credential': '20',
      'no-cors': true,
    });
    expect(optionsFromEnvironment({ LEDGERLINE_MOCK_NO_CORS: 'false' }, new Set())).toEqual({
      'no-cors': false,
    });
    expect(() => optionsFromEnvironment({ LEDGERLINE_MOCK_NO_CORS: 'yes' }, new Set())).toThrow(
      'LEDGERLINE_MOCK_NO_CORS must be true, false, 1 or 0 (got "yes")',
    );
  });

  it('refuses a variable with the prefix that names no option, naming the closest', () => {
    expect(() => optionsFromEnvironment({ LEDGERLINE_MOCK_STATEFILE: '/data/x' }, new Set())).toThrow(
      'LEDGERLINE_MOCK_STATEFILE is not one ledgerline-mock reads (did you mean LEDGERLINE_MOCK_STATE_FILE?)',
    );
  });
});
