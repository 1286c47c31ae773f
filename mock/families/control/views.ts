import type { components } from '../../../generated/openapi.js';
import { familyKey } from '../../family-kit/family-key.js';
import type { JournalQuery } from '../../ledger/journal-query.js';
import type { Ledger } from '../../ledger/ledger.js';
import { formatAmount } from '../../ledger/money.js';

/** What `GET /_mock/state` answers (openapi.yaml `MockState`). */
export type MockStateView = components['schemas']['MockState'];
/** What `GET /_mock/journal` answers (openapi.yaml `MockJournal`). */
export type MockJournalView = components['schemas']['MockJournal'];

/** `GET /_mock/state`: every account with its balances as exact JSON numbers. */
export function stateView(ledger: Ledger): MockStateView {
  return {
    now: ledger.clock.isoNow(),
    accounts: ledger.accounts().map((account) => ({
      id: account.id,
      family: familyKey(account.family),
      kind: account.kind,
      balances: Object.fromEntries(
        Object.entries(ledger.balances(account.id)).map(([asset, units]) => [
          asset,
          formatAmount(units, ledger.scaleOf(account.family, asset)),
        ]),
      ),
    })),
  };
}

/** `GET /_mock/journal`: one page of entries, newest first, amounts as exact JSON numbers. */
export function journalView(ledger: Ledger, query: JournalQuery): MockJournalView {
  const page = ledger.journal(query);
  return {
    entries: page.entries.map((entry) => ({
      id: entry.id,
      time: new Date(entry.timeMs).toISOString(),
      family: familyKey(entry.family),
      operationId: entry.operation,
      idempotencyKey: entry.idempotencyKey,
      postings: entry.postings.map((p) => ({
        debit: p.debit,
        credit: p.credit,
        asset: p.asset,
        amount: formatAmount(p.amount, ledger.scaleOf(entry.family, p.asset)),
      })),
    })),
    nextCursor: page.nextCursor,
  };
}
