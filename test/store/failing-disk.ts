import {
  type OperationStore,
  type Section,
  type SectionContext,
  type StoreContents,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
  type WorldId,
} from '../../mock/store/types.js';

/**
 * A file store behind a disk that can refuse writes. `failNext`: the next commit runs its section
 * but nothing of it reaches the disk (a rollback reads the state without it). `broken`: the store is
 * failed, commits and snapshots are refused until the test clears it. `snapshotsFail`: only
 * snapshots are refused. `pretendRecords` is added to the records the log holds since its snapshot.
 */
export class FailingDisk implements OperationStore {
  failNext = false;
  /** Whether the failure of `failNext` leaves the store failed (else it is a one-off). */
  staysBroken = false;
  broken = false;
  snapshotsFail = false;
  pretendRecords = 0;
  /** Snapshots the durable app asked for, written or not. */
  compactions = 0;
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
    return this.broken || this.inner.failed;
  }
  get recordsSinceSnapshot(): number {
    return this.inner.recordsSinceSnapshot + this.pretendRecords;
  }
  open(): Promise<StoreContents> {
    return this.inner.open();
  }
  commit<T>(section: Section<T>, worlds?: readonly WorldId[]): Promise<T> {
    if (this.broken) return Promise.reject(new StoreUnavailableError(`${this.location} is failed`));
    if (!this.failNext) return this.inner.commit(section, worlds);
    this.failNext = false;
    let seq = 0;
    // The section runs on the live state, but what it appends is lost with the failed write.
    const lost: SectionContext = {
      missed: [],
      append: () => {
        seq += 1;
        return seq;
      },
    };
    // Through the store's queue, as a real write: a commit sent meanwhile waits behind this one.
    return this.inner
      .commit(() => section(lost), worlds)
      .then(() => {
        this.broken = this.staysBroken;
        throw new StoreWriteError('injected: the disk refused the write');
      });
  }
  compact(snapshot: StoreSnapshot): Promise<void> {
    this.compactions += 1;
    if (this.broken || this.snapshotsFail)
      return Promise.reject(new StoreWriteError('injected: the disk refused the snapshot'));
    return this.inner.compact(snapshot);
  }
  reload(): Promise<StoreContents> {
    return this.inner.reload();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
