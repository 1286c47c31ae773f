import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ClientOptionsError,
  type ResellerListCreditLogsItem,
  type ResellerListCreditLogsResult,
} from '../../src/index.js';
import { countRequests, demoClient, useReferenceServer } from './support.js';

const { server } = await useReferenceServer();
const LOGS = '/api/v1/reseller/credits/logs';

// Three log entries, newest first: a revert and two transfers, one per page at page_size 1.
beforeEach(async () => {
  const { reseller } = demoClient();
  await reseller.transfer({ to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 });
  await reseller.transfer({ to_organization_id: 4002, minutes: 10, cost_per_min: 0.2 });
  await reseller.revert({ from_organization_id: 4002, minutes: 5 });
});
afterEach(() => {
  server.events.removeAllListeners();
});

describe('a list, page by page', () => {
  it('.pages() gives each typed page, fetching the next only when asked', async () => {
    const sent = countRequests(server, LOGS);
    const numbers: number[] = [];
    for await (const page of demoClient().reseller.listCreditLogs({ page_size: 1 }).pages()) {
      expectTypeOf(page).toEqualTypeOf<ResellerListCreditLogsResult>();
      numbers.push(page.data.page);
      expect(page.data.logs).toHaveLength(1);
    }
    expect(numbers).toEqual([1, 2, 3]);
    expect(sent()).toBe(3);
  });

  it('stops fetching when the loop breaks', async () => {
    const sent = countRequests(server, LOGS);
    for await (const page of demoClient().reseller.listCreditLogs({ page_size: 1 }).pages())
      if (page.data.page === 2) break;
    expect(sent()).toBe(2);
  });

  it('starts from the page the promise already holds', async () => {
    const sent = countRequests(server, LOGS);
    const list = demoClient().reseller.listCreditLogs({ page_size: 2 });
    expect((await list).data.logs).toHaveLength(2);
    const sizes: number[] = [];
    for await (const page of list.pages()) sizes.push(page.data.logs.length);
    expect(sizes).toEqual([2, 1]);
    expect(sent()).toBe(2);
  });
});

describe('toArray', () => {
  it('collects every item of every page, typed', async () => {
    const items = await demoClient().reseller.listCreditLogs({ page_size: 1 }).toArray();
    expectTypeOf(items).toEqualTypeOf<ResellerListCreditLogsItem[]>();
    expect(items.map((log) => [log.transaction_type, log.credit_amount])).toEqual([
      ['credit_revert', -1],
      ['credit_transfer', 2],
      ['credit_transfer', 4],
    ]);
  });

  it('stops at limit without fetching further pages', async () => {
    const sent = countRequests(server, LOGS);
    const items = await demoClient().reseller.listCreditLogs({ page_size: 2 }).toArray({ limit: 1 });
    expect(items.map((log) => log.credit_amount)).toEqual([-1]);
    expect(sent()).toBe(1);
    expect(await demoClient().reseller.listCreditLogs({ page_size: 2 }).toArray({ limit: 3 })).toHaveLength(
      3,
    );
    expect(await demoClient().reseller.listCreditLogs().toArray({ limit: 0 })).toEqual([]);
  });

  it('refuses a limit that is not an integer >= 0', async () => {
    const list = demoClient().reseller.listCreditLogs();
    await expect(list.toArray({ limit: -1 })).rejects.toBeInstanceOf(ClientOptionsError);
    await expect(list.toArray({ limit: 1.5 })).rejects.toThrow('limit: expected an integer >= 0, got 1.5');
    await expect(list.toArray({ limit: -1 })).rejects.toThrow(/^Invalid ledgerline call options:\n- limit: /);
  });

  it('for await still iterates over every item', async () => {
    const amounts: number[] = [];
    for await (const log of demoClient().reseller.listCreditLogs({ page_size: 2 }))
      amounts.push(log.credit_amount);
    expect(amounts).toEqual([-1, 2, 4]);
  });
});
