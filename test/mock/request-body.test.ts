import { describe, expect, it } from 'vitest';
import { books, type CallResult, call, demoApp } from './support.js';

// How the reference server reads a request body before validating it: what it accepts as JSON, and
// the refusal (with what to fix) for a body it cannot read faithfully. Each refusal changes nothing.

const WL = 'wl_admin_demo';
const JSON_TYPE = { 'content-type': 'application/json' };

async function transfer(text: string, headers: Record<string, string> = JSON_TYPE): Promise<CallResult> {
  const app = demoApp();
  const before = books(app);
  const answer = await call(app, 'POST', '/api/white-label/transfer', { bearer: WL, text, headers });
  expect(books(app)).toEqual(before);
  return answer;
}

const IMPRECISE = 'which a JSON number cannot carry exactly (at most 15 significant digits).';

describe('a number a double cannot carry names the field it sits under', () => {
  it.each([
    ['an object inside an object', '{"meta":{"x":1.00000000000000001}}', 'x'],
    ['a list under a key', '{"meta":[1,1.00000000000000001]}', 'meta'],
    ['a list of lists under a key', '{"meta":{"a":{"b":[[1.00000000000000001]]}}}', 'b'],
    ['a list inside an object inside a list', '{"a":[{"b":[1.00000000000000001]}]}', 'b'],
    ['a key after closed lists', '{"a":[[1]],"n":[1.00000000000000001]}', 'n'],
    [
      'a key with an escaped quote and spaces before its colon',
      '{"a\\"]":"b\\"[","n" : 1.00000000000000001}',
      'n',
    ],
    ['a key after a string ending in a backslash', '{"n":"a\\\\","m":[1.00000000000000001]}', 'm'],
    ['a top-level list', '[1.00000000000000001]', 'body'],
    ['a top-level list, after an object', '[{"a":1},1.00000000000000001]', 'body'],
  ])('in %s', async (_, text, field) => {
    const answer = await transfer(text);
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual({
      [field]: [`The ${field} field is 1.00000000000000001, ${IMPRECISE}`],
    });
  });

  it.each([
    ['-1.00000000000000001'],
    ['0.10000000000000000001'],
    ['9.0000000000000000001'],
    ['10000000000000000001'],
    ['1.00000000000000001e2'],
    ['1.00000000000000001e-20'],
    ['1e400'],
  ])('refuses %s, quoted whole in the message', async (number) => {
    const answer = await transfer(`{"amount":${number}}`);
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual({ amount: [`The amount field is ${number}, ${IMPRECISE}`] });
  });

  it('reads numbers a double carries exactly in any notation, then validates the body', async () => {
    const answer = await transfer('{"meta":[1e2,0.001e5,1.0500e2,0e5,1e21,-2.5E+3]}');
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors).sort()).toEqual(['amount', 'operation', 'transfer_type']);
  });

  it('answers a malformed number as malformed JSON, not a server error', async () => {
    const answer = await transfer('{"amount":1.e5}');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/^The request body is not valid JSON: .+\.$/);
  });
});

describe('nesting depth', () => {
  const nested = (depth: number) =>
    `{"user_id":123,"extra":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  it('reads a body nested exactly 64 levels deep', async () => {
    const answer = await transfer(nested(64));
    expect(answer.status).toBe(422);
    expect(answer.body.errors.transfer_type).toBeDefined();
  });

  it('refuses a body nested 65 levels deep with a 400 saying to flatten it', async () => {
    const answer = await transfer(nested(65));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(
      'The request body is nested more than 64 levels deep; send a flatter body.',
    );
  });

  it('counts only open containers: many closed lists in a row are not deep', async () => {
    const answer = await transfer(`{"extra":[${'[],'.repeat(100)}[]]}`);
    expect(answer.status).toBe(422);
  });
});

describe('what is read as a JSON body', () => {
  const MISSING = ['amount', 'operation', 'transfer_type'];

  it.each([
    ['no content type', undefined, 'no content type'],
    ['text/plain', 'text/plain', '"text/plain"'],
  ])('refuses a body with %s with a 415 naming the content type to send', async (_, type, got) => {
    const answer = await transfer('{"user_id":123}', type === undefined ? {} : { 'content-type': type });
    expect(answer.status).toBe(415);
    expect(answer.body.error).toBe(`Send the body as JSON with Content-Type: application/json (got ${got}).`);
  });

  it.each([['Application/JSON; charset=utf-8'], ['application/vnd.api+json']])(
    'reads a body sent as %s as JSON',
    async (type) => {
      const answer = await transfer('{"user_id":123}', { 'content-type': type });
      expect(answer.status).toBe(422);
      expect(Object.keys(answer.body.errors).sort()).toEqual(MISSING);
    },
  );

  it('reads a blank body as an empty object, so each missing field is named', async () => {
    const answer = await transfer('  \n ');
    expect(answer.status).toBe(422);
    expect(answer.body.errors.amount).toEqual(['The amount field is required.']);
    expect(Object.keys(answer.body.errors).sort()).toEqual(MISSING);
  });

  it('reads a request with no body at all as an empty object', async () => {
    const app = demoApp();
    const answer = await call(app, 'POST', '/api/white-label/transfer', { bearer: WL });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors).sort()).toEqual(MISSING);
  });

  it('refuses text that is not JSON with a 400 saying why', async () => {
    const answer = await transfer('{"amount":');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('The request body is not valid JSON: Unexpected end of JSON input.');
  });

  it.each([['null'], ['"text"'], ['5'], ['[1]']])(
    'refuses the JSON value %s where an object goes',
    async (text) => {
      const answer = await transfer(text);
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual({ body: ['The body field must be a JSON object.'] });
    },
  );
});

describe('body size', () => {
  // A body of exactly `bytes` UTF-8 bytes, padded with `pad` (a character of 1 or 2 bytes).
  const sized = (bytes: number, pad: string) => {
    const head = '{"user_id":123,"pad":"';
    const room = bytes - head.length - 2;
    const unit = new TextEncoder().encode(pad).length;
    return `${head}${pad.repeat(Math.floor(room / unit))}${'x'.repeat(room % unit)}"}`;
  };

  it.each([['x'], ['é']])('reads a body of exactly 64 KiB (padded with %s)', async (pad) => {
    const answer = await transfer(sized(65_536, pad));
    expect(answer.status).toBe(422);
  });

  it.each([['x'], ['é']])('refuses a body one byte over 64 KiB (padded with %s) with a 413', async (pad) => {
    const answer = await transfer(sized(65_537, pad));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe('The request body exceeds 65536 bytes; send a smaller one.');
  });
});
