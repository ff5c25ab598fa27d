// vk-miniapp-auth/session on both crypto back ends: tokens verify only with
// their key, any change is refused, renewals never pass maxLifetime, jose reads
// them as any JWT library would, and garbage is only ever our typed error.
import fc from 'fast-check';
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { type LaunchParams, VkAuthError, verifyLaunchParams } from '../src/index.js';
import { compileSessionOptions } from '../src/session/options.js';
import { readSessionToken, renewalOf } from '../src/session/token.js';
import {
  issueSessionToken,
  MissingOptionError,
  SESSION_TOKEN_TYPE,
  type SessionOptions,
  verifySessionToken,
} from '../src/session.js';
import { launch, NOW_MS, NOW_S, now, rejection, SECRET } from './helpers.js';

const KEY = 'a-session-key-for-tests-32-chars-long!';
const params = async (overrides: Record<string, string | number> = {}): Promise<LaunchParams> =>
  verifyLaunchParams(await launch(overrides), { secret: SECRET, now, maxAge: 0 });
const at = (ms: number) => () => ms;

/** A session key: 32 to 64 printable characters. */
const sessionKey = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/='),
  minLength: 32,
  maxLength: 64,
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (!VkAuthError.is(error)) throw error;
  return error.code;
}

describe('issueSessionToken and verifySessionToken', () => {
  it('round-trip the verified launch params, as a JWS any library verifies', async () => {
    const launched = await params();
    const token = await issueSessionToken(launched, { secret: KEY, now });
    expect(await verifySessionToken(token, { secret: KEY, now })).toEqual(JSON.parse(JSON.stringify(launched)));
    expect(await verifySessionToken(`Bearer ${token}`, { secret: KEY, now })).toMatchObject({ vk_user_id: 494075 });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(KEY), {
      currentDate: new Date(NOW_MS),
      typ: SESSION_TOKEN_TYPE,
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'vk-session+jwt' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'auth_time', 'exp', 'iat', 'sub', 'vk']);
    expect(payload).toMatchObject({ sub: '494075', aud: '6736218', iat: NOW_S, exp: NOW_S + 900, auth_time: NOW_S });
  });

  it('a token verifies only with its own key', async () => {
    const launched = await params();
    await fc.assert(
      fc.asyncProperty(sessionKey, sessionKey, async (mine, other) => {
        fc.pre(mine !== other);
        const token = await issueSessionToken(launched, { secret: mine, now });
        expect((await verifySessionToken(token, { secret: mine, now })).vk_user_id).toBe(494075);
        expect(await codeOf(verifySessionToken(token, { secret: other, now }))).toBe('SESSION_INVALID');
        // A list verifies with any of its keys: rotation.
        expect((await verifySessionToken(token, { secret: [other, mine], now })).vk_user_id).toBe(494075);
      }),
      { numRuns: 40 },
    );
  });

  it('any change to a token is refused', async () => {
    const token = await issueSessionToken(await params(), { secret: KEY, now });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(fc.nat(token.length - 1), fc.constantFrom(...alphabet), async (index, replacement) => {
        const changed = token.slice(0, index) + replacement + token.slice(index + 1);
        // base64url's last character of a part can carry unused bits: a change there may decode
        // to the very same bytes, which is the same token, not a change.
        fc.pre(!sameBytes(token, changed));
        expect(await codeOf(verifySessionToken(changed, { secret: KEY, now }))).toBe('SESSION_INVALID');
      }),
      { numRuns: 300 },
    );
  });

  it('renewals never outlive maxLifetime, however often they come', async () => {
    const launched = await params();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 4 * 3600 }),
        fc.array(fc.integer({ min: 1, max: 1800 }), { minLength: 1, maxLength: 25 }),
        async (ttl, maxLifetime, gaps) => {
          let time = NOW_MS;
          const options = compileSessionOptions({ secret: KEY, ttl, maxLifetime, clockSkew: 0, now: () => time });
          let token = await issueSessionToken(launched, { secret: KEY, ttl, maxLifetime, now: () => time });
          for (const gap of gaps) {
            time += gap * 1000;
            let reading: Awaited<ReturnType<typeof readSessionToken>>;
            try {
              reading = await readSessionToken(token, options);
            } catch (error) {
              expect(VkAuthError.is(error, 'SESSION_EXPIRED')).toBe(true);
              return;
            }
            expect(time / 1000).toBeLessThanOrEqual(NOW_S + maxLifetime);
            token = (await renewalOf(reading, options)) ?? token;
            expect(decodeJwt(token).exp).toBeLessThanOrEqual(NOW_S + maxLifetime);
            expect(decodeJwt(token).auth_time).toBe(NOW_S);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('SESSION_EXPIRED past exp (beyond clockSkew), and for a launch already past maxLifetime', async () => {
    const token = await issueSessionToken(await params(), { secret: KEY, now, ttl: 60 });
    expect((await verifySessionToken(token, { secret: KEY, now: at(NOW_MS + 89_000) })).vk_user_id).toBe(494075);
    expect(await codeOf(verifySessionToken(token, { secret: KEY, now: at(NOW_MS + 91_000) }))).toBe('SESSION_EXPIRED');
    const old = await params({ vk_ts: NOW_S - 86400 });
    expect(await codeOf(issueSessionToken(old, { secret: KEY, now }))).toBe('SESSION_EXPIRED');
    // A verifier with a shorter maxLifetime than the issuer's holds to its own.
    const long = await issueSessionToken(await params(), { secret: KEY, now, ttl: 3600, maxLifetime: 7200 });
    const later = at(NOW_MS + 3000_000);
    expect(await codeOf(verifySessionToken(long, { secret: KEY, now: later, maxLifetime: 600 }))).toBe(
      'SESSION_EXPIRED',
    );
  });

  it('issues no token for a launch without vk_ts (TS_MISSING): maxLifetime could not be counted', async () => {
    const query = await launch({ vk_ts: undefined });
    const launched = await verifyLaunchParams(query, { secret: SECRET, now, maxAge: 0 });
    expect(await codeOf(issueSessionToken(launched, { secret: KEY, now }))).toBe('TS_MISSING');
  });

  it('SESSION_INVALID for another app when appId is set', async () => {
    const token = await issueSessionToken(await params(), { secret: KEY, now });
    expect(await codeOf(verifySessionToken(token, { secret: KEY, now, appId: 51 }))).toBe('SESSION_INVALID');
    expect((await verifySessionToken(token, { secret: KEY, now, appId: [51, 6736218] })).vk_app_id).toBe(6736218);
  });

  it('refuses garbage with our typed error only, never echoing the key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: fc.constantFrom(...'eyJ.-_abcAB0123456789') }),
          fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
          fc.json().map((json) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(json).toString('base64url')}.x`),
        ),
        async (garbage) => {
          const error = await rejection(verifySessionToken(garbage, { secret: KEY, now }));
          expect(VkAuthError.is(error)).toBe(true);
          expect(['SESSION_INVALID', 'MISSING_CREDENTIALS']).toContain((error as VkAuthError).code);
          expect((error as VkAuthError).message).not.toContain(KEY);
        },
      ),
      { numRuns: 500 },
    );
    expect(await codeOf(verifySessionToken('a'.repeat(1_000_000), { secret: KEY, now }))).toBe('SESSION_INVALID');
  });

  it('checks its options: a short or missing key, a bad ttl or maxLifetime', async () => {
    const launched = await params();
    const bad: [unknown, RegExp][] = [
      [{ secret: 'short' }, /session\.secret must be at least 32/],
      [{ secret: [KEY, 'short'] }, /session\.secret/],
      [{ secret: KEY, ttl: 0 }, /session\.ttl/],
      [{ secret: KEY, ttl: 1.5 }, /session\.ttl/],
      [{ secret: KEY, maxLifetime: -1 }, /session\.maxLifetime/],
      [{ secret: 42 }, /session\.secret must be a string/],
      [null, /session options are required/],
    ];
    for (const [options, message] of bad) {
      const error = await rejection(issueSessionToken(launched, options as SessionOptions));
      expect(error, String(message)).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('short');
    }
    for (const secret of [undefined, '', [], [KEY, undefined]]) {
      expect(await rejection(verifySessionToken('x.y.z', { secret } as SessionOptions))).toBeInstanceOf(
        MissingOptionError,
      );
    }
  });
});

/** Whether two tokens decode, part by part, to the same bytes. */
function sameBytes(a: string, b: string): boolean {
  const partsA = a.split('.');
  const partsB = b.split('.');
  if (partsA.length !== partsB.length) return false;
  return partsA.every((part, i) => {
    const other = partsB[i] as string;
    if (!/^[\w-]*$/.test(part) || !/^[\w-]*$/.test(other)) return part === other;
    return Buffer.from(part, 'base64url').equals(Buffer.from(other, 'base64url'));
  });
}
