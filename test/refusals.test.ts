import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, VkAuthError, type VkAuthErrorCode, verifyLaunchParams } from '../src/index.js';
import { launch, NOW_MS, NOW_S, now, rejection, SECRET } from './helpers.js';

const options = { secret: SECRET, now };

async function refusalCode(input: unknown, opts: Parameters<typeof verifyLaunchParams>[1] = options) {
  const error = await rejection(verifyLaunchParams(input as string, opts));
  expect(VkAuthError.is(error)).toBe(true);
  const authError = error as VkAuthError;
  expect(authError.status).toBe(401);
  expect(authError.message).not.toContain(SECRET);
  return authError.code as VkAuthErrorCode;
}

/** A query signed by hand, for shapes signLaunchParams would never produce. */
function handSigned(canonical: string, extra = '', secret = SECRET) {
  const sign = createHmac('sha256', secret).update(canonical).digest('base64url');
  return `${canonical}${extra}&sign=${sign}`;
}

describe('refusals, each with its stable code', () => {
  it('MISSING_CREDENTIALS for nothing at all', async () => {
    for (const input of [undefined, null, '', '   ', 'Bearer', 'Bearer   ', 'VK ', 'vk', 'BEARER\t']) {
      expect(await refusalCode(input)).toBe('MISSING_CREDENTIALS');
    }
  });

  it('MALFORMED for a broken % escape, bytes that are not UTF-8, or base64 of garbage', async () => {
    expect(await refusalCode(`${await launch()}&vk_x=%E0%A4%A`)).toBe('MALFORMED');
    expect(await refusalCode(`${await launch()}&vk_x=%zz`)).toBe('MALFORMED');
    expect(await refusalCode(`${await launch()}&vk_x=%C3%28`)).toBe('MALFORMED');
    expect(await refusalCode('Bearer ////')).toBe('MALFORMED');
    expect(await refusalCode('aGVsbG8gd29ybGQ=')).toBe('MALFORMED'); // "hello world"
    expect(await refusalCode('just words')).toBe('MALFORMED');
    expect(await refusalCode(42)).toBe('MALFORMED');
    expect(await refusalCode(['vk_user_id=1'])).toBe('MALFORMED');
  });

  it('MALFORMED for an unpaired surrogate, which has no UTF-8 form', async () => {
    expect(await refusalCode(`${await launch()}&vk_x=\ud800`)).toBe('MALFORMED');
  });

  it('MALFORMED for a non-numeric vk_user_id or vk_app_id', async () => {
    expect(await refusalCode(await launch({ vk_user_id: '12a' }))).toBe('MALFORMED');
    expect(await refusalCode(await launch({ vk_app_id: '-5' }))).toBe('MALFORMED');
    expect(await refusalCode(await launch({ vk_user_id: '99999999999999999' }))).toBe('MALFORMED');
  });

  it('MALFORMED for keys that reach object prototypes, without polluting anything', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(await refusalCode(`${key}=x&${await launch()}`)).toBe('MALFORMED');
      // Brackets mean nothing here (no qs-style nesting), so this is just an ignored, unsigned key.
      await verifyLaunchParams(`${key}[polluted]=1&${await launch()}`, options);
    }
    // JSON.parse makes "__proto__" an own key, as a body parser would: refused, not read as a prototype.
    expect(await refusalCode(JSON.parse(`{"__proto__": {"polluted": 1}, "vk_user_id": "1"}`))).toBe('MALFORMED');
  });

  it('MALFORMED for parsed data with non-string values, saying to send the raw string', async () => {
    const error = await rejection(verifyLaunchParams({ vk_user_id: '1', vk_is_app_user: true }, options));
    expect((error as VkAuthError).code).toBe('MALFORMED');
    expect((error as VkAuthError).message).toMatch(/raw query string/);
  });

  it("MALFORMED, not the object's own exception, for input that throws when read", async () => {
    const query = await launch();
    const fields = Object.fromEntries(new URLSearchParams(query));
    const boom = () => {
      throw new Error('the app object threw');
    };
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const iterating = new URLSearchParams(query);
    iterating[Symbol.iterator] = function* () {
      yield ['vk_user_id', '1'];
      throw new RangeError('the iterator threw');
    } as never;
    for (const input of [
      new Proxy(fields, { ownKeys: boom }),
      new Proxy(fields, { get: boom }),
      new Proxy(fields, { getPrototypeOf: boom }),
      Object.defineProperty({ ...fields }, 'vk_user_id', { get: boom, enumerable: true }),
      revoked,
      iterating,
    ]) {
      expect(await refusalCode(input)).toBe('MALFORMED');
    }
  });

  it('DUPLICATE_PARAM for any repeated key, sign included', async () => {
    const query = await launch();
    expect(await refusalCode(`${query}&vk_user_id=1`)).toBe('DUPLICATE_PARAM');
    expect(await refusalCode(`vk_user_id=1&${query}`)).toBe('DUPLICATE_PARAM');
    expect(await refusalCode(`${query}&sign=${'A'.repeat(43)}`)).toBe('DUPLICATE_PARAM');
    expect(await refusalCode(`utm=1&utm=2&${query}`)).toBe('DUPLICATE_PARAM');
    expect(await refusalCode({ ...Object.fromEntries(new URLSearchParams(query)), vk_user_id: ['1', '2'] })).toBe(
      'DUPLICATE_PARAM',
    );
    const searchParams = new URLSearchParams(query);
    searchParams.append('vk_user_id', '1');
    expect(await refusalCode(searchParams)).toBe('DUPLICATE_PARAM');
  });

  it('TOO_LARGE over 8 KiB, in every form', async () => {
    const padding = `&x=${'a'.repeat(MAX_INPUT_LENGTH)}`;
    const query = `${await launch()}${padding}`;
    expect(await refusalCode(query)).toBe('TOO_LARGE');
    expect(await refusalCode(new URLSearchParams(query))).toBe('TOO_LARGE');
    expect(await refusalCode(Object.fromEntries(new URLSearchParams(query)))).toBe('TOO_LARGE');
  });

  it('SIGN_MISSING without a sign', async () => {
    expect(await refusalCode('vk_user_id=1&vk_app_id=2')).toBe('SIGN_MISSING');
    expect(await refusalCode('vk_user_id=1&vk_app_id=2&sign=')).toBe('SIGN_MISSING');
  });

  it('SIGN_INVALID for a sign of the wrong shape, a wrong sign, or the wrong secret', async () => {
    const query = await launch();
    const sign = new URLSearchParams(query).get('sign') as string;
    expect(await refusalCode(query.replace(sign, `${sign}A`))).toBe('SIGN_INVALID');
    expect(await refusalCode(query.replace(sign, sign.slice(1)))).toBe('SIGN_INVALID');
    expect(await refusalCode(query.replace(sign, `${sign.slice(0, 42)}=`))).toBe('SIGN_INVALID');
    expect(await refusalCode(query.replace(sign, `${sign[0] === 'A' ? 'B' : 'A'}${sign.slice(1)}`))).toBe(
      'SIGN_INVALID',
    );
    expect(await refusalCode(query, { ...options, secret: 'another-secret' })).toBe('SIGN_INVALID');
  });

  it('USER_ID_MISSING and APP_ID_MISSING', async () => {
    expect(await refusalCode(await launch({ vk_user_id: undefined }))).toBe('USER_ID_MISSING');
    expect(await refusalCode(await launch({ vk_app_id: undefined }))).toBe('APP_ID_MISSING');
  });

  it('APP_ID_MISMATCH for another app, UNKNOWN_APP for an app missing from the secret map', async () => {
    const query = await launch();
    expect(await refusalCode(query, { ...options, appId: 1 })).toBe('APP_ID_MISMATCH');
    expect(await refusalCode(query, { ...options, appId: [1, 2] })).toBe('APP_ID_MISMATCH');
    expect(await refusalCode(query, { secret: { 1: SECRET }, now })).toBe('UNKNOWN_APP');
    expect(await refusalCode(query, { secret: { 1: SECRET, 6736218: SECRET }, appId: 1, now })).toBe('APP_ID_MISMATCH');
  });

  it('says why a valid-looking sign fails when given parsed data', async () => {
    const parsed = { ...Object.fromEntries(new URLSearchParams(await launch())), vk_platform: 'desktop_web' };
    const error = (await rejection(verifyLaunchParams(parsed, options))) as VkAuthError;
    expect(error.code).toBe('SIGN_INVALID');
    expect(error.message).toMatch(/raw query string/);
  });
});

describe('expiry', () => {
  it('accepts a launch up to maxAge + clockSkew old and refuses an older one', async () => {
    const fresh = await launch({ vk_ts: NOW_S - 3600 });
    expect((await verifyLaunchParams(fresh, options)).vk_user_id).toBe(494075);
    expect(await refusalCode(await launch({ vk_ts: NOW_S - 3600 - 31 }))).toBe('EXPIRED');
    expect(await refusalCode(fresh, { ...options, maxAge: 60 })).toBe('EXPIRED');
    expect(await refusalCode(await launch({ vk_ts: NOW_S - 61 }), { ...options, maxAge: 60, clockSkew: 0 })).toBe(
      'EXPIRED',
    );
  });

  it('refuses a vk_ts in the future beyond clockSkew', async () => {
    expect((await verifyLaunchParams(await launch({ vk_ts: NOW_S + 30 }), options)).vk_user_id).toBe(494075);
    expect(await refusalCode(await launch({ vk_ts: NOW_S + 31 }))).toBe('TS_IN_FUTURE');
    expect(await refusalCode(await launch({ vk_ts: NOW_S + 5 }), { ...options, clockSkew: 0 })).toBe('TS_IN_FUTURE');
  });

  it('understands vk_ts in milliseconds', async () => {
    expect((await verifyLaunchParams(await launch({ vk_ts: NOW_MS - 10_000 }), options)).vk_ts).toBe(NOW_MS - 10_000);
    expect(await refusalCode(await launch({ vk_ts: NOW_MS - 7_200_000 }))).toBe('EXPIRED');
  });

  it('TS_MISSING without vk_ts while expiry is on; maxAge 0 turns every time check off', async () => {
    const noTs = await launch({ vk_ts: undefined });
    expect(await refusalCode(noTs)).toBe('TS_MISSING');
    expect((await verifyLaunchParams(noTs, { ...options, maxAge: 0 })).vk_ts).toBeUndefined();
    expect((await verifyLaunchParams(await launch({ vk_ts: 1 }), { ...options, maxAge: 0 })).vk_ts).toBe(1);
  });

  it('MALFORMED for a vk_ts that is not an integer', async () => {
    expect(await refusalCode(await launch({ vk_ts: 'yesterday' }))).toBe('MALFORMED');
  });

  it('uses the real clock by default', async () => {
    const query = await launch({ vk_ts: Math.floor(Date.now() / 1000) });
    expect((await verifyLaunchParams(query, { secret: SECRET })).vk_user_id).toBe(494075);
    expect(await refusalCode(await launch({ vk_ts: NOW_S - 86_400 * 365 * 10 }), { secret: SECRET })).toBe('EXPIRED');
  });
});

describe('secrets', () => {
  it('accepts any secret of a rotation list', async () => {
    const query = await launch({}, 'old-secret');
    expect((await verifyLaunchParams(query, { ...options, secret: ['new-secret', 'old-secret'] })).vk_user_id).toBe(
      494075,
    );
  });

  it('picks the secret by vk_app_id from a per-app map (string or list values)', async () => {
    const a = await launch({ vk_app_id: 111 }, 'secret-a');
    const b = await launch({ vk_app_id: 222 }, 'secret-b2');
    const secret = { 111: 'secret-a', 222: ['secret-b1', 'secret-b2'] };
    expect((await verifyLaunchParams(a, { secret, now })).vk_app_id).toBe(111);
    expect((await verifyLaunchParams(b, { secret, now })).vk_app_id).toBe(222);
    // App 111's secret must not open app 222's launches.
    expect(await refusalCode(await launch({ vk_app_id: 222 }, 'secret-a'), { secret, now })).toBe('SIGN_INVALID');
  });

  it('accepts appId as a number, a numeric string, or a list', async () => {
    const query = await launch();
    for (const appId of [6736218, '6736218', [1, 6736218]]) {
      expect((await verifyLaunchParams(query, { ...options, appId })).vk_app_id).toBe(6736218);
    }
  });
});

describe('the encodeURIComponent fallback (docs/protocol.md, "The canonical string")', () => {
  it("accepts a sign made over %20 and unescaped !'()*~ as well as over PHP urlencode", async () => {
    const value = "it's (a) test*! ~";
    const base = `vk_app_id=6736218&vk_ts=${NOW_S}&vk_user_id=494075`;
    const php = handSigned(`${base}&vk_x=it%27s+%28a%29+test%2A%21+%7E`);
    const uri = handSigned(`${base}&vk_x=${encodeURIComponent(value)}`);
    expect((await verifyLaunchParams(php, options)).vk_x).toBe(value);
    expect((await verifyLaunchParams(uri, options)).vk_x).toBe(value);
  });

  it('does not accept other encodings: lower-case hex, or %2C double-encoded', async () => {
    const base = `vk_app_id=6736218&vk_ts=${NOW_S}&vk_user_id=494075`;
    const lower = handSigned(`vk_access_token_settings=friends%2cphotos&${base}`);
    expect(await refusalCode(lower.replace('%2c', '%2C'))).toBe('SIGN_INVALID');
    const doubleEncoded = handSigned(`vk_access_token_settings=friends%252Cphotos&${base}`);
    expect(await refusalCode(doubleEncoded.replace('%252C', '%2C'))).toBe('SIGN_INVALID');
  });

  it('rebuilds the canonical string when the raw query is not in it (raw ",", "+" for a space)', async () => {
    const base = `vk_app_id=6736218&vk_ts=${NOW_S}&vk_user_id=494075`;
    // Signed over the canonical form, sent in another spelling of the same pairs.
    const canonical = handSigned(`vk_access_token_settings=friends%2Cphotos&${base}&vk_x=a+b`);
    for (const sent of [canonical.replace('%2C', ','), canonical.replace('a+b', 'a%20b')]) {
      const params = await verifyLaunchParams(sent, options);
      expect(params.vk_access_token_settings).toEqual(['friends', 'photos']);
      expect(params.vk_x).toBe('a b');
    }
  });

  it('accepts signed pairs sent exactly as they were signed, whatever their spelling', async () => {
    // The raw run of vk_* pairs is tried first as it stands: a match means whoever
    // holds the secret signed exactly this text, and parsing it gives back what they signed.
    const base = `vk_app_id=6736218&vk_ts=${NOW_S}&vk_user_id=494075`;
    const lower = handSigned(`vk_access_token_settings=friends%2cphotos&${base}`);
    expect((await verifyLaunchParams(lower, options)).vk_access_token_settings).toEqual(['friends', 'photos']);
  });
});

describe('options are checked before any request', () => {
  const query = launch();
  for (const [name, bad] of [
    ['no options', undefined],
    ['an empty secret', { secret: '' }],
    ['an empty secret list', { secret: [] }],
    ['a non-string secret', { secret: 42 }],
    ['an empty secret map', { secret: {} }],
    ['a secret map with a non-numeric key', { secret: { abc: 'x' } }],
    ['a negative maxAge', { secret: 'x', maxAge: -1 }],
    ['a NaN clockSkew', { secret: 'x', clockSkew: Number.NaN }],
    ['a non-numeric appId', { secret: 'x', appId: 'my-app' }],
    ['a non-function now', { secret: 'x', now: 5 }],
  ] as const) {
    it(`throws TypeError (not VkAuthError, never the secret) for ${name}`, async () => {
      const error = await rejection(verifyLaunchParams(await query, bad as never));
      expect(error).toBeInstanceOf(TypeError);
      expect(VkAuthError.is(error)).toBe(false);
      expect((error as Error).message).toMatch(/^vk-miniapp-auth: /);
    });
  }

  it('never puts the secret into an error message', async () => {
    const secret = 'super-secret-value-1234567890';
    const error = await rejection(verifyLaunchParams(await query, { secret: { abc: secret } as never }));
    expect((error as Error).message).not.toContain(secret);
  });
});
