import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import type { MockServer } from '../../mock/index.js';
import { validateResponse } from '../../src/validate/index.js';
import { type FuzzCase, fuzzCases } from './cases.js';
import { books, send, startFuzzServer } from './support.js';

// Inputs nobody planned for, against every operation of the standalone server over real HTTP.
// Each case breaks one thing of a valid request (see cases.ts); every answer must be a 4xx in the
// family's documented shape (or credit send's documented 501 refusal), valid against openapi.yaml,
// and the ledger must not change.
// FUZZ_RUNS sets the cases per operation (`npm run test:soak` runs many more).

// The inspector page (`GET /_mock/ui`) takes no body, query, parameter or credential: nothing to break.
const OPERATION_IDS = (Object.keys(operations) as OperationId[]).filter((id) => id !== 'mockInspector');
const RUNS = Number(process.env.FUZZ_RUNS ?? Math.ceil(5_200 / OPERATION_IDS.length));
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let server: MockServer;
let token = '';
let total = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  server = await startFuzzServer();
  const login = await send(server.url, {
    method: 'POST',
    path: '/user/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', secret: 's3cret-ada', ttl: '86400' }),
  });
  token = (login.json as { data: { token: string } }).data.token;
});

afterAll(async () => {
  await server?.close();
  const figures = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  console.log(`fuzz: ${total} cases over ${OPERATION_IDS.length} operations; answers ${figures.join(', ')}`);
});

async function check(operation: OperationId, fuzz: FuzzCase, before: string): Promise<void> {
  const answer = await send(server.url, fuzz.request);
  total += 1;
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  const context = `${operation}, ${fuzz.what}: ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  // Credit send refuses a bad argument with 501, its documented business refusal (the credits and
  // change-password pages), never a server fault; every other 5xx is one.
  if (answer.status === 501 && operations[operation].family === 'credit-send')
    return expectUnchanged(answer, operation, context, before);
  expect(answer.status, context).toBeLessThan(500);
  await expectUnchanged(answer, operation, context, before);
}

/** A refusal in the family's documented shape, valid against openapi.yaml, that changed nothing. */
async function expectUnchanged(
  answer: Awaited<ReturnType<typeof send>>,
  operation: OperationId,
  context: string,
  before: string,
): Promise<void> {
  expect(answer.contentType, context).toMatch(/^application\/(problem\+)?json/);
  expect(() => validateResponse(operation, answer.status, answer.json), context).not.toThrow();
  expect(await books(server), `${context}: the ledger changed`).toBe(before);
}

describe('every operation refuses broken input with a documented 4xx and changes nothing', () => {
  it('covers every operation of openapi.yaml', () => {
    // 33 + white-label login + reseller concurrency + 6 verification routes + white-label logout,
    // API keys (3), calls and the control route that records a call + clock, one fault, one sandbox
    // + the request journal as HAR
    expect(OPERATION_IDS.length).toBe(51);
  });

  for (const operation of OPERATION_IDS) {
    it(operation, async () => {
      const before = await books(server);
      await fc.assert(
        fc.asyncProperty(fuzzCases(operation, token), (fuzz) => check(operation, fuzz, before)),
        { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) },
      );
    }, 120_000);
  }
});
