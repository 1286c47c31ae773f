import {
  type OperationStore,
  type Section,
  type StoreContents,
  type StoreSnapshot,
  StoreWriteError,
  type WorldId,
} from '../../mock/store/types.js';

/** A store whose next commit fails after writing (as an fsync error would), once. */
export class FailOnce implements OperationStore {
  failNext = false;
  constructor(readonly inner: OperationStore) {}
  get location(): string {
    return this.inner.location;
  }
  get shared(): boolean {
    return this.inner.shared === true;
  }
  get partitioned(): boolean {
    return this.inner.partitioned === true;
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
  commit<T>(section: Section<T>, worlds?: readonly WorldId[]): Promise<T> {
    if (!this.failNext) return this.inner.commit(section, worlds);
    this.failNext = false;
    return this.inner.commit(section, worlds).then(() => {
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
