import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mock/index.js';
import { launchChromium } from './chromium.js';

/*
 * The inspector as a place to investigate, in headless Chromium: a request's detail with its ledger
 * entry, filters, copy as curl, the HAR download, every fault field and deleting one fault, messages
 * that stay until dismissed, a confirmation before reset, and a page that fits 420 px. Every page
 * also checks that the strict CSP refused nothing.
 */

const TOKEN = 'investigate-secret';
let server: MockServer;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await createMockServer({ port: 0, adminToken: TOKEN });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const admin = { 'x-mock-admin-token': TOKEN };
const json = { 'content-type': 'application/json' };
const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

function transfer(key: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/reseller/credits/transfer`, {
    method: 'POST',
    headers: { ...json, Authorization: 'Bearer rs_demo', 'Idempotency-Key': key },
    body: JSON.stringify(order),
  });
}

interface Opened {
  page: Page;
  /** Uncaught errors and CSP refusals. */
  problems: string[];
}

async function openPage(width = 1280): Promise<Opened> {
  if (!browser) throw new Error('chromium did not start');
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${server.url}/_mock/ui`);
  await page.evaluate((token) => sessionStorage.setItem('ledgerline.token', token), TOKEN);
  await page.reload();
  return { page, problems };
}

async function openDetail(page: Page, id: string): Promise<void> {
  const button = page.getByRole('button', { name: `Details of ${id}`, exact: true });
  await button.waitFor({ timeout: 30_000 });
  await button.click();
  await page.locator('#detail-id', { hasText: id }).waitFor();
}

describe('the inspector as a place to investigate', () => {
  it("shows a request's headers, bodies, ledger entry, replay and fault, and copies it as curl with credentials masked", {
    timeout: 90_000,
  }, async () => {
    const first = await transfer('investigate-1');
    expect(first.status).toBe(200);
    const firstId = first.headers.get('x-request-id') ?? '';
    const replay = await transfer('investigate-1');
    const replayId = replay.headers.get('x-request-id') ?? '';
    const { page, problems } = await openPage();

    await openDetail(page, firstId);
    await page.locator('#detail-summary', { hasText: 'not replayed' }).waitFor();
    expect(await page.locator('#detail-summary').textContent()).toContain('operation transferCreditsToChild');
    const requestHeaders = await page.locator('#detail-request-headers').textContent();
    expect(requestHeaders).toContain('idempotency-key: investigate-1');
    expect(requestHeaders).toContain('authorization: Bearer rs***');
    expect(requestHeaders).not.toContain('rs_demo');
    expect(await page.locator('#detail-request-body').textContent()).toContain('"to_organization_id": 4002');
    expect(await page.locator('#detail-response-headers').textContent()).toContain(
      `x-request-id: ${firstId}`,
    );
    await page.locator('#detail-ledger', { hasText: 'reseller:organization:4002' }).waitFor();
    expect(await page.locator('#detail-ledger').textContent()).toContain('"idempotencyKey": "investigate-1"');

    const curl = (await page.locator('#curl').textContent()) ?? '';
    expect(curl).toContain(`curl -X POST '${server.url}/api/v1/reseller/credits/transfer'`);
    expect(curl).toContain("-H 'authorization: Bearer rs***'");
    expect(curl).toContain(`--data-raw '${JSON.stringify(order)}'`);
    expect(curl).not.toContain('rs_demo');
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    await page.locator('#status', { hasText: 'Copied as curl' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

    await openDetail(page, replayId);
    await page.locator('#detail-summary', { hasText: /· replayed ·/ }).waitFor();
    await page.locator('#detail-ledger', { hasText: '"idempotencyKey": "investigate-1"' }).waitFor();

    const fault = await fetch(`${server.url}/_mock/faults`, {
      method: 'POST',
      headers: { ...json, ...admin },
      body: JSON.stringify({
        path: '/api/v1/reseller/credits/transfer',
        kind: 'status',
        status: 503,
        times: 1,
      }),
    });
    const { id: faultId } = (await fault.json()) as { id: string };
    const faulted = await transfer('investigate-2');
    expect(faulted.status).toBe(503);
    await openDetail(page, faulted.headers.get('x-request-id') ?? '');
    await page.locator('#detail-summary', { hasText: `fault ${faultId} (status)` }).waitFor();
    await page.locator('#detail-ledger', { hasText: 'committed no ledger entry' }).waitFor();

    const unrouted = await fetch(`${server.url}/api/v1/reseller/nowhere`);
    expect(unrouted.status).toBe(404);
    await openDetail(page, unrouted.headers.get('x-request-id') ?? '');
    await page.locator('#detail-summary', { hasText: 'no operation (unrouted)' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('filters requests by family, operation and status, and downloads the same selection as HAR', {
    timeout: 90_000,
  }, async () => {
    expect((await transfer('investigate-filter')).status).toBe(200);
    const wallet = await fetch(`${server.url}/api/v1/billing/wallet`, {
      headers: { Authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect(wallet.status).toBe(200);
    const walletId = wallet.headers.get('x-request-id') ?? '';
    const { page, problems } = await openPage();
    const rows = page.locator('#requests tbody tr');
    await page.getByRole('button', { name: `Details of ${walletId}` }).waitFor({ timeout: 30_000 });

    await page.getByLabel('Family', { exact: true }).selectOption('billing');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page
      .locator('#requests tbody', { hasNotText: 'transferCreditsToChild' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: `Details of ${walletId}` }).waitFor();

    await page.getByLabel('Family', { exact: true }).selectOption('');
    await page.getByLabel('Operation', { exact: true }).fill('transferCreditsToChild');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page
      .getByRole('button', { name: `Details of ${walletId}` })
      .waitFor({ state: 'detached', timeout: 30_000 });
    const operations = await rows.locator('td:nth-child(4)').allTextContents();
    expect(operations.length).toBeGreaterThan(0);
    expect(new Set(operations)).toEqual(new Set(['transferCreditsToChild']));

    await page.getByLabel('Answered status', { exact: true }).fill('200');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download HAR' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('ledgerline-requests.har');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    const har = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      log: { version: string; entries: { request: { url: string }; response: { status: number } }[] };
    };
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(0);
    for (const entry of har.log.entries) {
      expect(entry.request.url).toContain('/api/v1/reseller/credits/transfer');
      expect(entry.response.status).toBe(200);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('adds a fault with every field, and deletes one fault of two', { timeout: 90_000 }, async () => {
    await fetch(`${server.url}/_mock/faults`, { method: 'DELETE', headers: admin });
    const { page, problems } = await openPage();
    await page.getByLabel('Method', { exact: true }).selectOption('POST');
    await page
      .getByLabel('Path (exact, or with * segments)', { exact: true })
      .fill('/api/v1/*/credits/transfer');
    await page.getByLabel('Kind', { exact: true }).selectOption('status');
    await page.getByLabel('Status', { exact: true }).fill('429');
    await page.getByLabel('Retry-After seconds (status)', { exact: true }).fill('7');
    await page.getByLabel('Times (empty: unlimited)', { exact: true }).fill('3');
    await page.getByLabel('Probability (0..1, empty: always)', { exact: true }).fill('0.5');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults tbody', { hasText: 'Retry-After 7 s p=0.5' }).waitFor({ timeout: 30_000 });

    await page.getByLabel('Kind', { exact: true }).selectOption('latency');
    await page.getByLabel('Delay ms (latency)', { exact: true }).fill('250');
    await page.getByLabel('Times (empty: unlimited)', { exact: true }).fill('');
    await page.getByLabel('Probability (0..1, empty: always)', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults tbody', { hasText: '250 ms' }).waitFor({ timeout: 30_000 });

    const [status, latency] = server.app.faults.list();
    expect(status).toMatchObject({
      method: 'POST',
      path: '/api/v1/*/credits/transfer',
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
      times: 3,
      remaining: 3,
      probability: 0.5,
    });
    expect(latency).toMatchObject({ kind: 'latency', delayMs: 250, remaining: null });
    expect(latency).not.toHaveProperty('times');
    expect(latency).not.toHaveProperty('status');

    await page.getByRole('button', { name: `Delete fault ${status?.id}` }).click();
    await page.locator('#status', { hasText: `Fault ${status?.id} deleted.` }).waitFor({ timeout: 30_000 });
    await page.locator('#faults tbody', { hasNotText: 'Retry-After' }).waitFor();
    expect(server.app.faults.list().map((fault) => fault.id)).toEqual([latency?.id]);
    await fetch(`${server.url}/_mock/faults`, { method: 'DELETE', headers: admin });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits 420 px without horizontal overflow, with a request open', { timeout: 90_000 }, async () => {
    const sent = await transfer('investigate-narrow');
    const { page, problems } = await openPage(420);
    await openDetail(page, sent.headers.get('x-request-id') ?? '');
    await page
      .locator('#detail-ledger', { hasText: 'reseller:organization:4002' })
      .waitFor({ timeout: 30_000 });
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.viewport).toBe(420);
    expect(widths.page).toBeLessThanOrEqual(420);
    expect(widths.body).toBeLessThanOrEqual(420);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('keeps messages until dismissed, and resets to the startup seed only once confirmed', {
    timeout: 90_000,
  }, async () => {
    await fetch(`${server.url}/_mock/reset`, { method: 'POST', headers: admin });
    const seeded = await (await fetch(`${server.url}/_mock/state`, { headers: admin })).json();
    expect((await transfer('investigate-reset')).status).toBe(200);
    const moved = await (await fetch(`${server.url}/_mock/state`, { headers: admin })).json();
    expect(moved.accounts).not.toEqual(seeded.accounts);
    const { page, problems } = await openPage();

    await page.getByRole('button', { name: 'Reset to the startup seed' }).click();
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain('restores the seed the server started with');
    await page.getByRole('button', { name: 'Keep the current state' }).click();
    await question.waitFor({ state: 'hidden' });
    const kept = await (await fetch(`${server.url}/_mock/state`, { headers: admin })).json();
    expect(kept.accounts).toEqual(moved.accounts);

    await page.getByRole('button', { name: 'Reset to the startup seed' }).click();
    await page.getByRole('button', { name: 'Yes, reset' }).click();
    await page.locator('#status', { hasText: 'Reset to the startup seed.' }).waitFor({ timeout: 30_000 });
    const reset = await (await fetch(`${server.url}/_mock/state`, { headers: admin })).json();
    expect(reset.accounts).toEqual(seeded.accounts);

    // A second message joins the first instead of replacing it; each goes only when dismissed.
    await page.getByLabel('Set to (ISO 8601)', { exact: true }).fill('not a date');
    await page.getByRole('button', { name: 'Set clock' }).click();
    const messages = page.locator('#status .message');
    await page.locator('#status .message.error').waitFor({ timeout: 30_000 });
    expect(await messages.count()).toBe(2);
    await page.getByRole('button', { name: 'Dismiss: Reset to the startup seed.' }).click();
    expect(await messages.count()).toBe(1);
    expect(await messages.first().getAttribute('class')).toContain('error');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
