import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_HEADER } from '../server/support.js';
import { type Prism, startPrism } from './prism.js';

// The reference server's whole HTTP suite (test/server) runs again with every request going through
// `prism proxy openapi.yaml`: Prism checks each answer of the server against the spec, a tool we
// did not write reading the spec we did. test/server/support.ts fails a test on any response
// violation Prism reports in `sl-violations`.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

let prism: Prism | undefined;
let router: Server | undefined;
let forwarded = 0;

/**
 * Prism proxies to one upstream, but each test of the suite starts its own server: this router is
 * that upstream and forwards each request to the server its `x-ledgerline-upstream` header names.
 * A dropped connection upstream is dropped here too, so Prism sees what a client would.
 */
function startRouter(): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const upstream = incoming.headers[UPSTREAM_HEADER];
    if (typeof upstream !== 'string') {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`missing ${UPSTREAM_HEADER}`);
      return;
    }
    forwarded += 1;
    // The upstream may be a sandbox's base URL: its path prefixes the request's (a URL resolution would drop it).
    const target = new URL(`${upstream.replace(/\/$/, '')}${incoming.url ?? '/'}`);
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
    delete headers[UPSTREAM_HEADER];
    const proxied = httpRequest(target, { method: incoming.method, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    proxied.on('error', () => outgoing.socket?.destroy());
    incoming.pipe(proxied);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  router = await startRouter();
  const { port } = router.address() as AddressInfo;
  prism = await startPrism('proxy', `http://127.0.0.1:${port}`);
}, 60_000);

afterAll(async () => {
  await prism?.stop();
  await new Promise<void>((resolve) => (router ? router.close(() => resolve()) : resolve()));
  router?.closeAllConnections();
});

describe('the reference server through `prism proxy openapi.yaml`', () => {
  it('passes its whole HTTP suite with no response violation', async () => {
    const url = prism?.url ?? '';
    let output = '';
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [VITEST, 'run', 'test/server', '--reporter=dot'], {
        cwd: ROOT,
        env: { ...process.env, LEDGERLINE_PRISM_PROXY: url, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    // The suite really went through Prism (each server test sends several requests).
    expect(forwarded).toBeGreaterThan(30);
    const summary = /Tests\s+.*/.exec(output)?.[0] ?? '';
    console.log(`prism proxy: test/server re-run through Prism, ${forwarded} requests checked; ${summary}`);
  }, 240_000);
});
