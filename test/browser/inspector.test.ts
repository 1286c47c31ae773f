import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mock/index.js';
import { createClient, ServerError } from '../../src/index.js';
import { launchChromium } from './chromium.js';

/*
 * The inspector page (GET /_mock/ui) in headless Chromium against a standalone server with an admin
 * token: the page asks for the token, shows an SDK call in its request journal, injects a fault from
 * its form that the next SDK call meets, and creates a sandbox. Operated with the keyboard where a
 * user would. UPDATE_SCREENSHOT=1 rewrites docs/inspector.png.
 */

const root = resolve(import.meta.dirname, '../..');
const TOKEN = 'inspector-secret';
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

const order = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

async function openPage(path = '/_mock/ui'): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error('chromium did not start');
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}${path}`);
  return { page, errors };
}

/** A sandbox made with the admin token, holding one SDK transfer sent with `idempotencyKey`. */
async function sandboxWithTransfer(body: object, idempotencyKey: string) {
  const created = await fetch(`${server.url}/_mock/sandboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mock-admin-token': TOKEN },
    body: JSON.stringify(body),
  });
  const sandbox = (await created.json()) as { id: string; baseUrl: string; token: string };
  const client = createClient({
    baseUrl: sandbox.baseUrl,
    credentials: { reseller: { apiKey: 'rs_demo' } },
    retry: false,
  });
  await client.reseller.transfer(order, { idempotencyKey });
  return sandbox;
}

describe('the inspector page', () => {
  it('shows SDK calls live, injects a fault the SDK then meets, and honours the admin token', {
    timeout: 90_000,
  }, async () => {
    const { page, errors } = await openPage();
    await page.locator('#status', { hasText: 'needs its admin token' }).waitFor({ timeout: 30_000 });

    // Keyboard only: type the token into its labelled field, tab to the button, press Enter.
    await page.getByLabel('Token', { exact: true }).fill(TOKEN);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#balances', { hasText: 'reseller:organization:4002' }).waitFor({ timeout: 30_000 });

    const client = createClient({
      baseUrl: server.url,
      credentials: { reseller: { apiKey: 'rs_demo' } },
      retry: false,
    });
    await client.reseller.transfer(order);
    const requests = page.locator('#requests tbody');
    await requests.locator('tr', { hasText: 'transferCreditsToChild' }).waitFor({ timeout: 30_000 });
    await page.locator('#balances', { hasText: '59.813 usd' }).waitFor();
    await page.locator('#journal tbody', { hasText: 'transferCreditsToChild' }).waitFor();

    await page.getByLabel('Method', { exact: true }).selectOption('POST');
    await page
      .getByLabel('Path (exact, or with * segments)', { exact: true })
      .fill('/api/v1/reseller/credits/transfer');
    await page.getByLabel('Kind', { exact: true }).selectOption('status');
    await page.getByLabel('Status', { exact: true }).fill('503');
    await page.getByLabel('Times (empty: unlimited)', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults tbody', { hasText: '/api/v1/reseller/credits/transfer' }).waitFor();
    expect(server.app.faults.list()).toMatchObject([{ kind: 'status', status: 503, times: 1 }]);

    await expect(client.reseller.transfer(order)).rejects.toBeInstanceOf(ServerError);
    await requests.locator('tr', { hasText: /503.*fault flt_\d+ \(status\)/ }).waitFor({ timeout: 30_000 });
    await page.locator('#faults tbody', { hasText: 'No faults.' }).waitFor();
    await page.locator('#invariants-summary', { hasText: /All \d+ checks pass\./ }).waitFor();
    // The faulted request, opened: the screenshot shows its detail.
    await requests
      .locator('tr', { hasText: /503.*fault flt_\d+/ })
      .getByRole('button')
      .click();
    await page.locator('#detail-summary', { hasText: /fault flt_\d+ \(status\)/ }).waitFor();

    // Every form control has a label; the page threw nothing.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')]
        .filter((e) => (e as HTMLInputElement).labels?.length === 0)
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    if (process.env.UPDATE_SCREENSHOT)
      await page.screenshot({ path: join(root, 'docs/inspector.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens on a sandbox at that sandbox's base URL, showing its requests", {
    timeout: 90_000,
  }, async () => {
    const { id } = await sandboxWithTransfer({}, 'only-in-the-sandbox');
    const { page, errors } = await openPage(`/_mock/sandboxes/${id}/_mock/ui`);
    await page.evaluate((token) => sessionStorage.setItem('ledgerline.token', token), TOKEN);
    await page.reload();
    await page.locator('#requests tbody', { hasText: 'only-in-the-sandbox' }).waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('State', { exact: true }).inputValue()).toBe(id);
    await fetch(`${server.url}/_mock/sandboxes/${id}`, {
      method: 'DELETE',
      headers: { 'x-mock-admin-token': TOKEN },
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("works on a sandbox with that sandbox's token only, which reaches nothing else", {
    timeout: 90_000,
  }, async () => {
    const { id, token } = await sandboxWithTransfer({ label: 'team a' }, 'team-a-only');
    const { page, errors } = await openPage(`/_mock/sandboxes/${id}/_mock/ui`);
    await page.locator('#status', { hasText: 'needs its admin token' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Use token', exact: true }).click();
    // Its requests and balances show, and the state list holds this sandbox alone (listing takes the admin token).
    await page.locator('#requests tbody', { hasText: 'team-a-only' }).waitFor({ timeout: 30_000 });
    await page.locator('#balances', { hasText: 'reseller:organization:4002' }).waitFor();
    expect(await page.getByLabel('State', { exact: true }).inputValue()).toBe(id);
    const options = await page.getByLabel('State', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(['default', expect.stringContaining(id)]);
    // From the page, the token steers the sandbox: a fault lands in the sandbox, not the default state.
    await page.getByLabel('Method', { exact: true }).selectOption('POST');
    await page
      .getByLabel('Path (exact, or with * segments)', { exact: true })
      .fill('/api/v1/reseller/credits/transfer');
    await page.getByLabel('Kind', { exact: true }).selectOption('status');
    await page.getByLabel('Status', { exact: true }).fill('503');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#faults tbody', { hasText: '/api/v1/reseller/credits/transfer' }).waitFor();
    expect(server.app.sandboxRegistry?.use(id)?.faults.list()).toHaveLength(1);
    expect(server.app.faults.list()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
    const other = await fetch(`${server.url}/_mock/state`, { headers: { 'x-mock-admin-token': token } });
    expect(other.status).toBe(401);
    await fetch(`${server.url}/_mock/sandboxes/${id}`, {
      method: 'DELETE',
      headers: { 'x-mock-admin-token': token },
    });
    expect(server.app.sandboxes?.list()).toEqual([]);
  });

  it('sets the clock, creates a sandbox and switches to it, and resets', { timeout: 90_000 }, async () => {
    const { page, errors } = await openPage();
    await page.evaluate((token) => sessionStorage.setItem('ledgerline.token', token), TOKEN);
    await page.reload();
    await page.getByLabel('Set to (ISO 8601)', { exact: true }).fill('2030-01-02T03:04:05Z');
    await page.getByRole('button', { name: 'Set clock' }).click();
    await page.locator('#now', { hasText: '2030-01-02T03:04:05.000Z' }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'New sandbox' }).click();
    await page.locator('#status', { hasText: 'point the SDK baseUrl at' }).waitFor({ timeout: 30_000 });
    const [sandbox] = server.app.sandboxes?.list() ?? [];
    expect(sandbox).toBeDefined();
    expect(await page.getByLabel('State', { exact: true }).inputValue()).toBe(sandbox?.id);
    // The sandbox has its own clock: real time, not the default state's 2030.
    await page.locator('#now', { hasNotText: '2030-' }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'End sandbox' }).click();
    await page.locator('#status', { hasText: `Sandbox ${sandbox?.id} ended.` }).waitFor({ timeout: 30_000 });
    expect(server.app.sandboxes?.list()).toEqual([]);
    await page.getByRole('button', { name: 'Reset to the startup seed' }).click();
    await page.getByRole('button', { name: 'Yes, reset' }).click();
    await page.locator('#status', { hasText: 'Reset to the startup seed.' }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
