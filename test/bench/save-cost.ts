/**
 * What saving costs as the journal grows: a durable app on a file store whose state already holds
 * `journalEntries` journal entries (restored from a snapshot, as after a restart) commits `OPS` white-label
 * transfers in groups of `GROUP` (one I/O phase each); the figure is milliseconds per 1,000 durable
 * transfers, which must stay flat from 10k to 500k entries (docs/decisions.md, "The project contract": O(new operations), never O(journal)).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockApp } from '../../mock/app.js';
import type { MockRequest } from '../../mock/family-kit/types.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { MAIN_WORLD, type StoreSnapshot } from '../../mock/store/types.js';
import { TRANSFER } from './support/targets.js';

const OPS = 5_000;
const GROUP = 50;

function transferRequest(): MockRequest {
  const headers: Record<string, string> = TRANSFER.headers;
  return {
    method: 'POST',
    path: TRANSFER.path,
    query: new URLSearchParams(),
    header: (name) => headers[name],
    bodyText: TRANSFER.body,
  };
}

/** Milliseconds per 1,000 durable transfers on a state of `journalEntries` entries. */
export async function saveCostMsPer1000(seed: unknown, journalEntries: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-save-cost-'));
  try {
    const app = new MockApp({ seed });
    const { ledger } = app.world;
    const admin = ledger.findAccount('white-label', 'apiKey', 'wl_admin_demo');
    const user = ledger
      .accounts()
      .find((account) => account.kind === 'user' && account.family === 'white-label');
    if (admin === undefined || user === undefined)
      throw new Error('the bench seed has no white-label admin and user');
    while (ledger.journalSize < journalEntries)
      ledger.commit({
        family: 'white-label',
        operation: 'benchFill',
        postings: [{ debit: admin.id, credit: user.id, asset: 'minutes', amount: 1n }],
      });
    const snapshot: StoreSnapshot = {
      format: 'ledgerline-store',
      version: 1,
      seq: 0,
      takenAtMs: Date.now(),
      worlds: { [MAIN_WORLD]: app.snapshot() },
    };
    const file = join(dir, 'state.json');
    await writeFile(file, JSON.stringify(snapshot));
    const durable = await DurableApp.open(new FileStore(file), {}, () => undefined);
    const started = performance.now();
    for (let done = 0; done < OPS; done += GROUP) {
      const answers = Array.from({ length: GROUP }, () => durable.answer(transferRequest()));
      await Promise.all(answers);
    }
    const msPer1000 = ((performance.now() - started) / OPS) * 1000;
    await durable.close();
    return Math.round(msPer1000 * 10) / 10;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
