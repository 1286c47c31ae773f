import { describe, expect, it } from 'vitest';
import { WriteCounter } from '../../mock/registry/write-counter.js';

// The write counter a durable store reads to tell a no-op request (nothing logged) from a write.
// Handlers compare and store the objects they read, so the proxies must not show through.

describe('a tracked family state', () => {
  it('counts every write at any depth and none for reads', () => {
    const counter = new WriteCounter();
    const state = counter.track({ users: { ann: { credits: 1 } }, tags: ['a'] as string[] });
    expect(state.users.ann.credits + state.tags.length).toBe(2);
    expect(counter.count).toBe(0);
    state.users.ann.credits = 2;
    state.tags.push('b');
    delete (state.users as Record<string, unknown>).ann;
    expect(counter.count).toBeGreaterThanOrEqual(3);
  });

  it('hands out the same object on every read, so identity comparisons hold', () => {
    const state = new WriteCounter().track({ users: { ann: { credits: 1 } } });
    expect(state.users).toBe(state.users);
    expect(state.users.ann).toBe(state.users.ann);
  });

  it('stores an object read from it as the object itself, not a proxy of it', () => {
    const raw: { a: { n: number }; b?: { n: number } } = { a: { n: 1 } };
    const counter = new WriteCounter();
    const state = counter.track(raw);
    state.b = state.a;
    expect(raw.b).toBe(raw.a);
    // A write through the plain state is not the handler's: nothing counts it.
    const before = counter.count;
    if (raw.b !== undefined) raw.b.n = 5;
    expect(counter.count).toBe(before);
  });

  it('leaves primitives and null as they are', () => {
    const counter = new WriteCounter();
    expect(counter.track(7)).toBe(7);
    expect(counter.track(null)).toBeNull();
    expect(counter.track({ gone: null }).gone).toBeNull();
  });
});
