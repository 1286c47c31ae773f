import { describe, expect, it } from 'vitest';
import { controlState, TARGETS, target } from './control-targets.js';

// Every /_mock body and query is closed: what the server does not understand is a 400 naming it
// (and the field most likely meant), never a 200 that quietly does something else.

describe.each(TARGETS)('the control API refuses input it does not understand (%s)', (kind) => {
  it('names an unknown fault field and the one meant, and adds nothing', async () => {
    const server = await target(kind);
    const before = await controlState(server);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ status: 503, time: 1 }, 'time', 'is not a field; did you mean "times"?'],
      [{ status: 503, retryAfter: 5 }, 'retryAfter', 'is not a field; did you mean "retryAfterSeconds"?'],
      [{ status: 503, probabilty: 0.5 }, 'probabilty', 'is not a field; did you mean "probability"?'],
    ];
    for (const [extra, path, message] of cases) {
      const refused = await server.send('POST', '/_mock/faults', {
        json: { path: '/api/v1/billing/wallet', kind: 'status', ...extra },
      });
      expect(refused.status, path).toBe(400);
      expect(refused.body.issues).toEqual([{ path, message }]);
      expect(refused.body.error).toContain(path);
    }
    expect(await controlState(server)).toEqual(before);
  });

  it('names a missing required field and a field of the wrong type', async () => {
    const server = await target(kind);
    const before = await controlState(server);
    const missing = await server.send('POST', '/_mock/faults', { json: { kind: 'status', status: 503 } });
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([{ path: 'path', message: 'is required' }]);
    const wrongType = await server.send('POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet', kind: 'status', status: '503' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues).toEqual([{ path: 'status', message: 'must be a number' }]);
    expect(await controlState(server)).toEqual(before);
  });

  it('refuses {"advance": 60} on the clock naming advanceSeconds, and leaves the clock', async () => {
    const server = await target(kind);
    const { now } = (await server.send('GET', '/_mock/clock')).body;
    const refused = await server.send('POST', '/_mock/clock', { json: { advance: 60 } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      { path: 'advance', message: 'is not a field; did you mean "advanceSeconds"?' },
    ]);
    expect((await server.send('GET', '/_mock/clock')).body).toEqual({ now });
    const moved = await server.send('POST', '/_mock/clock', { json: { advanceSeconds: 60 } });
    expect(moved.body.now).toBe(new Date(Date.parse(now) + 60_000).toISOString());
    expect((await server.send('GET', '/_mock/clock')).body).toEqual(moved.body);
  });

  it('refuses unknown query parameters instead of ignoring them, naming the one meant', async () => {
    const server = await target(kind);
    const method = await server.send('GET', '/_mock/requests?method=GET');
    expect(method.status).toBe(400);
    expect(method.body.issues).toEqual([
      { path: 'method', message: expect.stringMatching(/^is not a field; /) },
    ]);
    const opId = await server.send('GET', '/_mock/requests?opId=x');
    expect(opId.status).toBe(400);
    expect(opId.body.issues).toEqual([
      { path: 'opId', message: 'is not a field; did you mean "operationId"?' },
    ]);
    const state = await server.send('GET', '/_mock/state?famly=reseller');
    expect(state.status).toBe(400);
    expect(state.body.issues).toEqual([{ path: 'famly', message: 'is not a field' }]);
    expect(state.body.error).toMatch(/^Invalid query: famly/);
    const journal = await server.send('GET', '/_mock/journal?famly=reseller');
    expect(journal.body.issues).toEqual([
      { path: 'famly', message: 'is not a field; did you mean "family"?' },
    ]);
    const limit = await server.send('GET', '/_mock/journal?limit=lots');
    expect(limit.body.issues).toEqual([{ path: 'limit', message: 'must be a number' }]);
  });

  it('names families by their keys, and refuses a family tag naming the key meant', async () => {
    const server = await target(kind);
    const transfer = await server.send('POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
    });
    expect(transfer.status).toBe(200);
    const tag = await server.send('GET', '/_mock/journal?family=white-label');
    expect(tag.status).toBe(400);
    expect(tag.body.issues).toEqual([
      { path: 'family', message: 'must be one of "whiteLabel", "reseller", "creditSend", "billing"' },
    ]);
    const journal = await server.send('GET', '/_mock/journal?family=whiteLabel&limit=1');
    expect(journal.body.entries[0]).toMatchObject({
      family: 'whiteLabel',
      operationId: 'transferWhiteLabelBalance',
    });
    expect(journal.body.entries[0]).not.toHaveProperty('operation');
    const state = (await server.send('GET', '/_mock/state')).body;
    expect(new Set(state.accounts.map((account: { family: string }) => account.family))).toEqual(
      new Set(['whiteLabel', 'reseller', 'creditSend', 'billing']),
    );
    const requests = await server.send('GET', '/_mock/requests?family=whiteLabel');
    expect(requests.body.requests[0]).toMatchObject({ family: 'whiteLabel' });
    expect((await server.send('GET', '/_mock/requests?family=white-label')).status).toBe(400);
  });

  it('names an unknown usage field, and records no usage', async () => {
    const server = await target(kind);
    const before = await controlState(server);
    const refused = await server.send('POST', '/_mock/billing/usage', {
      json: { organizationId: 'org_demo', channel: 'chat', quantity: 1, tolFree: true },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      { path: 'tolFree', message: 'is not a field; did you mean "tollFree"?' },
    ]);
    expect(await controlState(server)).toEqual(before);
  });
});

describe('sandboxes are created from closed input', () => {
  it('refuses {"sed": {...}} naming seed and creates nothing; a label is kept and read back', async () => {
    const server = await target('HTTP');
    const refused = await server.send('POST', '/_mock/sandboxes', { json: { sed: {} } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'sed', message: 'is not a field; did you mean "seed"?' }]);
    expect((await server.send('GET', '/_mock/sandboxes')).body.sandboxes).toEqual([]);
    const long = await server.send('POST', '/_mock/sandboxes', { json: { label: 'x'.repeat(101) } });
    expect(long.status).toBe(400);
    expect(long.body.issues).toEqual([{ path: 'label', message: 'must be at most 100 characters long' }]);

    const made = await server.send('POST', '/_mock/sandboxes', { json: { label: 'checkout suite' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      label: 'checkout suite',
      baseUrl: expect.stringMatching(/\/_mock\/sandboxes\/sbx_/),
    });
    // The token is in the create's answer only.
    const { token, ...view } = made.body;
    expect(token).toMatch(/^sbt_[0-9a-f]{32}$/);
    const one = await server.send('GET', `/_mock/sandboxes/${made.body.id}`);
    expect(one).toMatchObject({ status: 200, body: view });
    expect(Object.keys(one.body)).toEqual(['id', 'baseUrl', 'label', 'expiresAt']);
    expect((await server.send('GET', '/_mock/sandboxes')).body.sandboxes).toEqual([view]);
    expect((await server.send('DELETE', `/_mock/sandboxes/${made.body.id}`)).status).toBe(204);
    const gone = await server.send('GET', `/_mock/sandboxes/${made.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatch(/No sandbox sbx_/);
  });

  it('does the same in-process', async () => {
    const server = await target('in-process');
    const refused = await server.send('POST', '/_mock/sandboxes', { json: { sed: {} } });
    expect(refused.body.issues).toEqual([{ path: 'sed', message: 'is not a field; did you mean "seed"?' }]);
    expect(server.app?.sandboxRegistry?.size).toBe(0);
    const made = await server.send('POST', '/_mock/sandboxes', { json: { label: 'unit' } });
    expect((await server.send('GET', `/_mock/sandboxes/${made.body.id}`)).body.label).toBe('unit');
  });
});
