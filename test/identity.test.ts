// OK (Odnoklassniki) launches of a VK mini app, end to end: the OK keys are
// signed and typed, vk_ts may be in milliseconds, launchIdentity picks the OK
// ids, and the existing `secret` option covers an OK version signed with
// another key. What an OK launch carries, and the sources: docs/ok.md.
import { describe, expect, it } from 'vitest';
import {
  type LaunchParams,
  launchIdentity,
  signLaunchParams,
  VkAuthError,
  type VkAuthErrorCode,
  verifyLaunchParams,
} from '../src/index.js';
import { launch, NOW_MS, NOW_S, now, rejection, SECRET } from './helpers.js';

const VK_APP = 6736218;
const VK_USER = 494075;
const OK_APP = 512005436129;
const OK_USER = 585434281343;
const OK_SECRET = 'test-ok-secret-not-a-real-key';

/** An OK launch as public back ends report it: the VK keys, plus vk_client=ok and the OK ids, vk_ts in ms. */
function okLaunch(overrides: Record<string, string | number | undefined> = {}, secret = SECRET) {
  return launch(
    { vk_client: 'ok', vk_ok_app_id: OK_APP, vk_ok_user_id: OK_USER, vk_ts: NOW_MS - 5_000, ...overrides },
    secret,
  );
}

const options = { secret: SECRET, now };

async function refusalCode(input: string, opts: Parameters<typeof verifyLaunchParams>[1] = options) {
  const error = await rejection(verifyLaunchParams(input, opts));
  expect(VkAuthError.is(error)).toBe(true);
  return (error as VkAuthError).code as VkAuthErrorCode;
}

/** A verified launch's params replaced in one field: the signature no longer matches. */
function withValue(query: string, key: string, value: string): string {
  return query.replace(new RegExp(`(^|&)${key}=[^&]*`), `$1${key}=${value}`);
}

describe('an OK launch, verified', () => {
  it('verifies, with the OK keys typed: numbers for the ids, the client as sent', async () => {
    const params = await verifyLaunchParams(await okLaunch(), options);
    expect(params.vk_client).toBe('ok');
    expect(params.vk_ok_user_id).toBe(OK_USER);
    expect(params.vk_ok_app_id).toBe(OK_APP);
    expect(params.vk_user_id).toBe(VK_USER);
    expect(params.vk_app_id).toBe(VK_APP);
    expect(params.vk_ts).toBe(NOW_MS - 5_000);
  });

  it('signs the OK keys: changing vk_ok_user_id, vk_ok_app_id or vk_client breaks the sign', async () => {
    const query = await okLaunch();
    expect(await refusalCode(withValue(query, 'vk_ok_user_id', String(OK_USER + 1)))).toBe('SIGN_INVALID');
    expect(await refusalCode(withValue(query, 'vk_ok_app_id', String(OK_APP + 1)))).toBe('SIGN_INVALID');
    expect(await refusalCode(withValue(query, 'vk_client', 'vk'))).toBe('SIGN_INVALID');
    // Added after signing, a vk_ok_user_id is refused too: every vk_* key is in the signed text.
    const vkOnly = await launch();
    expect(await refusalCode(`vk_ok_user_id=${OK_USER}&${vkOnly}`)).toBe('SIGN_INVALID');
  });

  it('reads vk_ts in milliseconds for expiry, and in seconds as well', async () => {
    expect(await refusalCode(await okLaunch({ vk_ts: NOW_MS - 3_600_000 - 31_000 }))).toBe('EXPIRED');
    expect(await refusalCode(await okLaunch({ vk_ts: NOW_MS + 31_000 }))).toBe('TS_IN_FUTURE');
    expect((await verifyLaunchParams(await okLaunch({ vk_ts: NOW_S - 5 }), options)).vk_ts).toBe(NOW_S - 5);
  });

  it('refuses, as MALFORMED, OK ids that are not integers (after the signature, like every typed field)', async () => {
    expect(await refusalCode(await okLaunch({ vk_ok_user_id: 'abc' }))).toBe('MALFORMED');
    expect(await refusalCode(await okLaunch({ vk_ok_app_id: '1.5' }))).toBe('MALFORMED');
    // Signed with another key, the same malformed value is a SIGN_INVALID: types are checked last.
    expect(await refusalCode(await okLaunch({ vk_ok_user_id: 'abc' }, 'another-key'))).toBe('SIGN_INVALID');
  });

  it('keeps an unknown vk_client value as sent', async () => {
    expect((await verifyLaunchParams(await launch({ vk_client: 'future' }), options)).vk_client).toBe('future');
  });
});

describe('launchIdentity', () => {
  it('gives the OK ids for an OK launch', async () => {
    const params = await verifyLaunchParams(await okLaunch(), options);
    expect(launchIdentity(params)).toEqual({ platform: 'ok', userId: OK_USER, appId: OK_APP });
  });

  it('gives the VK ids for a VK launch', async () => {
    const params = await verifyLaunchParams(await launch(), options);
    expect(launchIdentity(params)).toEqual({ platform: 'vk', userId: VK_USER, appId: VK_APP });
  });

  it('takes any OK key as the sign of an OK launch, and falls back to the VK id that is missing', async () => {
    const identity = async (overrides: Record<string, string | number | undefined>) =>
      launchIdentity(await verifyLaunchParams(await okLaunch(overrides), options));
    // vk_client=ok alone: the OK platform, with the VK ids (see the JSDoc for the ambiguity).
    expect(await identity({ vk_ok_user_id: undefined, vk_ok_app_id: undefined })).toEqual({
      platform: 'ok',
      userId: VK_USER,
      appId: VK_APP,
    });
    // vk_ok_user_id without vk_client: still OK, since a VK launch carries no OK key.
    expect(await identity({ vk_client: undefined, vk_ok_app_id: undefined })).toEqual({
      platform: 'ok',
      userId: OK_USER,
      appId: VK_APP,
    });
    // vk_ok_app_id alone: OK, the app's OK id, the user from vk_user_id.
    expect(await identity({ vk_client: undefined, vk_ok_user_id: undefined })).toEqual({
      platform: 'ok',
      userId: VK_USER,
      appId: OK_APP,
    });
  });

  it('reports another vk_client with no OK key as vk', async () => {
    const params = await verifyLaunchParams(await launch({ vk_client: 'future' }), options);
    expect(launchIdentity(params)).toEqual({ platform: 'vk', userId: VK_USER, appId: VK_APP });
  });

  it('reads only the typed fields: a hand-built object works the same', () => {
    const params = { vk_user_id: 1, vk_app_id: 2, vk_client: 'ok', vk_ok_user_id: 3, sign: 'x' } as LaunchParams;
    expect(launchIdentity(params)).toEqual({ platform: 'ok', userId: 3, appId: 2 });
  });
});

describe('the example in docs/ok.md', () => {
  it('runs as shown, on the real clock', async () => {
    const secret = { 6736218: 'vk-app-secure-key', 51234567: 'ok-version-secure-key' };
    const query = await signLaunchParams(
      {
        vk_app_id: 51234567,
        vk_user_id: 494075,
        vk_client: 'ok',
        vk_ok_app_id: 512005436129,
        vk_ok_user_id: 585434281343,
        vk_ts: Date.now(),
      },
      'ok-version-secure-key',
    );
    const params = await verifyLaunchParams(query, { secret });
    const { platform, userId, appId } = launchIdentity(params);
    expect([platform, userId, appId]).toEqual(['ok', 585434281343, 512005436129]);
  });

  it('matches the JSDoc example of launchIdentity', async () => {
    const secret = 'example-secret';
    const query = await signLaunchParams(
      {
        vk_app_id: 6736218,
        vk_user_id: 494075,
        vk_client: 'ok',
        vk_ok_app_id: 512000000001,
        vk_ok_user_id: 585434281343,
        vk_ts: Date.now(),
      },
      secret,
    );
    const params = await verifyLaunchParams(query, { secret });
    expect(launchIdentity(params)).toEqual({ platform: 'ok', userId: 585434281343, appId: 512000000001 });
  });
});

describe('the secret of an OK launch, with the existing `secret` option', () => {
  it('one key: an OK launch of the same VK app, signed with its Secure key, verifies as it is', async () => {
    const params = await verifyLaunchParams(await okLaunch(), { secret: SECRET, appId: VK_APP, now });
    expect(launchIdentity(params).platform).toBe('ok');
  });

  it('a map by vk_app_id: an OK version registered as another VK app, with its own key', async () => {
    const OK_VK_APP = 51234567;
    const secret = { [VK_APP]: SECRET, [OK_VK_APP]: OK_SECRET };
    const ok = await okLaunch({ vk_app_id: OK_VK_APP }, OK_SECRET);
    expect(launchIdentity(await verifyLaunchParams(ok, { secret, now }))).toEqual({
      platform: 'ok',
      userId: OK_USER,
      appId: OK_APP,
    });
    expect(launchIdentity(await verifyLaunchParams(await launch(), { secret, now })).platform).toBe('vk');
    // Each key signs only its own app's launches.
    expect(await refusalCode(await okLaunch({ vk_app_id: OK_VK_APP }, SECRET), { secret, now })).toBe('SIGN_INVALID');
    expect(await refusalCode(await launch({}, OK_SECRET), { secret, now })).toBe('SIGN_INVALID');
  });

  it('a list: the same vk_app_id signed with either key (one the VK launches, one the OK ones)', async () => {
    const secret = [SECRET, OK_SECRET];
    expect((await verifyLaunchParams(await launch(), { secret, now })).vk_client).toBeUndefined();
    const params = await verifyLaunchParams(await okLaunch({}, OK_SECRET), { secret, appId: VK_APP, now });
    expect(launchIdentity(params)).toEqual({ platform: 'ok', userId: OK_USER, appId: OK_APP });
  });

  it('signLaunchParams writes the OK keys like any other (for tests of your own)', async () => {
    const query = await signLaunchParams(
      { vk_app_id: VK_APP, vk_user_id: VK_USER, vk_client: 'ok', vk_ok_user_id: OK_USER, vk_ts: NOW_MS },
      SECRET,
    );
    expect(query).toMatch(
      new RegExp(
        `^vk_app_id=${VK_APP}&vk_client=ok&vk_ok_user_id=${OK_USER}&vk_ts=${NOW_MS}&vk_user_id=${VK_USER}&sign=`,
      ),
    );
    expect(launchIdentity(await verifyLaunchParams(query, options)).userId).toBe(OK_USER);
  });
});
