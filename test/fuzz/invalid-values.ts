import fc from 'fast-check';
import { defs, type JsonSchema } from '../../generated/operations.js';
import { RawNumber } from './support.js';

// Values that break one property's schema in openapi.yaml, derived from the schema itself so every
// operation is covered: wrong types, zero, negative, huge, 1e309, NaN-like strings, too many
// decimals, too short and too long (unicode) strings, bad formats, unknown enum values.

export interface PropertySchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
}

/** Follows `$ref`s into the spec's component schemas. */
export function resolve(schema: JsonSchema | null | undefined): PropertySchema {
  let current: JsonSchema | undefined = schema ?? undefined;
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++)
    current = defs[current.$ref.split('/').pop() ?? ''];
  return (current ?? {}) as PropertySchema;
}

function typesOf(schema: PropertySchema): Set<string> {
  if (schema.oneOf) return new Set(schema.oneOf.flatMap((branch) => [...typesOf(resolve(branch))]));
  if (schema.type === undefined) return new Set(schema.enum ? ['string'] : []);
  return new Set(typeof schema.type === 'string' ? [schema.type] : schema.type);
}

/** Strings that look like numbers to a lenient parser but are not JSON numbers. */
export const NAN_LIKE = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x10',
  '1_000',
  '1,5',
  ' 1 ',
  '١٢٣',
  '',
  '-0',
  '+1',
  '1e2',
  'null',
  'true',
];

const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NAN_LIKE),
);
const anyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(new RawNumber('1e309'), new RawNumber('-1e309'), 0, -1),
);
const anyArray = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
const anyObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });

/** Values of every JSON type the schema does not allow. */
function wrongTypes(types: Set<string>): fc.Arbitrary<unknown>[] {
  const numeric = types.has('number') || types.has('integer');
  const out: fc.Arbitrary<unknown>[] = [];
  if (!numeric) out.push(anyNumber);
  if (!types.has('string')) out.push(anyString);
  if (!types.has('boolean')) out.push(fc.boolean());
  if (!types.has('null')) out.push(fc.constant(null));
  if (!types.has('array')) out.push(anyArray);
  if (!types.has('object')) out.push(anyObject);
  return out;
}

/** Numbers outside the bounds, off the `multipleOf` grid, or not integers. */
function badNumbers(schema: PropertySchema, integer: boolean): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(new RawNumber('1e309'), new RawNumber('-1e309'), new RawNumber('-1e400000')),
  ];
  const step = integer ? 1 : (schema.multipleOf ?? 0.01);
  const { minimum, maximum, exclusiveMinimum } = schema;
  if (exclusiveMinimum !== undefined)
    out.push(
      fc.constantFrom(exclusiveMinimum, -exclusiveMinimum, new RawNumber('1e-400'), new RawNumber('-0')),
      fc.integer({ min: -1_000_000_000, max: Math.floor(exclusiveMinimum) }),
    );
  if (minimum !== undefined) {
    out.push(fc.constantFrom(minimum - step, -Math.abs(minimum) - step, -1_000_000));
    if (minimum > 0) out.push(fc.constantFrom(0, new RawNumber('-0'), new RawNumber('1e-400')));
    out.push(fc.integer({ min: -2_147_483_648, max: Math.ceil(minimum) - 1 }));
  }
  if (maximum !== undefined)
    out.push(
      fc.constantFrom(
        maximum + step,
        maximum * 10,
        Number.MAX_SAFE_INTEGER,
        1e300,
        new RawNumber('9007199254740993'),
      ),
      fc.double({ min: maximum + 1, max: 1e308, noNaN: true }),
    );
  const low = Math.max(minimum ?? 0, exclusiveMinimum ?? 0, 1);
  if (integer) out.push(fc.constantFrom(low + 0.5, low + 1e-7, new RawNumber(`${low}.000001`)));
  else if (schema.multipleOf !== undefined) {
    const decimals = Math.round(-Math.log10(schema.multipleOf));
    // One more decimal than allowed, a non-zero last digit, inside the bounds.
    out.push(
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: decimals + 1, max: decimals + 6 }))
        .map(([digit, places]) => new RawNumber(`${low}.${'0'.repeat(places - 1)}${digit}`)),
    );
  }
  return out;
}

const ASTRAL = '😀';
const BAD_FORMATS: Record<string, readonly string[]> = {
  email: [
    'plainaddress',
    '@example.com',
    'user@',
    'a b@example.com',
    'user@@example.com',
    '<>@x',
    'ünï cödé',
  ],
  date: ['not-a-date', '2025-13-01', '20250601', '01/06/2025', '2025-6-1', 'yesterday'],
  'date-time': ['yesterday', '2025-06-01', '2025-06-01T25:00:00Z', '2025-06-01 12:00', '1717243200', 'now'],
};

/** Strings too short, too long (also in astral characters), in a bad format or off the pattern. */
function badStrings(schema: PropertySchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (schema.minLength !== undefined && schema.minLength > 0)
    out.push(fc.constant('x'.repeat(schema.minLength - 1)));
  if (schema.maxLength !== undefined) {
    const max = schema.maxLength;
    out.push(
      fc.integer({ min: max + 1, max: max + 200 }).map((n) => 'x'.repeat(n)),
      fc.integer({ min: max + 1, max: max + 50 }).map((n) => ASTRAL.repeat(n)),
    );
  }
  const formats = schema.format ? BAD_FORMATS[schema.format] : undefined;
  if (formats) out.push(fc.constantFrom(...formats));
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    out.push(anyString.filter((s) => typeof s === 'string' && !pattern.test(s)));
  }
  if (schema.enum) {
    const allowed = new Set(schema.enum);
    const variants = schema.enum.flatMap((v) =>
      typeof v === 'string' ? [v.toUpperCase(), ` ${v}`, `${v}\u0000`] : [],
    );
    out.push(
      fc.constantFrom(...variants).filter((v) => !allowed.has(v)),
      anyString.filter((v) => !allowed.has(v)),
    );
  }
  return out;
}

/** Any value that one property with this schema must refuse. */
export function invalidValue(schema: PropertySchema): fc.Arbitrary<unknown> {
  const types = typesOf(schema);
  const out = wrongTypes(types);
  if (schema.enum && !types.has('string')) out.push(anyString.filter((v) => !schema.enum?.includes(v)));
  if (types.has('integer')) out.push(...badNumbers(schema, true));
  else if (types.has('number') && !schema.oneOf) out.push(...badNumbers(schema, false));
  if (types.has('string') && !schema.oneOf) out.push(...badStrings(schema));
  return fc.oneof(...out);
}
