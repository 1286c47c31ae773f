import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { defs, type OperationId, operations } from '../../generated/operations.js';
import {
  ADD_USER,
  CALCULATE,
  LOGS,
  ORGANIZATIONS,
  OTHER_KEY,
  post,
  REVERT,
  resellerApp,
  TRANSFER,
} from './reseller-support.js';
import { type CallResult, call } from './support.js';

// Every answer the family gives must match openapi.yaml (a Prism proxy run checks the same later):
// the documented status for the operation, and its schema (or the `default` error schema).
const ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 9 });
ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

function problems(operationId: OperationId, res: CallResult): string | null {
  const responses = operations[operationId].responses;
  const documented = responses[String(res.status)] ?? responses.default;
  if (!documented) return `${operationId}: status ${res.status} is not documented`;
  const validate = ajv.compile({ ...documented.schema, $defs: defs });
  return validate(res.body) ? null : `${operationId} ${res.status}: ${ajv.errorsText(validate.errors)}`;
}

describe('reseller answers match openapi.yaml', () => {
  it('for successes and every refusal of a long scenario', async () => {
    const app = resellerApp();
    const carol = { name: 'Carol', email: 'carol@x.example', phone: '1', password: 'password1' };
    const calls: [OperationId, Promise<CallResult>][] = [
      [
        'calculateCredits',
        post(app, CALCULATE, { minutes: 20, cost_per_min: 0.2, child_organization_id: 4002 }),
      ],
      [
        'calculateCredits',
        post(app, CALCULATE, { minutes: 10, is_revert: true, child_organization_id: 4002 }),
      ],
      ['calculateCredits', post(app, CALCULATE, { minutes: 10, is_revert: true })],
      ['calculateCredits', post(app, CALCULATE, { minutes: 1, cost_per_min: 0.01 })],
      ['calculateCredits', post(app, CALCULATE, { minutes: 1, child_organization_id: 5002 })],
      [
        'transferCreditsToChild',
        post(app, TRANSFER, { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 }),
      ],
      [
        'transferCreditsToChild',
        post(app, TRANSFER, { to_organization_id: 4002, minutes: 9999, cost_per_min: 0.2 }),
      ],
      [
        'transferCreditsToChild',
        post(app, TRANSFER, { to_organization_id: 5002, minutes: 1, cost_per_min: 0.2 }),
      ],
      ['transferCreditsToChild', post(app, TRANSFER, { minutes: 0 })],
      ['transferCreditsToChild', post(app, TRANSFER, {}, 'nobody')],
      ['revertCreditsFromChild', post(app, REVERT, { from_organization_id: 4002, minutes: 10 })],
      ['revertCreditsFromChild', post(app, REVERT, { from_organization_id: 4002, minutes: 9999 })],
      [
        'addResellerUser',
        post(app, ADD_USER, { ...carol, welcome_minutes_to_credit: 10, cost_per_min: 0.25 }),
      ],
      ['addResellerUser', post(app, ADD_USER, carol)],
      [
        'addResellerUser',
        post(app, ADD_USER, { ...carol, email: 'd@x.example', welcome_minutes_to_credit: 99999 }),
      ],
      ['addResellerUser', post(app, ADD_USER, carol, OTHER_KEY)],
      ['listResellerOrganizations', call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' })],
      ['listResellerOrganizations', call(app, 'GET', ORGANIZATIONS)],
      ['listCreditLogs', call(app, 'GET', LOGS, { bearer: 'rs_demo', query: { page_size: 2 } })],
      ['listCreditLogs', call(app, 'GET', LOGS, { bearer: 'rs_demo', query: { date_from: '2025-06-01' } })],
      ['listCreditLogs', call(app, 'GET', LOGS, { bearer: 'rs_demo', query: { page: 0 } })],
    ];
    const found: string[] = [];
    for (const [operationId, pending] of calls) {
      const problem = problems(operationId, await pending);
      if (problem) found.push(problem);
    }
    expect(found).toEqual([]);
  });
});
