import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { Clock } from '../../mock/ledger/clock.js';
import { type CallResult, call, demoApp } from '../mock/support.js';

// docs/fidelity.md cannot drift: every table row whose status is "implemented" names a check
// (`check:<id>`), and the "Row checks" block of that page says, per check, the documented request
// and the answer fields the row quotes. This test sends each request to the reference server (demo
// seed) and compares the answer with the row: a quoted value must be in the row's text and in the
// answer, a typed field's name in the row and its type in the answer. Adding a family's rows needs
// no code here, only entries in that block.

const PAGE = readFileSync(new URL('../../docs/fidelity.md', import.meta.url), 'utf8');

interface Step {
  readonly method: string;
  readonly path: string;
  readonly bearer?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly json?: unknown;
  /** Answer fields saved as variables for later steps: `{{name}}` in a bearer, header or body. */
  readonly save?: Record<string, string>;
}

interface Check {
  readonly id: string;
  /** The mock clock to start at (ISO-8601); the demo seed's own clock otherwise. */
  readonly clock?: string;
  readonly steps?: readonly Step[];
  readonly request: Step;
  readonly status: number;
  /** Answer path (`data.0.cf`, `headers.allow`) -> the value the row quotes. */
  readonly quoted?: Record<string, unknown>;
  /** Answer path -> `array`, `object`, `number`, `string`, `boolean` or `null`. */
  readonly types?: Record<string, string>;
}

function rows(): { readonly text: string; readonly status: string }[] {
  return PAGE.split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1);
      return { text: line, status: (cells[cells.length - 1] ?? '').trim() };
    });
}

function checks(): Map<string, Check> {
  const block = /```json fidelity-checks\n([\s\S]*?)\n```/.exec(PAGE);
  if (block?.[1] === undefined) throw new Error('docs/fidelity.md has no ```json fidelity-checks block');
  const list = JSON.parse(block[1]) as Check[];
  return new Map(list.map((check) => [check.id, check]));
}

const at = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
      value,
    );

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

function fill<T>(value: T, vars: Record<string, string>): T {
  return JSON.parse(
    JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? ''),
  ) as T;
}

async function send(app: MockApp, step: Step, vars: Record<string, string>): Promise<CallResult> {
  const { method, path, bearer, headers, query, json } = fill(step, vars);
  const res = await call(app, method, path, {
    ...(bearer === undefined ? {} : { bearer }),
    ...(headers === undefined ? {} : { headers }),
    ...(query === undefined ? {} : { query }),
    ...(json === undefined ? {} : { json }),
  });
  for (const [name, path] of Object.entries(step.save ?? {})) vars[name] = String(at(res.body, path));
  return res;
}

/** How a quoted value reads in a row: a string as itself, anything else as JSON. */
const quote = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const implemented = rows().filter((row) => row.status.startsWith('implemented'));
const all = checks();

describe('docs/fidelity.md rows marked "implemented"', () => {
  it('each name a check of the "Row checks" block', () => {
    expect(implemented.length).toBeGreaterThan(20);
    const missing = implemented
      .filter((row) => {
        const id = /check:([\w-]+)/.exec(row.status)?.[1];
        return id === undefined || !all.has(id);
      })
      .map((row) => row.text.slice(0, 80));
    expect(missing).toEqual([]);
  });

  for (const row of implemented) {
    const id = /check:([\w-]+)/.exec(row.status)?.[1];
    const check = id === undefined ? undefined : all.get(id);
    if (check === undefined) continue;
    it(`${check.id}: ${check.request.method} ${check.request.path}`, async () => {
      const app =
        check.clock === undefined ? demoApp() : new MockApp({ clock: Clock.controlled(check.clock) });
      const vars: Record<string, string> = {};
      for (const step of check.steps ?? []) {
        // A set-up step that was refused would leave the check passing or failing for another reason.
        const done = await send(app, step, vars);
        expect(done.status, `set-up ${step.method} ${step.path}: ${JSON.stringify(done.body)}`).toBeLessThan(
          400,
        );
      }
      const res = await send(app, check.request, vars);
      const answer = {
        ...(typeof res.body === 'object' && res.body !== null ? res.body : {}),
        headers: res.headers,
      };
      expect(res.status, JSON.stringify(res.body)).toBe(check.status);
      for (const [path, value] of Object.entries(check.quoted ?? {})) {
        expect(row.text, `the row quotes ${path}`).toContain(quote(value));
        expect(at(answer, path), `answer ${path}`).toEqual(value);
      }
      for (const [path, type] of Object.entries(check.types ?? {})) {
        const key =
          path
            .split('.')
            .filter((part) => !/^\d+$/.test(part))
            .pop() ?? path;
        if (path !== 'data')
          expect(row.text.toLowerCase(), `the row names ${key}`).toContain(key.toLowerCase());
        expect(typeOf(at(answer, path)), `answer ${path}`).toBe(type);
      }
    });
  }
});
