import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { tallyDefinition } from '../mock/tally-family.js';
import { send } from './sandbox-support.js';

// A write inside a sandbox that waits (an asynchronous credential check, as credit-send's JWT check
// waits for WebCrypto) while the sandbox is deleted (found in review): it was answered 201, its
// change went to a sandbox no one can reach, and its record (after the delete) made a replay warn.

const folders: string[] = [];
afterAll(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});

/** The tally family with a credential check that waits while `hold` is set (live requests only). */
function slowTally() {
  const pause: { hold?: Promise<void> | undefined; reached?: () => void } = {};
  const family = defineFamily({
    ...tallyDefinition,
    authenticate(context) {
      const answer = tallyDefinition.authenticate(context);
      if (pause.hold === undefined || context.request.fromLog === true) return answer;
      pause.reached?.();
      return pause.hold.then(() => answer);
    },
  });
  /** Holds the next live credential check; `reached` settles when a request waits in it. */
  const hold = () => {
    let release: () => void = () => undefined;
    pause.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reached = new Promise<void>((resolve) => {
      pause.reached = resolve;
    });
    return {
      reached,
      release: () => {
        pause.hold = undefined;
        release();
      },
    };
  };
  return { family, hold };
}

const TALLY_KEY = { 'x-tally-key': 'tally_demo' };

describe('a sandbox deleted while a write inside it waits', () => {
  it('answers the write 404 in its family shape, records nothing for it, and replays without a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-in-flight-delete-'));
    folders.push(dir);
    const { family, hold } = slowTally();
    const lines: string[] = [];
    const open = (file: string) =>
      DurableApp.open(new FileStore(file), { families: [family] }, (line) => lines.push(line));
    const durable = await open(join(dir, 'state.json'));
    const call = send(durable);
    const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
    const add = `/_mock/sandboxes/${sandbox}/tally/v1/add`;
    // A write of the sandbox before: its record replays before the delete's.
    const transfer = { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 5 };
    const path = `/_mock/sandboxes/${sandbox}/api/white-label/transfer`;
    expect((await call('POST', path, { bearer: 'wl_admin_demo', json: transfer })).status).toBe(200);

    const paused = hold();
    const waiting = call('POST', add, { headers: TALLY_KEY, json: { amount: 2 } });
    await paused.reached;
    expect((await call('DELETE', `/_mock/sandboxes/${sandbox}`)).status).toBe(204);
    paused.release();
    const answered = await waiting;
    expect(answered.status).toBe(404);
    // The tally family's own error shape, saying what happened and what to do.
    expect(answered.body).toEqual({
      tally_error: expect.stringMatching(/^not_found: .*sandbox .*deleted.*changed nothing/),
    });

    // A restart after a crash (the log not compacted) replays every record without a warning.
    const copy = mkdtempSync(join(tmpdir(), 'll-in-flight-delete-'));
    folders.push(copy);
    cpSync(dir, copy, { recursive: true });
    const replayed = await open(join(copy, 'state.json'));
    try {
      expect(lines).toEqual([]);
      expect((await send(replayed)('GET', '/_mock/sandboxes')).body.sandboxes).toEqual([]);
    } finally {
      await replayed.close();
      await durable.close();
    }
  });
});
