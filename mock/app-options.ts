import type { FamilyModule } from './family-kit/family.js';
import type { Clock } from './ledger/clock.js';
import type { IdempotencyOptions } from './ledger/idempotency.js';
import type { LedgerSnapshot } from './ledger/snapshot.js';
import type { SandboxOptions } from './registry/sandboxes.js';
import type { ExchangeObserver, OperationGate } from './steps/pipeline.js';

/** Options of `MockApp` (mock/app.ts). */
export interface MockAppOptions {
  /** A seed object (docs/decisions.md, "The project contract", seed format); the demo seed when absent. */
  readonly seed?: unknown;
  /** A state written by `MockApp.snapshot`; wins over `seed`. */
  readonly snapshot?: LedgerSnapshot;
  /**
   * The clock; default a real one. Tests pass `Clock.controlled(...)`; `MockApp.reset` puts it
   * back to its mode and time of now.
   */
  readonly clock?: Clock;
  /** When set, every `/_mock` call needs header `x-mock-admin-token` with this value. */
  readonly adminToken?: string;
  /** Extra latency for every family request, in ms (CLI `--latency`). */
  readonly latencyMs?: number;
  /**
   * Random source for fault probabilities (tests pass a seeded one). A durable store records which
   * faults fired, not the draws, so it need not be replayable.
   */
  readonly random?: () => number;
  /** Called after anything that may have changed the state (the server persists then). */
  readonly onChange?: () => void;
  /**
   * More families to serve beside the built-in ones (defined with `defineFamily`): each brings its
   * routes, credentials, error shapes, state and handlers (docs/architecture.md, "Add a family").
   */
  readonly families?: readonly FamilyModule[];
  /** Called once per request with its outcome (a request journal, a log). */
  readonly onExchange?: ExchangeObserver;
  /** Sees every state-changing operation as it runs: how a durable store records them (mock/store). */
  readonly gate?: OperationGate;
  /** Requests the request journal's ring keeps (default 10,000; 0 records nothing; CLI `--request-journal`). */
  readonly requestJournalSize?: number;
  /**
   * Idempotency-Key quotas of every world (main and sandboxes): `maxRecordsPerScope` per credential
   * (CLI `--max-keys-per-credential`), `maxRecords` of all credentials, `maxAnonymousRecords` of
   * callers without a credential; defaults in docs/reference-server.md, "Limits of the server".
   */
  readonly idempotency?: Omit<IdempotencyOptions, 'ttlMs'>;
  /**
   * The request journal's memory bound, in counted bytes (default 16 MiB, `DEFAULT_REQUEST_JOURNAL_BYTES`;
   * CLI `--request-journal-mb`): every sandbox's journal has the same, its own.
   */
  readonly requestJournalBytes?: number;
  /** Cap and idle expiry of `POST /_mock/sandboxes`; `false` serves no sandboxes (a sandbox's own app). */
  readonly sandboxes?: SandboxOptions | false;
}
