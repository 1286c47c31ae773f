/**
 * `ledgerline/mock/browser`: the part of the reference server that runs in a browser, for MSW's
 * `setupWorker`. Everything of `ledgerline/mock` except the `node:http` server and its state file
 * (`createMockServer`), so a bundler never meets a Node-only module.
 *
 * @example
 * ```ts
 * import { createHandlers } from 'ledgerline/mock/browser';
 * import { setupWorker } from 'msw/browser';
 *
 * await setupWorker(...(await createHandlers()).handlers).start();
 * ```
 */

export { MockApp, type MockAppOptions } from './app.js';
export { defineFamily } from './family-kit/define-family.js';
export type { ErrorShapes } from './family-kit/errors.js';
export { type FamilyDefinition, type FamilyModule, SeedError } from './family-kit/family.js';
export { type CreateMockFetchOptions, createMockFetch, type MockFetch } from './fetch.js';
export { Clock, type ClockOptions, type LedgerSnapshot } from './ledger/index.js';
export { type CreateHandlersOptions, createHandlers, DEFAULT_ORIGINS, type MockHandlers } from './msw.js';
export { demoSeed, loadSeed, type SeedIssue, SeedIssues } from './seed.js';
export type { Seed } from './seed-types.js';
export type { Fault, FaultKind, FaultSpec } from './services/faults.js';
