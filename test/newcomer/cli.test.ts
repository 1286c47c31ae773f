import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { freePort, runCli, startCli, tempFile, until } from './cli-run.js';

const run = promisify(execFile);

const QA_SEED = {
  whiteLabel: {
    platforms: [
      {
        adminKey: 'wl_admin_qa',
        minutes: 1000,
        users: [{ id: 7, email: 'qa@example.com', name: 'QA User', minutes: 0, credits: 0 }],
      },
    ],
  },
  reseller: {
    resellers: [
      {
        apiKey: 'rs_qa',
        organizationId: 801,
        name: 'QA Reseller',
        balance: 100,
        resellerRate: 0.1,
        children: [{ organizationId: 802, name: 'Child', balance: 0, costPerMin: 0.3 }],
      },
    ],
  },
  creditSend: {
    organizations: [
      {
        id: 1,
        users: [
          { id: 31, email: 'qa1@example.com', secret: 'qa-one', credits: 10 },
          { id: 32, email: 'qa2@example.com', secret: 'qa-two', credits: 0 },
        ],
      },
    ],
  },
  billing: {
    organizations: [
      {
        id: 'org_qa',
        credits: 5000,
        planId: null,
        apiKeys: [{ key: 'flowyte_sk_test_qa', scopes: ['billing:read'] }],
        sessions: [],
        settlement: 'immediate',
      },
    ],
  },
};

/** The banner's "Try:" block, run by bash with every curl made to fail on an HTTP error. */
async function runTryBlock(banner: string): Promise<string> {
  const block = /Try:\n((?: {2}.*\n)+)/.exec(banner)?.[1] ?? '';
  const script = `set -euo pipefail\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n${block}`;
  return (await run('bash', ['-c', script], { timeout: 20_000 })).stdout;
}

describe('ledgerline-mock start-up', () => {
  it('with --seed prints that seed credentials and a curl per family that works as printed', async () => {
    const seed = await tempFile('qa-seed.json', JSON.stringify(QA_SEED));
    const cli = await startCli(['--port', '0', '--seed', seed]);
    await until(() => cli.stdout().includes('Inspect:'));
    const banner = cli.stdout();
    expect(banner).toContain(`Credentials (${seed}):`);
    for (const credential of ['wl_admin_qa', 'rs_qa', 'qa1@example.com / qa-one', 'flowyte_sk_test_qa'])
      expect(banner).toContain(credential);
    expect(banner).not.toContain('demo');
    const output = await runTryBlock(banner);
    expect(output).toContain('"new_to_balance":6'); // 20 minutes at 0.3 to organization 802
    expect(output).toContain('"your_new_balance":7'); // 10 credits - 2 sent - 1 fee
  });

  it('with the demo seed the printed curls work too', async () => {
    const cli = await startCli(['--port', '0']);
    await until(() => cli.stdout().includes('Inspect:'));
    expect(cli.stdout()).toContain('Credentials (mock/seeds/demo.json):');
    expect((await runTryBlock(cli.stdout())).match(/\{/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('--version prints the package version; --help has examples and points to the seed format and control API', async () => {
    const version = runCli(['--version']);
    const help = runCli(['--help']);
    expect(await version.exited).toBe(0);
    expect(version.stdout()).toBe(`ledgerline-mock ${pkg.version}\n`);
    expect(await help.exited).toBe(0);
    for (const text of [
      'Examples:',
      '--port 0',
      'Seed format:',
      'openapi.yaml',
      'Control API',
      '/_mock/reset',
      '{"now": null}',
    ])
      expect(help.stdout()).toContain(text);
  });

  it('a port in use gets a hint instead of a raw EADDRINUSE', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const cli = runCli(['--port', String(port)]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(cli.stderr()).toContain('--port 0 to pick a free one');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a seed file that is an array or has a misspelt key is described as a seed file', async () => {
    const array = await tempFile('list.json', JSON.stringify([QA_SEED]));
    const typo = await tempFile('typo.json', JSON.stringify({ whitelabel: QA_SEED.whiteLabel }));
    const arrayCli = runCli(['--seed', array]);
    const typoCli = runCli(['--seed', typo]);
    expect(await arrayCli.exited).toBe(1);
    expect(arrayCli.stderr()).toContain(
      `the seed file ${array} is not a valid seed:\n  a seed is a JSON object`,
    );
    expect(arrayCli.stderr()).toContain('this one is an array');
    expect(arrayCli.stderr()).not.toContain('body');
    expect(await typoCli.exited).toBe(1);
    expect(typoCli.stderr()).toContain('  whitelabel is not a seed field; did you mean "whiteLabel"?');
  });
});

describe('ledgerline-mock --log', () => {
  const refused = async (url: string) => {
    const response = await fetch(`${url}/api/v1/reseller/organizations`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
  };

  it('debug prints more than info: the options, request ids and error bodies', async () => {
    const info = await startCli(['--port', '0']);
    const debug = await startCli(['--port', '0', '--log', 'debug']);
    for (const cli of [info, debug]) {
      await refused(cli.url);
      await until(() => cli.stdout().includes('GET /api/v1/reseller/organizations 401'));
    }
    expect(info.stdout()).not.toContain('Options:');
    expect(info.stdout()).not.toMatch(/req_\w+/);
    expect(debug.stdout()).toContain('Options: seed mock/seeds/demo.json; state file none');
    expect(debug.stdout()).toMatch(
      /GET \/api\/v1\/reseller\/organizations 401 [\d.]+ms req_\w+\n {2}\{"error"/,
    );
    expect(debug.stdout().length).toBeGreaterThan(info.stdout().length);
  });

  it('error prints no banner and no request line, only failures (on stderr)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const cli = runCli(['--port', String(port), '--log', 'error']);
    await until(async () => (await fetch(`${url}/_mock/state`).catch(() => undefined))?.ok === true);
    await refused(url);
    await fetch(`${url}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/api/v1/billing/wallet', kind: 'status', status: 503 }),
    });
    await fetch(`${url}/api/v1/billing/wallet`, {
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    });
    await until(() => cli.stderr().includes('GET /api/v1/billing/wallet 503'));
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).not.toContain('401');
  });
});

describe('ledgerline-mock shutdown', () => {
  it('a second Ctrl-C exits at once instead of waiting for in-flight requests', async () => {
    const cli = await startCli(['--port', '0', '--latency', '20000']);
    const pending = fetch(`${cli.url}/api/v1/billing/wallet`, {
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    }).catch(() => 'cut');
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.child.kill('SIGINT');
    await until(() => cli.stdout().includes('Ctrl-C again to exit now'));
    const started = Date.now();
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(cli.stderr()).toContain('SIGINT again: exiting now');
    expect(await pending).toBe('cut');
  });
});
