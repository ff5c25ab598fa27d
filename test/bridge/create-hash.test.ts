import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHashCanonical } from '../../src/bridge/create-hash-canonical.js';
import {
  type CreateHashOptions,
  signCreateHash,
  VK_AUTH_ERROR_CODES,
  VkAuthError,
  type VkAuthErrorCode,
  verifyCreateHash,
} from '../../src/index.js';
import { rejection } from '../helpers.js';
import { bridgeVectors, createHashSign, createHashString } from './signers.js';

const SECRET = 'create-hash-secret-Защищённый-ключ';
const APP_ID = 6736218;
const USER_ID = 494075;
const TS = 1_764_460_800; // 2025-11-30T00:00:00Z
const now = () => TS * 1000;
const base = { secret: SECRET, appId: APP_ID, userId: USER_ID, now };

function signed(payload = 'order-42', ts: number | string = TS, fields: { appId?: number; userId?: number } = {}) {
  const input = { appId: fields.appId ?? APP_ID, userId: fields.userId ?? USER_ID, payload, ts };
  return { payload, ts, sign: createHashSign(input, SECRET) };
}

async function expectCode(promise: Promise<unknown>, code: VkAuthErrorCode) {
  const error = await rejection(promise);
  expect(VkAuthError.is(error), String(error)).toBe(true);
  expect((error as VkAuthError).code).toBe(code);
  expect((error as VkAuthError).status).toBe(401);
  expect((error as VkAuthError).message).not.toContain(SECRET);
}

describe('verifyCreateHash: the known-answer vectors', () => {
  it.each(bridgeVectors.createHash.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const data = { payload: vector.payload, ts: vector.ts, sign: vector.sign };
    const options = { secret: vector.secret, appId: vector.appId, userId: vector.userId, now: () => vector.ts * 1000 };
    if (vector.valid) {
      await expect(verifyCreateHash(data, options)).resolves.toEqual({ payload: vector.payload, ts: vector.ts });
      // ts as the digits a header carries.
      await expect(verifyCreateHash({ ...data, ts: String(vector.ts) }, options)).resolves.toEqual({
        payload: vector.payload,
        ts: vector.ts,
      });
    } else {
      await expectCode(verifyCreateHash(data, options), 'CREATE_HASH_INVALID');
    }
  });

  it('builds the canonical string the vector note gives, and that string carries the vector sign', () => {
    const [vector] = bridgeVectors.createHash;
    if (!vector) throw new Error('no createHash vector');
    const fields = { appId: vector.appId, userId: vector.userId, payload: vector.payload, ts: String(vector.ts) };
    const canonical = createHashCanonical(fields);
    expect(canonical.php).toBe(createHashString(vector));
    expect(vector.note).toContain(canonical.php);
    expect(createHashSign(vector, vector.secret)).toBe(vector.sign);
    // The note's wrong variants really give other signs: '%20' for the space, 'payload' as the key.
    expect(createHashSign(vector, vector.secret, encodeURIComponent)).not.toBe(vector.sign);
  });

  it('signCreateHash reproduces the vector', async () => {
    for (const vector of bridgeVectors.createHash.filter((v) => v.valid)) {
      const data = await signCreateHash(
        { payload: vector.payload, ts: vector.ts },
        { secret: vector.secret, appId: vector.appId, userId: vector.userId },
      );
      expect(data).toEqual({ payload: vector.payload, ts: vector.ts, sign: vector.sign });
    }
  });
});

describe('verifyCreateHash: freshness', () => {
  const old = (seconds: number) => ({ ...base, now: () => (TS + seconds) * 1000 });

  it('accepts a sign up to maxAge + clockSkew old (3600 + 30 by default), and refuses it a millisecond later', async () => {
    await expect(verifyCreateHash(signed(), old(3630))).resolves.toEqual({ payload: 'order-42', ts: TS });
    await expectCode(verifyCreateHash(signed(), { ...base, now: () => (TS + 3630) * 1000 + 1 }), 'CREATE_HASH_EXPIRED');
    await expectCode(verifyCreateHash(signed(), { ...old(400), maxAge: 300, clockSkew: 60 }), 'CREATE_HASH_EXPIRED');
    await expect(verifyCreateHash(signed(), { ...old(360), maxAge: 300, clockSkew: 60 })).resolves.toBeDefined();
  });

  it('says what to do about an expired sign: ask VK for a new hash', async () => {
    const error = (await rejection(verifyCreateHash(signed(), old(7200)))) as VkAuthError;
    expect(error.message).toMatch(/7200 s old.*VKWebAppCreateHash/);
  });

  it('refuses a ts further in the future than clockSkew with TS_IN_FUTURE', async () => {
    await expect(verifyCreateHash(signed(), old(-30))).resolves.toBeDefined();
    await expectCode(verifyCreateHash(signed(), old(-31)), 'TS_IN_FUTURE');
    await expectCode(verifyCreateHash(signed(), { ...old(-31), maxAge: 10 }), 'TS_IN_FUTURE');
  });

  it('maxAge: 0 turns the time checks off, but ts is still signed and required', async () => {
    await expect(verifyCreateHash(signed(), { ...old(10 ** 8), maxAge: 0 })).resolves.toBeDefined();
    await expect(verifyCreateHash(signed(), { ...old(-(10 ** 8)), maxAge: 0 })).resolves.toBeDefined();
    await expectCode(verifyCreateHash({ ...signed(), ts: TS + 1 }, { ...base, maxAge: 0 }), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash({ ...signed(), ts: undefined }, { ...base, maxAge: 0 }), 'CREATE_HASH_MISSING');
  });

  it('reads a ts above 10^12 as milliseconds, as for vk_ts', async () => {
    const ms = TS * 1000;
    await expect(verifyCreateHash(signed('p', ms), base)).resolves.toEqual({ payload: 'p', ts: ms });
    await expectCode(verifyCreateHash(signed('p', ms - 3631_000), base), 'CREATE_HASH_EXPIRED');
  });

  it('uses Date.now without a now option', async () => {
    const fresh = signed('p', Math.floor(Date.now() / 1000));
    await expect(verifyCreateHash(fresh, { secret: SECRET, appId: APP_ID, userId: USER_ID })).resolves.toBeDefined();
    const stale = signed('p', Math.floor(Date.now() / 1000) - 7200);
    await expectCode(
      verifyCreateHash(stale, { secret: SECRET, appId: APP_ID, userId: USER_ID }),
      'CREATE_HASH_EXPIRED',
    );
  });
});

describe('verifyCreateHash: what it refuses, and with which code', () => {
  it('CREATE_HASH_MISSING: no data, or no sign, ts or payload', async () => {
    for (const data of [undefined, null]) await expectCode(verifyCreateHash(data, base), 'CREATE_HASH_MISSING');
    const full = signed();
    for (const absent of [undefined, null, '']) {
      await expectCode(verifyCreateHash({ ...full, sign: absent as string }, base), 'CREATE_HASH_MISSING');
      await expectCode(verifyCreateHash({ ...full, ts: absent as string }, base), 'CREATE_HASH_MISSING');
    }
    for (const absent of [undefined, null]) {
      await expectCode(
        verifyCreateHash({ ...full, payload: absent as unknown as string }, base),
        'CREATE_HASH_MISSING',
      );
    }
    const error = (await rejection(verifyCreateHash({ payload: 'x' }, base))) as VkAuthError;
    expect(error.message).toContain('sign, ts');
  });

  it('CREATE_HASH_INVALID: a sign of the wrong shape, a ts that is not an integer, a payload that is not a string', async () => {
    const full = signed();
    const cases: Record<string, unknown>[] = [
      { sign: full.sign.slice(1) },
      { sign: `${full.sign}A` },
      { sign: `${full.sign.slice(1)}=` },
      { sign: `${full.sign.slice(1)}+` },
      { sign: 42 },
      { sign: [full.sign] },
      { ts: 1.5 },
      { ts: -1 },
      { ts: 2 ** 53 },
      { ts: Number.NaN },
      { ts: '1e9' },
      { ts: ' 1764460800' },
      { ts: '-1764460800' },
      { ts: '17644608001764460800' },
      { ts: {} },
      { payload: 42 },
      { payload: ['order-42'] },
      { payload: 'x'.repeat(8193) },
      { payload: 'half a pair \uD83D' },
    ];
    for (const change of cases) {
      await expectCode(verifyCreateHash({ ...full, ...change } as never, base), 'CREATE_HASH_INVALID');
    }
    for (const data of ['payload=x&ts=1&sign=y', 42, true]) {
      await expectCode(verifyCreateHash(data as never, base), 'CREATE_HASH_INVALID');
    }
  });

  it('accepts an empty payload and one of 8192 characters', async () => {
    await expect(verifyCreateHash(signed(''), base)).resolves.toEqual({ payload: '', ts: TS });
    const long = 'я'.repeat(8192);
    await expect(verifyCreateHash(signed(long), base)).resolves.toEqual({ payload: long, ts: TS });
  });

  it('CREATE_HASH_INVALID for a sign made for another user, another app, another payload or another ts', async () => {
    await expectCode(verifyCreateHash(signed('order-42', TS, { userId: USER_ID + 1 }), base), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash(signed('order-42', TS, { appId: APP_ID + 1 }), base), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash({ ...signed('order-42'), payload: 'order-43' }, base), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash({ ...signed(), ts: TS - 1 }, base), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash({ ...signed(), ts: `0${TS}` }, base), 'CREATE_HASH_INVALID');
    const other = createHashSign({ appId: APP_ID, userId: USER_ID, payload: 'order-42', ts: TS }, 'another-secret');
    await expectCode(verifyCreateHash({ ...signed(), sign: other }, base), 'CREATE_HASH_INVALID');
  });

  it('checks the ts signature before its age, so a forged ts learns nothing from the code', async () => {
    await expectCode(verifyCreateHash({ ...signed(), ts: TS - 10_000 }, base), 'CREATE_HASH_INVALID');
    await expectCode(verifyCreateHash({ ...signed(), ts: TS + 10_000 }, base), 'CREATE_HASH_INVALID');
  });

  it('accepts the encodeURIComponent form of the payload, as for launch params, and only when it differs', async () => {
    const payload = "it's (a) test ~ *";
    const input = { appId: APP_ID, userId: USER_ID, payload, ts: TS };
    const uri = createHashSign(input, SECRET, encodeURIComponent);
    expect(uri).not.toBe(createHashSign(input, SECRET));
    await expect(verifyCreateHash({ payload, ts: TS, sign: uri }, base)).resolves.toEqual({ payload, ts: TS });
  });

  it('compares ids as numbers: appId and userId may be given as their digits', async () => {
    await expect(
      verifyCreateHash(signed(), { ...base, appId: String(APP_ID), userId: String(USER_ID) }),
    ).resolves.toBeDefined();
  });
});

describe('verifyCreateHash: secrets', () => {
  it('tries every secret of a list (key rotation)', async () => {
    await expect(verifyCreateHash(signed(), { ...base, secret: ['new-secret', SECRET] })).resolves.toBeDefined();
    await expectCode(verifyCreateHash(signed(), { ...base, secret: ['new-secret', 'older'] }), 'CREATE_HASH_INVALID');
  });

  it('picks the secret by appId from a per-app map, UNKNOWN_APP for an app without one', async () => {
    const secret = { [APP_ID]: SECRET, 7: 'another' };
    await expect(verifyCreateHash(signed(), { ...base, secret })).resolves.toBeDefined();
    await expectCode(
      verifyCreateHash(signed(), { ...base, secret: { [APP_ID]: 'another', 7: SECRET } }),
      'CREATE_HASH_INVALID',
    );
    await expectCode(verifyCreateHash(signed(), { ...base, secret: { 7: SECRET } }), 'UNKNOWN_APP');
  });
});

describe('verifyCreateHash: options', () => {
  const bad: [unknown, RegExp][] = [
    [undefined, /options are required/],
    [null, /options are required/],
    [{ appId: APP_ID, userId: USER_ID }, /options\.secret/],
    [{ ...base, secret: '' }, /options\.secret/],
    [{ ...base, secret: [] }, /options\.secret/],
    [{ ...base, appId: undefined }, /options\.appId/],
    [{ ...base, appId: 0 }, /options\.appId/],
    [{ ...base, appId: 'abc' }, /options\.appId/],
    [{ ...base, userId: undefined }, /options\.userId/],
    [{ ...base, userId: -5 }, /options\.userId/],
    [{ ...base, userId: 1.5 }, /options\.userId/],
    [{ ...base, maxAge: -1 }, /options\.maxAge/],
    [{ ...base, clockSkew: Number.NaN }, /options\.clockSkew/],
    [{ ...base, now: 5 }, /options\.now/],
  ];

  it.each(bad)('rejects (never throws) with a TypeError naming the option: %o', async (options, message) => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = verifyCreateHash(signed(), options as CreateHashOptions);
    }).not.toThrow();
    const error = await rejection(promise as Promise<unknown>);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('signCreateHash', () => {
  it('signs what verifyCreateHash accepts, ts defaulting to now', async () => {
    const before = Math.floor(Date.now() / 1000);
    const data = await signCreateHash({ payload: 'p' }, { secret: SECRET, appId: APP_ID, userId: USER_ID });
    expect(data.ts).toBeGreaterThanOrEqual(before);
    await expect(verifyCreateHash(data, { ...base, now: Date.now })).resolves.toEqual({ payload: 'p', ts: data.ts });
  });

  it('refuses bad input with a TypeError', async () => {
    const options = { secret: SECRET, appId: APP_ID, userId: USER_ID };
    await expect(signCreateHash({ payload: 'p' }, { ...options, secret: '' })).rejects.toThrow(TypeError);
    await expect(signCreateHash({ payload: 'p' }, { ...options, appId: 0 })).rejects.toThrow(/appId/);
    await expect(signCreateHash({ payload: 'p', ts: 1.5 }, options)).rejects.toThrow(/ts/);
    await expect(signCreateHash({ payload: 5 as never }, options)).rejects.toThrow(/payload/);
    await expect(signCreateHash({ payload: '\uDC00' }, options)).rejects.toThrow(/payload/);
    await expect(signCreateHash(null as never, options)).rejects.toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const textUnit = fc.oneof(
  fc.constantFrom(' ', '!', "'", '(', ')', '*', '~', '%', '+', '&', '=', '#', '?', '%20', 'ж', '😀', '\u0000'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
);
const payloadArb = fc.string({ unit: textUnit, maxLength: 24 });
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const tsArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 10 ** 12 + 1, max: 2 * 10 ** 12 }));
const secretArb = fc.string({ minLength: 1, maxLength: 20 });
const caseArb = fc.record({ payload: payloadArb, ts: tsArb, appId: id, userId: id, secret: secretArb });

const optionsFor = (c: { appId: number; userId: number; secret: string }) => ({
  secret: c.secret,
  appId: c.appId,
  userId: c.userId,
  maxAge: 0,
});

describe('verifyCreateHash: properties', () => {
  it('accepts what an independent node:crypto signer signs, as a number or as digits', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.boolean(), async (c, asText) => {
        const sign = createHashSign(c, c.secret);
        const ts = asText ? String(c.ts) : c.ts;
        const result = await verifyCreateHash({ payload: c.payload, ts, sign }, optionsFor(c));
        expect(result).toEqual({ payload: c.payload, ts: c.ts });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any change to the payload, ts, user, app or sign with CREATE_HASH_INVALID', async () => {
    const change = fc.oneof(
      fc.record({ field: fc.constant('payload' as const), value: payloadArb }),
      fc.record({ field: fc.constant('ts' as const), value: tsArb }),
      fc.record({ field: fc.constant('userId' as const), value: id }),
      fc.record({ field: fc.constant('appId' as const), value: id }),
      fc.record({ field: fc.constant('sign' as const), value: fc.tuple(fc.nat({ max: 42 }), fc.base64String()) }),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, change, async (c, { field, value }) => {
        const data = { payload: c.payload, ts: c.ts as number | string, sign: createHashSign(c, c.secret) };
        const options = optionsFor(c);
        if (field === 'sign') {
          const [at, text] = value as [number, string];
          const char = (text.replace(/[+/=]/g, '') || 'A')[0] as string;
          fc.pre(data.sign[at] !== char);
          data.sign = `${data.sign.slice(0, at)}${char}${data.sign.slice(at + 1)}`;
        } else if (field === 'payload' || field === 'ts') {
          fc.pre(data[field] !== value);
          Object.assign(data, { [field]: value });
        } else {
          fc.pre(options[field] !== value);
          Object.assign(options, { [field]: value });
        }
        await expectCode(verifyCreateHash(data, options), 'CREATE_HASH_INVALID');
      }),
      { numRuns: 300 },
    );
  });

  it('answers anything at all with a VkAuthError carrying a documented code, never another error', async () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.base64String({ minLength: 40, maxLength: 46 }), fc.integer());
    const data = fc.oneof(
      fc.anything(),
      fc.record({ payload: field, ts: field, sign: field }, { requiredKeys: [] }),
      fc.record({ payload: fc.string(), ts: fc.nat(), sign: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) }),
    );
    await fc.assert(
      fc.asyncProperty(data, async (value) => {
        const error = await rejection(verifyCreateHash(value as never, { ...base, maxAge: 0 }));
        expect(VkAuthError.is(error), String(error)).toBe(true);
        expect(VK_AUTH_ERROR_CODES).toContain((error as VkAuthError).code);
      }),
      { numRuns: 300 },
    );
  });
});
