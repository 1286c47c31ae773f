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
 * with `for await`, over every item of every page.
 */
export class PagePromise<T, Item> extends ApiPromise<T> implements AsyncIterable<Item> {
  readonly #items: () => AsyncIterator<Item>;

  /** @internal */
  constructor(answer: Promise<Answered<T>>, items: (first: Promise<T>) => AsyncIterator<Item>) {
    super(answer);
    this.#items = () => items(this.then((page) => page));
  }

  /** Every item of every page, fetching the next page when this one is used up. */
  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return this.#items();
  }
}
