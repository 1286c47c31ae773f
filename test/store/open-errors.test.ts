import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { tempFolders } from './sandbox-support.js';

// How a durable store that cannot be opened is reported to the code that opens it.

const folder = tempFolders('ll-open-errors-');

describe('a state file that cannot be used', () => {
  it('is refused with an error named StoreOpenError (what a log prints of it), the file named', async () => {
    const path = join(folder(), 'state.json');
    writeFileSync(path, 'not json at all');
    const opening = DurableApp.open(new FileStore(path), {}, () => undefined);
    await expect(opening).rejects.toMatchObject({ name: 'StoreOpenError' });
    await expect(opening).rejects.toThrow(path);
  });
});
