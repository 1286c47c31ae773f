/**
 * Counts the writes made to family states, which are plain JSON mutated in place by any handler,
 * clock hook or seed (FamilyDefinition): no method to hook, so each state is handed out behind a
 * proxy that counts every write at any depth. A durable store reads the count around an operation
 * to tell whether it changed anything (docs/decisions.md, "What the durable log records").
 */
export class WriteCounter {
  /**
   * Writes so far (sets, deletes, property definitions), never reset. A prototype set or an object
   * made non-extensible is no write: neither changes the JSON a snapshot keeps.
   */
  count = 0;

  readonly #proxies = new WeakMap<object, object>();
  readonly #handler: ProxyHandler<object> = {
    get: (target, key) => {
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'object' && value !== null ? this.#wrap(value) : value;
    },
    set: (target, key, value: unknown) => {
      this.count += 1;
      // The state itself stays free of proxies: a snapshot serialises it without going through them.
      return Reflect.set(target, key, unwrapped(value));
    },
    deleteProperty: (target, key) => {
      this.count += 1;
      return Reflect.deleteProperty(target, key);
    },
    defineProperty: (target, key, descriptor) => {
      this.count += 1;
      return Reflect.defineProperty(target, key, descriptor);
    },
  };

  /** `state` behind a proxy that counts its writes here (the same proxy every time for one object). */
  track<S>(state: S): S {
    return typeof state === 'object' && state !== null ? (this.#wrap(state) as S) : state;
  }

  #wrap(value: object): object {
    const known = this.#proxies.get(value);
    if (known !== undefined) return known;
    // A frozen object cannot be written, and a proxy must hand out its frozen fields unchanged.
    if (Object.isFrozen(value) || TARGETS.has(value)) return value;
    const proxy = new Proxy(value, this.#handler);
    this.#proxies.set(value, proxy);
    TARGETS.set(proxy, value);
    return proxy;
  }
}

/** Each proxy's object, so a tracked value stored into a state is stored as the object itself. */
const TARGETS = new WeakMap<object, object>();

function unwrapped(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (TARGETS.get(value) ?? value) : value;
}
