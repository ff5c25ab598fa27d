import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LaunchParamsInput,
  parseLaunchParams,
  type SignableParams,
  signLaunchParams,
  VkAuthError,
  type VkAuthErrorCode,
  verifyLaunchParams,
} from '../src/index.js';
import { TYPED_KEYS } from './typed-keys.js';

const SECRET = 'property-secret-Защищённый-ключ';
// maxAge 0: the generated params carry no vk_ts, and expiry has its own tests.
const OPTIONS = { secret: SECRET, maxAge: 0 };

// Generated "unknown" keys avoid the typed ones so that every extra value comes back as the same string.

const oneUnit = (unit: 'binary' | 'grapheme' | 'binary-ascii') => fc.string({ unit, minLength: 1, maxLength: 1 });

// The characters where encodings disagree or that carry meaning in a query, next to arbitrary code points.
const textUnit = fc.oneof(
  fc.constantFrom(' ', '!', "'", '(', ')', '*', '~', '%', '+', '&', '=', '#', '?', '.', '-', '_', '%20', '%E0'),
  fc.constantFrom('ж', 'Ё', 'щ', 'Я', '😀', '👍🏽', '👨‍👩‍👧', '\u00a0', '\t', '\u0000'),
  oneUnit('binary'),
  oneUnit('grapheme'),
  oneUnit('binary-ascii'),
);
const text = fc.string({ unit: textUnit, maxLength: 16 });
const positiveId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const unknownKey = text.map((rest) => `vk_${rest}`).filter((key) => !TYPED_KEYS.has(key));

interface Launch {
  readonly userId: number;
  readonly appId: number;
  readonly extra: Readonly<Record<string, string>>;
}

const launch: fc.Arbitrary<Launch> = fc.record({
  userId: positiveId,
  appId: positiveId,
  extra: fc.dictionary(unknownKey, text, { maxKeys: 5 }),
});

function signable({ userId, appId, extra }: Launch): SignableParams {
  return { ...extra, vk_user_id: userId, vk_app_id: appId };
}

function signOf(query: string): string {
  return query.slice(query.lastIndexOf('&sign=') + '&sign='.length);
}

/** What verification must return: the ids as numbers, every other key as the string that was signed. */
function expected(params: Launch, query: string): Record<string, unknown> {
  return { ...params.extra, vk_user_id: params.userId, vk_app_id: params.appId, sign: signOf(query) };
}

/** The query with the same sign but signed pairs taken from other params. */
async function withForeignPairs(params: SignableParams, sign: string): Promise<string> {
  const other = await signLaunchParams(params, 'another-secret');
  return `${other.slice(0, other.lastIndexOf('&sign='))}&sign=${sign}`;
}

async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

function expectCode(error: unknown, codes: readonly VkAuthErrorCode[]): void {
  expect(VkAuthError.is(error), String(error)).toBe(true);
  expect(codes).toContain((error as VkAuthError).code);
}

/** encodeURIComponent, or the text as it is when a lone surrogate gives it no UTF-8 form. */
function encodeIfWellFormed(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

// Typed, list and unknown values, with characters whose encodings differ.
const GENUINE = await signLaunchParams(
  {
    vk_user_id: 494075,
    vk_app_id: 6736218,
    vk_ts: 1700000000,
    vk_is_app_user: true,
    vk_access_token_settings: ['friends', 'photos'],
    vk_platform: 'mobile_web',
    vk_ref: 'feed Ж!*~',
    vk_experiment: '{"950":0}',
  },
  SECRET,
);

const utf8Base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
const utf8Base64Url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

describe('signLaunchParams → verifyLaunchParams round trip', () => {
  it('verifies what it signs and returns the signed values', async () => {
    await fc.assert(
      fc.asyncProperty(launch, async (params) => {
        const query = await signLaunchParams(signable(params), SECRET);
        expect(await verifyLaunchParams(query, OPTIONS)).toEqual(expected(params, query));
      }),
      { numRuns: 500 },
    );
  });

  it('verifies the same query in every form it travels in', async () => {
    await fc.assert(
      fc.asyncProperty(
        launch,
        fc.constantFrom('Bearer', 'bearer', 'VK', 'vk'),
        fc.boolean(),
        async (params, scheme, urlSafe) => {
          const query = await signLaunchParams(signable(params), SECRET);
          const url = `https://app.example/?${query}#frag`;
          const forms: LaunchParamsInput[] = [
            `Bearer ${query}`,
            `VK ${utf8Base64(`?${query}`)}`,
            `${scheme} ${utf8Base64(url)}`,
            urlSafe ? utf8Base64Url(url) : utf8Base64(url),
            new URLSearchParams(query),
          ];
          for (const form of forms) {
            expect(await verifyLaunchParams(form, OPTIONS)).toEqual(expected(params, query));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('tampering is refused', () => {
  it('refuses a changed value', async () => {
    const changed = launch.chain((params) =>
      fc.tuple(
        fc.constant(params),
        fc.oneof(
          positiveId.filter((id) => id !== params.userId).map((id) => ({ ...signable(params), vk_user_id: id })),
          positiveId.filter((id) => id !== params.appId).map((id) => ({ ...signable(params), vk_app_id: id })),
          ...Object.entries(params.extra).map(([key, value]) =>
            text.filter((other) => other !== value).map((other) => ({ ...signable(params), [key]: other })),
          ),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(changed, async ([params, tampered]) => {
        const sign = signOf(await signLaunchParams(signable(params), SECRET));
        const error = await refusal(verifyLaunchParams(await withForeignPairs(tampered, sign), OPTIONS));
        expectCode(error, ['SIGN_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a renamed key', async () => {
    const renamed = launch
      .filter((params) => Object.keys(params.extra).length > 0)
      .chain((params) =>
        fc.tuple(
          fc.constant(params),
          fc.constantFrom(...Object.keys(params.extra)),
          unknownKey.filter((key) => !(key in params.extra)),
        ),
      );
    await fc.assert(
      fc.asyncProperty(renamed, async ([params, from, to]) => {
        const sign = signOf(await signLaunchParams(signable(params), SECRET));
        const { [from]: value, ...rest } = params.extra;
        const tampered = { ...signable({ ...params, extra: rest }), [to]: value };
        const error = await refusal(verifyLaunchParams(await withForeignPairs(tampered, sign), OPTIONS));
        expectCode(error, ['SIGN_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an added vk_* pair, as a duplicate when the key is already there', async () => {
    await fc.assert(
      fc.asyncProperty(launch, unknownKey, text, fc.nat(), fc.nat(), async (params, newKey, value, pick, at) => {
        const query = await signLaunchParams(signable(params), SECRET);
        const keys = Object.keys(signable(params));
        const key = pick % 2 === 0 ? newKey : (keys[pick % keys.length] as string);
        const pairs = query.split('&');
        pairs.splice(at % (pairs.length + 1), 0, `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
        const error = await refusal(verifyLaunchParams(pairs.join('&'), OPTIONS));
        expectCode(error, keys.includes(key) ? ['DUPLICATE_PARAM'] : ['SIGN_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a removed vk_* pair', async () => {
    await fc.assert(
      fc.asyncProperty(launch, fc.nat(), async (params, pick) => {
        const query = await signLaunchParams(signable(params), SECRET);
        const pairs = query.split('&');
        const [removed] = pairs.splice(pick % (pairs.length - 1), 1); // never the trailing sign
        const error = await refusal(verifyLaunchParams(pairs.join('&'), OPTIONS));
        // Without an id there is nothing to check the sign for: those have their own codes.
        const code: VkAuthErrorCode = removed?.startsWith('vk_user_id=')
          ? 'USER_ID_MISSING'
          : removed?.startsWith('vk_app_id=')
            ? 'APP_ID_MISSING'
            : 'SIGN_INVALID';
        expectCode(error, [code]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a sign with one character changed', async () => {
    await fc.assert(
      fc.asyncProperty(launch, fc.nat({ max: 42 }), textUnit, async (params, index, replacement) => {
        const query = await signLaunchParams(signable(params), SECRET);
        const sign = signOf(query);
        fc.pre(sign[index] !== replacement);
        const forged = `${query.slice(0, -sign.length)}${sign.slice(0, index)}${replacement}${sign.slice(index + 1)}`;
        const error = await refusal(verifyLaunchParams(forged, OPTIONS));
        // `%` can break the escape; `&` or `#` right after `sign=` leaves it empty.
        expectCode(error, ['SIGN_INVALID', 'MALFORMED', 'SIGN_MISSING', 'DUPLICATE_PARAM']);
      }),
      { numRuns: 300 },
    );
  });

  it('still verifies with unsigned (non-vk_*) pairs added anywhere', async () => {
    const foreignKey = text.filter(
      (key) => !key.startsWith('vk_') && !['sign', '__proto__', 'constructor', 'prototype'].includes(key),
    );
    const foreignPair = fc.oneof(
      fc.constant('utm=1'),
      foreignKey.map((key) => encodeURIComponent(key)),
      fc.tuple(foreignKey, text).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        launch,
        fc.array(fc.tuple(foreignPair, fc.nat()), { minLength: 1, maxLength: 3 }),
        async (params, additions) => {
          const query = await signLaunchParams(signable(params), SECRET);
          const pairs = query.split('&');
          for (const [pair, at] of additions) pairs.splice(at % (pairs.length + 1), 0, pair);
          // Two generated pairs may share a key, which is refused whatever it is.
          const keys = additions.map(([pair]) => decodeURIComponent(pair.split('=')[0] as string));
          fc.pre(new Set(keys).size === keys.length);
          expect(await verifyLaunchParams(pairs.join('&'), OPTIONS)).toEqual(expected(params, query));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('hostile input only ever yields VkAuthError', () => {
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
  const anyString = fc.string({ unit: fc.oneof(textUnit, anyCodeUnit), maxLength: 64 });
  const fragments = fc.constantFrom(
    'vk_',
    'vk_user_id',
    'vk_app_id',
    'vk_ts',
    'vk_access_token_settings',
    '=',
    '&',
    '%',
    '%E0',
    '%C3%A9',
    '%2B',
    '%FF',
    '+',
    'sign=',
    'sign=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '?',
    '#',
    'Bearer ',
    'VK ',
    'https://app.example/',
    '1',
    '-1',
    '0',
    '99999999999999999',
    '__proto__',
    'constructor',
    'prototype',
    '[]',
    ' ',
  );
  const pieced = fc.array(fc.oneof(fragments, anyString), { maxLength: 12 }).map((parts) => parts.join(''));
  const strings = fc.oneof(
    anyString,
    fc.base64String(),
    pieced,
    pieced.map(utf8Base64),
    pieced.map((query) => `VK ${utf8Base64Url(query)}`),
    fc.tuple(pieced, fc.integer({ min: 1, max: 1000 })).map(([part, times]) => part.repeat(times)),
  );

  const hostileKey = fc.oneof(
    fc.constantFrom('vk_user_id', 'vk_app_id', 'vk_ts', 'vk_is_app_user', 'sign', '__proto__', 'constructor'),
    fc.constantFrom('prototype', 'vk_access_token_settings', 'toString', 'hasOwnProperty'),
    anyString,
  );
  const hostileValue = fc.oneof(fc.constantFrom('1', '0', '', 'x'), fc.jsonValue());
  // JSON.parse makes `__proto__` an own key, as a body parser would, instead of setting the prototype.
  const parsedJson = fc
    .array(fc.tuple(hostileKey, hostileValue), { maxLength: 6 })
    .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`))
    .chain((object: Record<string, unknown>) =>
      fc.constantFrom(object, { ...object, polluted: true }, { __proto__: { polluted: true }, ...object }),
    );
  const parsedPollution = fc.constantFrom(
    '{"__proto__":{"polluted":true},"vk_user_id":"1","vk_app_id":"1","sign":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"vk_user_id":["1","2"],"vk_app_id":"1"}',
  );
  // Pairs in the right shape with the ids present, so the input gets past parsing to the sign check.
  const numberish = fc.oneof(
    { weight: 4, arbitrary: positiveId.map(String) },
    fc.constantFrom('1', '01', '0', '-1', '1e3', '9007199254740993', ''),
  );
  const signish = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'AZaz09-_'), minLength: 43, maxLength: 43 }),
    fc.string({ unit: fc.constantFrom(...'AZaz09-_+/=%&'), minLength: 40, maxLength: 45 }),
  );
  const nearlyValid = fc
    .tuple(numberish, numberish, fc.array(fc.tuple(hostileKey, anyString), { maxLength: 4 }), signish, fc.boolean())
    .map(([user, app, more, sign, encode]) => {
      const part = (value: string) => (encode ? encodeIfWellFormed(value) : value);
      const pairs = more.map(([key, value]) => `${part(key)}=${part(value)}`);
      return [`vk_user_id=${user}`, `vk_app_id=${app}`, ...pairs, `sign=${sign}`].join('&');
    });
  const inputs: fc.Arbitrary<unknown> = fc.oneof(
    strings,
    nearlyValid,
    fc.object(),
    fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
    parsedJson,
    parsedPollution.map((json) => JSON.parse(json)),
    fc.dictionary(hostileKey, fc.oneof(anyString, fc.array(anyString, { maxLength: 2 }))),
    fc.array(fc.tuple(hostileKey, anyString), { maxLength: 6 }).map((entries) => new URLSearchParams(entries)),
    fc.double(),
    fc.integer(),
    fc.array(fc.anything(), { maxLength: 4 }),
    fc.constantFrom(null, undefined, true, false, 0n, Symbol('launch'), () => 'vk_user_id=1'),
  );

  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 3 }),
    insert: fc.oneof(fragments, anyString, fc.constantFrom('&', '%2', '%2c', '%2C', 'utm=1&', '\n')),
  });
  const edited = fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce((query, { at, remove, insert }) => {
      const i = at % (query.length + 1);
      return query.slice(0, i) + insert + query.slice(i + remove);
    }, GENUINE),
  );

  it('verifyLaunchParams rejects with a VkAuthError and never resolves', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        const error = await refusal(verifyLaunchParams(input as LaunchParamsInput, OPTIONS));
        expect(VkAuthError.is(error), String(error)).toBe(true);
      }),
      { numRuns: 2500 },
    );
  });

  it('verifyLaunchParams, given a genuine query with random edits, refuses it or returns exactly the genuine params', async () => {
    const genuine = await verifyLaunchParams(GENUINE, OPTIONS);
    await fc.assert(
      fc.asyncProperty(edited, async (input) => {
        const outcome = await verifyLaunchParams(input, OPTIONS).then(
          (params) => ({ params }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) expect(VkAuthError.is(outcome.error), String(outcome.error)).toBe(true);
        // An edit may only be harmless (a re-spelt escape, an unsigned pair, a URL around it), never change a value.
        else expect(outcome.params).toEqual(genuine);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseLaunchParams returns typed params or throws a VkAuthError', () => {
    fc.assert(
      fc.property(fc.oneof(inputs, edited), (input) => {
        let params: ReturnType<typeof parseLaunchParams>;
        try {
          params = parseLaunchParams(input as LaunchParamsInput);
        } catch (error) {
          expect(VkAuthError.is(error), String(error)).toBe(true);
          return;
        }
        expect(Number.isSafeInteger(params.vk_user_id) && params.vk_user_id > 0).toBe(true);
        expect(Number.isSafeInteger(params.vk_app_id) && params.vk_app_id > 0).toBe(true);
      }),
      { numRuns: 2500 },
    );
  });
});
