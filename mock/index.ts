/**
 * `ledgerline/mock`: the reference server. Every family of openapi.yaml on one exact ledger, as an
 * in-process `fetch`, MSW handlers (`setupServer` / `setupWorker`) or a standalone `node:http` server.
 *
 * Start with {@link createMockFetch} (in-process, nothing else to install), {@link createHandlers}
 * (MSW, an optional peer) or {@link createMockServer} (HTTP). In a browser bundle, import
 * `ledgerline/mock/browser` instead: the same without the `node:http` server.
 *
 * @module ledgerline/mock
 */

// The registry: define a family, serve it beside the built-in ones (docs/architecture.md)
export type { JsonSchema, OperationSchema } from '../generated/operations.js';
// The server without transport: state, reset, snapshots
export { MockApp, type MockAppOptions } from './app.js';
// The built-in families' assets, for a standalone ledger
export { BUILTIN_ASSETS } from './families/index.js';
export { defineFamily } from './family-kit/define-family.js';
export {
  describeFields,
  ERROR_CODE,
  ERROR_STATUS,
  type ErrorShapes,
  type FieldErrors,
  type IdempotencyErrorKind,
  type InputPart,
  type ServerErrorKind,
  type TransportErrorKind,
} from './family-kit/errors.js';
export {
  type AuthInput,
  type AuthResult,
  type BoundCaller,
  type CreatedSandbox,
  type Defined,
  type EmptyInput,
  type FamilyApi,
  type FamilyDefinition,
  type FamilyModule,
  type IdempotencyRule,
  type JsonContent,
  type LooseTypes,
  type OperationContext,
  type OperationHandler,
  type OperationTypes,
  type RunInput,
  type SandboxControls,
  type SandboxInfo,
  SeedError,
  type ServerControls,
  type SpecApi,
  type SpecContext,
  type SpecTypes,
} from './family-kit/family.js';
export type { Maybe, MockRequest, MockResponse, Outcome } from './family-kit/types.js';
// In-process: a fetch answered by the reference server
export { type CreateMockFetchOptions, createMockFetch, type MockFetch } from './fetch.js';
// The ledger engine
export {
  type Account,
  type AccountIdentifier,
  type AccountKind,
  AmountError,
  type AmountErrorCode,
  type AssetDefinition,
  assertInvariants,
  type BalanceChange,
  Clock,
  type ClockMode,
  type ClockOptions,
  type ClockState,
  type CommitInput,
  type CommitResult,
  checkInvariants,
  DEFAULT_ANONYMOUS_KEYS,
  DEFAULT_KEYS_PER_SCOPE,
  type Family,
  type FamilyAsset,
  formatAmount,
  type IdempotencyOptions,
  type IdempotencyRecordState,
  type IdentifierKind,
  type InvariantViolation,
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  type JsonObject,
  type JsonValue,
  Ledger,
  LedgerError,
  type LedgerErrorCode,
  type LedgerErrorDetails,
  type LedgerOptions,
  type LedgerSnapshot,
  type MonthBoundaryListener,
  type OpenAccountInput,
  type ParseAmountOptions,
  type Posting,
  parseAmount,
  type SnapshotAccount,
  type SnapshotEntry,
  type SnapshotPosting,
  type StoredResponse,
} from './ledger/index.js';
// In-process: MSW handlers (msw loaded on the first call)
export { type CreateHandlersOptions, createHandlers, DEFAULT_ORIGINS, type MockHandlers } from './msw.js';
export { FamilyRegistry, REFERENCE_ORIGIN } from './registry/registry.js';
export type { Route, RouteMatch, Router } from './registry/router.js';
export {
  DEFAULT_MAX_SANDBOXES,
  DEFAULT_SANDBOX_IDLE_MS,
  type SandboxAccess,
  SandboxLimitError,
  type SandboxOptions,
  SandboxRegistry,
} from './registry/sandboxes.js';
export type { World } from './registry/world.js';
// Seeds
export { demoSeed, loadSeed, type SeedIssue, SeedIssues } from './seed.js';
export type { Seed, SeedSection } from './seed-types.js';
// Standalone: node:http server (also the `ledgerline-mock` CLI)
export {
  createMockServer,
  type MockServer,
  type MockServerOptions,
  type RequestLogEntry,
} from './server/node-server.js';
// Faults
export type { Fault, FaultKind, FaultSpec } from './services/faults.js';
export type { InvariantReport } from './services/invariant-report.js';
export type { RequestHar } from './services/request-har.js';
export {
  DEFAULT_REQUEST_JOURNAL_BODY_CHARS,
  DEFAULT_REQUEST_JOURNAL_BYTES,
  DEFAULT_REQUEST_JOURNAL_SIZE,
  RequestJournal,
  type RequestJournalLimits,
  type RequestPage,
  type RequestQuery,
  type RequestRecord,
  type RequestRecordInput,
} from './services/request-journal.js';
export type { Exchange, ExchangeObserver, OperationGate } from './steps/pipeline.js';
export { type CommitSection, type RequestArrival, RequestContext } from './steps/request-context.js';
// Durable stores: `createMockServer({ store: new PostgresStore(url) })` for replicas on one database
export { PostgresStore } from './store/postgres-store.js';
export type {
  NewOperationRecord,
  OperationRecord,
  OperationStore,
  Section,
  SectionContext,
  StoreContents,
  StoreSnapshot,
  WorldId,
  WorldSnapshot,
} from './store/types.js';
export { MAIN_WORLD } from './store/types.js';
