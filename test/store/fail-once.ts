import type { FileStore } from '../../mock/store/file-store.js';
import {
  type OperationStore,
  type Section,
  type StoreContents,
  type StoreSnapshot,
  StoreWriteError,
} from '../../mock/store/types.js';

/** A file store whose next commit fails after writing (as an fsync error would), once. */
export class FailOnce implements OperationStore {
  failNext = false;
  constructor(readonly inner: FileStore) {}
  get location(): string {
    return this.inner.location;
  }
  get failed(): boolean {
    return this.inner.failed;
  }
  get recordsSinceSnapshot(): number {
    return this.inner.recordsSinceSnapshot;
  }
  open(): Promise<StoreContents> {
    return this.inner.open();
  }
  commit<T>(section: Section<T>): Promise<T> {
    if (!this.failNext) return this.inner.commit(section);
    this.failNext = false;
    return this.inner.commit(section).then(() => {
      throw new StoreWriteError('injected: the disk refused the write');
    });
  }
  compact(snapshot: StoreSnapshot): Promise<void> {
    return this.inner.compact(snapshot);
  }
  reload(): Promise<StoreContents> {
    return this.inner.reload();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
