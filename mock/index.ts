/**
 * `ledgerline/mock`: the reference server. Every family of openapi.yaml on one exact ledger, as MSW
 * handlers (in-process, `setupServer` / `setupWorker`) or a standalone `node:http` server.
 */

// The server without transport: state, reset, snapshots
export { MockApp, type MockAppOptions } from './app.js';
// Faults
export type { Fault, FaultKind, FaultSpec } from './faults.js';
export { SeedError } from './http/family.js';
export type { MockRequest, MockResponse, Outcome } from './http/types.js';
// The ledger engine
export {
  type Account,
  AmountError,
  assertInvariants,
  Clock,
  checkInvariants,
  formatAmount,
  type InvariantViolation,
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  Ledger,
  LedgerError,
  type LedgerSnapshot,
  type Posting,
  parseAmount,
} from './ledger/index.js';
// In-process: MSW handlers
export { type CreateHandlersOptions, createHandlers, DEFAULT_ORIGINS, type MockHandlers } from './msw.js';
// Seeds
export { demoSeed, loadSeed, type SeedIssue, SeedIssues } from './seed.js';
export type { Seed } from './seed-types.js';
// Standalone: node:http server (also the `ledgerline-mock` CLI)
export {
  createMockServer,
  type MockServer,
  type MockServerOptions,
  type RequestLogEntry,
} from './server/node-server.js';
export type { World } from './world.js';
