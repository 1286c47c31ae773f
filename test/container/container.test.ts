/**
 * The container image, built from the repository's Dockerfile on a base image made from this
 * machine's Node (no registry here) and run on the host network, bound to 127.0.0.1: what a team
 * that starts it beside its app relies on.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { freshSchema } from '../store/postgres-support.js';
import { buildImage, type Container, composeCommand, docker, ROOT, startContainer } from './support.js';

const run = promisify(execFile);
const started: Container[] = [];
const volumes: string[] = [];
let image = '';

beforeAll(async () => {
  image = await buildImage();
}, 20 * 60_000);

afterAll(async () => {
  await Promise.all(started.map((container) => container.remove().catch(() => undefined)));
  await Promise.all(
    volumes.map((volume) => docker(['volume', 'rm', '--force', volume]).catch(() => undefined)),
  );
}, 120_000);

async function start(options: Parameters<typeof startContainer>[1] = {}): Promise<Container> {
  const container = await startContainer(image, options);
  started.push(container);
  return container;
}

async function volume(): Promise<string> {
  const name = `ledgerline-test-${randomBytes(4).toString('hex')}`;
  await docker(['volume', 'create', name]);
  volumes.push(name);
  return name;
}

const credentials = { whiteLabel: { apiKey: 'wl_admin_demo' }, reseller: { apiKey: 'rs_demo' } };
const addMinutes = { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 100 } as const;

describe('the container image', { timeout: 180_000 }, () => {
  it("answers the README's SDK example, runs as a non-root user and reports healthy", async () => {
    const server = await start({ dockerArgs: ['--health-interval', '1s', '--health-start-period', '1s'] });
    const client = createClient({ baseUrl: server.url, credentials });
    const { user, your_balance } = await client.whiteLabel.transfer(addMinutes);
    expect([user.minutes_balance, your_balance.minutes]).toEqual([150.5, 850.5]);
    const error = await client.reseller
      .transfer({ to_organization_id: 4002, minutes: 100_000, cost_per_min: 0.2 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'InsufficientBalanceError', available: 61.613 });
    expect(await docker(['inspect', '--format', '{{.Config.User}}', server.name])).toBe('1000:1000');
    let health = '';
    for (let tries = 0; tries < 100 && health !== 'healthy'; tries += 1) {
      health = await docker(['inspect', '--format', '{{.State.Health.Status}}', server.name]);
      if (health !== 'healthy') await new Promise((done) => setTimeout(done, 200));
    }
    expect(health).toBe('healthy');
  });

  it('serves the request journal and the invariants over HTTP, with the admin token from the environment', async () => {
    const token = `token-${randomBytes(8).toString('hex')}`;
    const server = await start({ env: { LEDGERLINE_MOCK_ADMIN_TOKEN: token } });
    const client = createClient({ baseUrl: server.url, credentials });
    await client.whiteLabel.transfer(addMinutes);
    expect((await fetch(`${server.url}/_mock/requests`)).status).toBe(401);
    const admin = { headers: { 'x-mock-admin-token': token } };
    const journal = await fetch(`${server.url}/_mock/requests?operationId=transferWhiteLabelBalance`, admin);
    const { requests } = (await journal.json()) as { requests: { status: number; requestBody: unknown }[] };
    expect(requests).toMatchObject([{ status: 200, requestBody: addMinutes }]);
    const invariants = await fetch(`${server.url}/_mock/invariants`, admin);
    expect(invariants.status).toBe(200);
    expect(await invariants.json()).toMatchObject({ ok: true });
    const logs = await server.logs();
    expect(logs).not.toContain(token);
    expect(logs).toContain('x-mock-admin-token: $LEDGERLINE_MOCK_ADMIN_TOKEN');
  });

  it('exits 0 on SIGTERM, and a second container on the same /data volume sees the state', async () => {
    const data = await volume();
    const args = ['--state-file', '/data/ledger.json'];
    const first = await start({ volume: data, args });
    await createClient({ baseUrl: first.url, credentials }).whiteLabel.transfer(addMinutes);
    expect(await first.stop()).toBe(0);
    const second = await start({ volume: data, args });
    const users = await createClient({ baseUrl: second.url, credentials }).whiteLabel.listUsers();
    expect(users.data.find((user) => user.id === 123)?.minutes_balance).toBe(150.5);
  });

  it('runs as replicas: two containers on one PostgreSQL schema serve one ledger', async () => {
    const schema = freshSchema();
    try {
      const env = { LEDGERLINE_MOCK_STORE: schema.url };
      const [a, b] = [await start({ env }), await start({ env })];
      const headers = {
        authorization: 'Bearer wl_admin_demo',
        'content-type': 'application/json',
        'idempotency-key': 'container-replica-1',
      };
      const send = (server: Container) =>
        fetch(`${server.url}/api/white-label/transfer`, {
          method: 'POST',
          headers,
          body: JSON.stringify(addMinutes),
        });
      const written = await send(a);
      expect(written.status).toBe(200);
      const replayed = await send(b);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(await replayed.json()).toEqual(await written.json());
      const users = await createClient({ baseUrl: b.url, credentials }).whiteLabel.listUsers();
      expect(users.data.find((user) => user.id === 123)?.minutes_balance).toBe(150.5);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await schema.drop();
    }
  });

  it('refuses an unknown LEDGERLINE_MOCK_ variable, naming the one meant', async () => {
    const failed = await docker([
      'run',
      '--rm',
      '--network',
      'host',
      '--env',
      'LEDGERLINE_MOCK_ADMIN_TOKN=x',
      image,
    ]).catch((error: { stderr?: string }) => error.stderr ?? '');
    expect(failed).toContain('LEDGERLINE_MOCK_ADMIN_TOKEN');
  });
});

describe('docs/reference-server.md, "Run it in a container"', { timeout: 180_000 }, () => {
  it('its Python example verifies calls over HTTP against the container', async () => {
    const doc = await readFile(join(ROOT, 'docs/reference-server.md'), 'utf8');
    const python = /```python\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(python).toBeDefined();
    // A shared server with an admin token: the script creates its sandbox with it, then steers the
    // sandbox with the sandbox's own token.
    const admin = `token-${randomBytes(8).toString('hex')}`;
    const server = await start({ env: { LEDGERLINE_MOCK_ADMIN_TOKEN: admin } });
    const child = run('python3', ['-c', python ?? ''], {
      env: { ...process.env, LEDGERLINE_URL: server.url, LEDGERLINE_ADMIN_TOKEN: admin },
    });
    const { stdout } = await child;
    expect(stdout).toContain('verified: 1 transfer; books balance');
  });

  it('its compose file (PostgreSQL and two replicas) is valid', async () => {
    const compose = composeCommand();
    expect(
      compose,
      'npm test installs docker-compose with docker.io; or install the compose plugin',
    ).toBeDefined();
    const [program = '', ...args] = compose ?? [];
    const { stdout } = await run(program, [
      ...args,
      '-f',
      join(ROOT, 'examples/container/compose.yaml'),
      'config',
    ]);
    expect(stdout).toContain('postgres://postgres@db:5432/postgres?schema=ledgerline');
    expect(stdout).toMatch(/ledgerline-a:[\s\S]*ledgerline-b:/);
  });
});
