import { describe, expect, it } from 'vitest';
import type { FamilyRuntime } from '../../src/core/family-runtime.js';
import type { OperationDefinition } from '../../src/core/operation.js';
import { listPages, MAX_PAGES } from '../../src/core/pagination.js';

// No operation of openapi.yaml pages by cursor yet, but the generator takes one
// (`x-ledgerline-sdk-pagination` with `cursor`/`nextCursor`): these lists are what it would emit,
// on a runtime that answers pages from a table and records every query it is sent.

type Page = { items?: unknown; next?: unknown; page?: number; pages?: number };

function runtimeOf(answer: (query: Record<string, unknown>) => Page) {
  const queries: Record<string, unknown>[] = [];
  const runtime = {
    send: async (_operation: OperationDefinition, input: unknown) => {
      const query = (input ?? {}) as Record<string, unknown>;
      queries.push(query);
      return { data: answer(query), response: new Response() };
    },
  } as unknown as FamilyRuntime;
  return { runtime, queries };
}

const LIST = {
  operationId: 'listThings',
  method: 'GET',
  path: '/things',
  input: 'query',
  credentials: [],
} as const satisfies OperationDefinition;
const BY_CURSOR: OperationDefinition = {
  ...LIST,
  pagination: { cursorParam: 'after', nextCursor: ['next'], results: ['items'] },
};
const BY_NUMBER: OperationDefinition = {
  ...LIST,
  pagination: { pageParam: 'page', currentPage: ['page'], totalPages: ['pages'], results: ['items'] },
};

describe('a list paged by cursor', () => {
  it("asks for each next page with the previous page's cursor, keeping the caller's query", async () => {
    const table: Record<string, Page> = {
      first: { items: [1, 2], next: 'c2' },
      c2: { items: [3], next: 'c3' },
      c3: { items: [4], next: null },
    };
    const { runtime, queries } = runtimeOf((query) => table[String(query.after ?? 'first')] ?? {});
    const items = await listPages<Page, number>(runtime, BY_CURSOR, { size: 2 }, undefined).toArray();
    expect(items).toEqual([1, 2, 3, 4]);
    expect(queries).toEqual([{ size: 2 }, { size: 2, after: 'c2' }, { size: 2, after: 'c3' }]);
  });

  it.each([
    ['null', null],
    ['an empty string', ''],
    ['a number', 7],
    ['absent', undefined],
  ])('ends when the next cursor is %s', async (_, next) => {
    const { runtime, queries } = runtimeOf(() => ({ items: ['only'], next }));
    expect(await listPages(runtime, BY_CURSOR, {}, undefined).toArray()).toEqual(['only']);
    expect(queries).toHaveLength(1);
  });

  it('reads a page without an items list as a page of no items', async () => {
    const { runtime } = runtimeOf((query) => (query.after ? { items: null } : { items: ['a'], next: 'b' }));
    expect(await listPages(runtime, BY_CURSOR, {}, undefined).toArray()).toEqual(['a']);
  });
});

describe('a list that never ends', () => {
  it(`stops after ${MAX_PAGES} pages with a RangeError`, async () => {
    const { runtime, queries } = runtimeOf((query) => ({
      items: [],
      page: Number(query.page ?? 1),
      pages: Number.POSITIVE_INFINITY,
    }));
    await expect(listPages(runtime, BY_NUMBER, {}, undefined).toArray()).rejects.toThrow(
      new RangeError(`Stopped after ${MAX_PAGES} pages: the list does not end.`),
    );
    expect(queries).toHaveLength(MAX_PAGES);
  });
});

describe('an operation that is not a list', () => {
  it('is refused at once', () => {
    const { runtime, queries } = runtimeOf(() => ({}));
    expect(() => listPages(runtime, LIST, {}, undefined)).toThrow(new TypeError('listThings is not a list.'));
    expect(queries).toEqual([]);
  });
});
