import { type Answered, PagePromise } from './api-promise.js';
import type { FamilyRuntime } from './family-runtime.js';
import type { CallOptions } from './fetch-with-retry.js';
import { isRecord } from './json.js';
import type { CursorPagination, OperationDefinition, PageNumberPagination } from './operation.js';

/** Most pages a `for await` loop fetches: a server that never stops paging cannot hold a loop forever. */
export const MAX_PAGES = 10_000;

/** The value at `path` in `value` (`['data', 'logs']`), or `undefined`. */
function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/**
 * Every page, from `first` on: the next page is asked for with the previous page's cursor
 * (`nextCursor`) or number (`currentPage + 1` while below `totalPages`), keeping the rest of the
 * caller's query.
 */
async function* pages<T>(
  pagination: CursorPagination | PageNumberPagination,
  first: Promise<T>,
  query: Record<string, unknown> | undefined,
  fetchPage: (query: Record<string, unknown>) => Promise<T>,
): AsyncGenerator<T, void, undefined> {
  let page = await first;
  for (let fetched = 1; ; fetched++) {
    yield page;
    let next: Record<string, unknown>;
    if ('cursorParam' in pagination) {
      const cursor = at(page, pagination.nextCursor);
      if (typeof cursor !== 'string' || cursor === '') return;
      next = { ...query, [pagination.cursorParam]: cursor };
    } else {
      const current = Number(at(page, pagination.currentPage));
      // NaN (a missing number) compares false: the list ends.
      if (!(current < Number(at(page, pagination.totalPages)))) return;
      next = { ...query, [pagination.pageParam]: current + 1 };
    }
    if (fetched >= MAX_PAGES)
      throw new RangeError(`Stopped after ${MAX_PAGES} pages: the list does not end.`);
    page = await fetchPage(next);
  }
}

/**
 * A list method's call: the first page, which also iterates over its pages and every item of
 * every page. Kept apart from the family runtime so a family without lists does not bundle it.
 * @internal
 */
export function listPages<T, Item>(
  runtime: FamilyRuntime,
  operation: OperationDefinition,
  query: object | undefined,
  options: CallOptions | undefined,
): PagePromise<T, Item> {
  const { pagination } = operation;
  if (!pagination) throw new TypeError(`${operation.operationId} is not a list.`);
  const fields = query as Record<string, unknown> | undefined;
  return new PagePromise<T, Item>(
    runtime.send(operation, query, options) as Promise<Answered<T>>,
    (first) =>
      pages<T>(
        pagination,
        first,
        fields,
        async (next) => (await runtime.send(operation, next, options)).data as T,
      ),
    (page) => {
      const items = at(page, pagination.results);
      return Array.isArray(items) ? (items as Item[]) : [];
    },
  );
}
