import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import { demoApp } from '../mock/support.js';

// A family state read back from a snapshot is checked against a freshly seeded one's shape: a field
// of another kind, or a state that is not an object, is refused naming it; a field an older
// version did not write yet starts as a fresh state's.

function creditSendState(change: (families: Record<string, unknown>) => void): LedgerSnapshot {
  const snapshot = JSON.parse(JSON.stringify(demoApp().snapshot()));
  change(snapshot.extensions.families);
  return snapshot;
}

describe('a saved family state', () => {
  it('with a field of another kind is refused, naming the field and both kinds', () => {
    const bad = creditSendState((f) => {
      (f['credit-send'] as Record<string, unknown>).feeCredits = 'one';
    });
    expect(() => new MockApp({ snapshot: bad })).toThrow(
      'The state of family credit-send is damaged: feeCredits is string, not number.',
    );
  });

  it('that is not an object is refused, naming what it is', () => {
    const bad = creditSendState((f) => {
      f['credit-send'] = [];
    });
    expect(() => new MockApp({ snapshot: bad })).toThrow(
      'The state of family credit-send is damaged: it is array, not an object.',
    );
  });

  it('without a field a later version added restores with the fresh state field', () => {
    const older = creditSendState((f) => {
      delete (f['credit-send'] as Record<string, unknown>).feeCredits;
    });
    const restored = new MockApp({ snapshot: older }).snapshot().extensions.families as Record<
      string,
      { feeCredits: unknown }
    >;
    expect(typeof restored['credit-send']?.feeCredits).toBe('number');
  });
});
