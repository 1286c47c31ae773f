import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue, requestFingerprint } from '../../mock/ledger/index.js';

const print = (body: unknown): string => requestFingerprint('POST', '/x', body as JsonValue);

describe('request bodies in a fingerprint', () => {
  it('are canonical JSON: keys sorted at every depth, arrays in order, null kept, undefined fields left out', () => {
    const body = { b: [3, { z: 1, y: [null, 'x'] }], a: null, u: undefined } as unknown as JsonValue;
    expect(canonicalJson(body)).toBe('{"a":null,"b":[3,{"y":[null,"x"],"z":1}]}');
  });

  it('differ when only the contents or the shape of a list differ', () => {
    expect(print({ n: [12, 3] })).not.toBe(print({ n: [1, 23] }));
    expect(print({ n: [1] })).not.toBe(print({ n: [2] }));
    expect(print({ n: [1, 2] })).not.toBe(print({ n: { 0: 1, 1: 2 } }));
  });

  // JSON.stringify sends no undefined field, so a body built with one is the same request.
  it('are the same with or without a field left undefined', () => {
    expect(print({ a: 1, b: undefined })).toBe(print({ a: 1 }));
    expect(print({ a: null })).not.toBe(print({ a: 'null' }));
  });
});
