import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '../../mock/store/file-store.js';

/**
 * What a restart finds in the file store folder `dir` as it is now, read from a copy made in the
 * empty folder `copy` (the store itself stays open).
 */
export async function contentsOf(dir: string, copy: string) {
  cpSync(dir, copy, { recursive: true });
  const store = new FileStore(join(copy, 'state.json'));
  const contents = await store.open();
  await store.close();
  return contents;
}
