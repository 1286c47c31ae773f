import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type OperationId, operations } from '../../generated/operations.js';
import type { MockApp } from '../../mock/app.js';
import { call, demoApp } from '../mock/support.js';
import { specIssues } from '../mock/white-label-support.js';

// Every request example of a control (`mock-admin`) operation in openapi.yaml is sent to a fresh
// reference server: it must be accepted with one of the operation's documented success statuses, and
// the answer must match the operation's documented response. An example the server refuses is a
// documentation bug a reader would copy.

type Node = Record<string, unknown>;
const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Node;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

interface Case {
  readonly operationId: OperationId;
  readonly method: string;
  readonly path: string;
  readonly example: string;
  readonly body: unknown;
  readonly success: readonly number[];
}

function controlCases(): Case[] {
  const cases: Case[] = [];
  for (const [path, item] of Object.entries(spec.paths as Node)) {
    if (!isNode(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isNode(operation) || !Array.isArray(operation.tags) || operation.tags[0] !== 'mock-admin')
        continue;
      const success = Object.keys(operation.responses as Node)
        .filter((status) => /^2\d\d$/.test(status))
        .map(Number);
      const body = isNode(operation.requestBody) ? operation.requestBody : undefined;
      const content = body && isNode(body.content) ? body.content['application/json'] : undefined;
      const examples = isNode(content) && isNode(content.examples) ? content.examples : {};
      const named = Object.entries(examples).map(([name, example]) => [
        name,
        isNode(example) ? example.value : undefined,
      ]);
      for (const [name, value] of named.length > 0 ? named : [['no body', undefined]])
        cases.push({
          operationId: operation.operationId as OperationId,
          method: method.toUpperCase(),
          path,
          example: String(name),
          body: value,
          success,
        });
    }
  }
  return cases;
}

/** The path with its parameters filled by things that exist in `app`: a fault, a sandbox, a pending top-up. */
async function concretePath(app: MockApp, path: string): Promise<string> {
  let concrete = path;
  if (concrete.includes('{faultId}'))
    concrete = concrete.replace('{faultId}', app.faults.add({ path: '/nowhere', kind: 'reset' }).id);
  if (concrete.includes('{sandboxId}')) {
    const made = await call(app, 'POST', '/_mock/sandboxes', { json: {} });
    concrete = concrete.replace('{sandboxId}', made.body.id);
  }
  if (concrete.includes('{paymentId}')) {
    const topUp = await call(app, 'POST', '/api/v1/billing/wallet/topup', {
      bearer: 'flowyte_session_manual',
      json: { amountUsd: 25 },
    });
    concrete = concrete.replace('{paymentId}', topUp.body.data.paymentId);
  }
  return concrete;
}

const cases = controlCases();

describe('the control API examples of openapi.yaml', () => {
  it('cover every control operation', () => {
    const control = Object.entries(operations).filter(([, operation]) => operation.family === 'mock-admin');
    expect(new Set(cases.map((c) => c.operationId))).toEqual(new Set(control.map(([id]) => id)));
  });

  it.each(cases.filter((c) => c.operationId !== 'mockInspector'))(
    '$operationId ($method $path): $example is accepted as documented',
    async ({ operationId, method, path, body, success }) => {
      const app = demoApp();
      const answer = await call(
        app,
        method,
        await concretePath(app, path),
        body === undefined ? {} : { json: body },
      );
      expect(success, JSON.stringify(answer.body)).toContain(answer.status);
      if (answer.status === 204) expect(answer.body).toBeUndefined();
      else expect(specIssues(operationId, answer)).toEqual([]);
    },
  );
});
