import { ClientOptionsError } from './errors.js';

/** What a successful call gives besides its data: the raw Response and its request id. */
export interface WithResponse<T> {
  /** What the method resolves to. */
  data: T;
  /** The final Response of the call (after retries); its body has already been read into `data`. */
  response: Response;
  /** The `x-request-id` response header: quote it in support requests. */
  requestId: string | undefined;
}

/** @internal What a family runtime hands over when a call succeeded. */
export interface Answered<T> {
  data: T;
  response: Response;
}

/**
 * The promise every method returns: await it for the data, or call `.withResponse()` for the data
 * with the raw Response and the request id (like openai-node's `.withResponse()`), without middleware.
 * It is a real Promise: `then`, `catch`, `finally` and `await` behave as usual.
 */
export class ApiPromise<T> extends Promise<T> {
  // The promise `then` delegates to; made on first use, so a caller who only calls
  // `.withResponse()` leaves no second promise to reject unhandled.
  #data: Promise<T> | undefined;
  readonly #answer: Promise<Answered<T>>;

  /** `Promise` methods build their results with `Symbol.species`: plain promises, not ApiPromises. */
  static override get [Symbol.species]() {
    return Promise;
  }

  /** @internal */
  constructor(answer: Promise<Answered<T>>) {
    // The base promise is never awaited: every method below reads `#answer`.
    super((resolve) => resolve(undefined as T));
    this.#answer = answer;
  }

  /**
   * The data together with the raw Response and its request id.
   * @returns `{ data, response, requestId }`; rejects with the same errors as the call.
   */
  withResponse(): Promise<WithResponse<T>> {
    return this.#answer.then(({ data, response }) => ({
      data,
      response,
      requestId: response.headers.get('x-request-id') ?? undefined,
    }));
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#answer.then((answered) => answered.data);
    return this.#data;
  }

  // A thenable on purpose: awaiting an ApiPromise awaits the call's data.
  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass overrides `then` by design.
  override then<Fulfilled = T, Rejected = never>(
    onfulfilled?: ((value: T) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onrejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  override catch<Rejected = never>(
    onrejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<T | Rejected> {
    return this.#dataPromise().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }
}

/**
 * What a list method returns: its first page (await it, or `.withResponse()`), which also iterates,
 * with `for await`, over every item of every page; `.pages()` gives the pages themselves and
 * `.toArray({ limit })` collects the items.
 */
export class PagePromise<T, Item> extends ApiPromise<T> implements AsyncIterable<Item> {
  readonly #pages: () => AsyncGenerator<T, void, undefined>;
  readonly #items: (page: unknown) => readonly Item[];

  /** @internal */
  constructor(
    answer: Promise<Answered<T>>,
    pages: (first: Promise<T>) => AsyncGenerator<T, void, undefined>,
    items: (page: unknown) => readonly Item[],
  ) {
    super(answer);
    this.#pages = () => pages(this.then((page) => page));
    this.#items = items;
  }

  /**
   * Every page, typed, from this one on: the next is fetched when the loop asks for it, so
   * breaking out of the loop fetches no more.
   * @example
   * ```ts
   * for await (const page of client.reseller.listCreditLogs({ page_size: 50 }).pages()) console.log(page.data.current_page);
   * ```
   */
  pages(): AsyncGenerator<T, void, undefined> {
    return this.#pages();
  }

  /** Every item of every page, fetching the next page when this one is used up. */
  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return this.#every();
  }

  async *#every(): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.#pages()) yield* this.#items(page);
  }

  /**
   * The items of every page in one array, or the first `limit` of them (no page past the one
   * that reaches `limit` is fetched).
   * @param options `limit`: an integer >= 0; without it, every item.
   * @throws A {@link ClientOptionsError} when `limit` is not an integer >= 0; else the call's errors.
   */
  async toArray(options: { limit?: number } = {}): Promise<Item[]> {
    const { limit = Number.POSITIVE_INFINITY } = options;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 0)))
      throw new ClientOptionsError(
        [`limit: expected an integer >= 0, got ${JSON.stringify(limit)}`],
        'call options',
      );
    const items: Item[] = [];
    if (limit === 0) return items;
    for await (const item of this) if (items.push(item) >= limit) break;
    return items;
  }
}
