import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

/*
 * examples/browser/ end to end: the page is bundled with esbuild, served with MSW's service worker,
 * and driven in headless Chromium (Debian's `chromium` package, installed by .ci/run; never a
 * downloaded browser). The SDK and the reference server both run in the page.
 */

const root = resolve(import.meta.dirname, '../..');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
};

let dir = '';
let server: Server | undefined;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerline-browser-'));
  await build({
    entryPoints: [join(root, 'examples/browser/main.ts')],
    outfile: join(dir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'error',
  });
  await copyFile(join(root, 'examples/browser/index.html'), join(dir, 'index.html'));
  await copyFile(join(root, 'node_modules/msw/lib/mockServiceWorker.js'), join(dir, 'mockServiceWorker.js'));

  server = createServer(async (request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    // Anything else (API paths the worker did not answer) is a 404: the page would show it.
    if (!file.startsWith(dir) || !existsSync(file)) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the browser example (examples/browser)', () => {
  it('shows the balances after a transfer made with the SDK under setupWorker', {
    timeout: 60_000,
  }, async () => {
    if (!browser) throw new Error('chromium did not start');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);
    const status = page.locator('#status');
    await status.filter({ hasText: 'Ready.' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#admin-minutes').textContent()).toBe('950.5');
    expect(await page.locator('#user-minutes').textContent()).toBe('50.5');

    await page.locator('#transfer').click();
    await status.filter({ hasText: 'Transferred 100 minutes.' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#user-minutes').textContent()).toBe('150.5');
    expect(await page.locator('#admin-minutes').textContent()).toBe('850.5');
    expect(errors).toEqual([]);
  });
});
