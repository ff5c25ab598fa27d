// The test helpers users put in their own suites (vk-miniapp-auth/testing):
// the valid set verifies, the expired one fails with EXPIRED, the tampered one
// with SIGN_INVALID, and the Authorization value works through an adapter.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { vkMiniAppAuth } from '../src/adapters/hono/index.js';
import { DEFAULT_MAX_AGE, VkAuthError, type VkAuthErrorCode, verifyLaunchParams } from '../src/index.js';
import { createExpiredLaunchParams, createLaunchParams, createTamperedLaunchParams } from '../src/testing.js';
import { NOW_MS, NOW_S, now, rejection, SECRET } from './helpers.js';

async function refusal(promise: Promise<unknown>): Promise<VkAuthErrorCode> {
  const error = await rejection(promise);
  if (!VkAuthError.is(error)) throw error;
  return error.code;
}

describe('createLaunchParams', () => {
  it('makes a valid set with sensible defaults, in every form', async () => {
    const launch = await createLaunchParams({ secret: SECRET, now });
    expect(launch.query).toBe(
      'vk_access_token_settings=&vk_app_id=6736218&vk_are_notifications_enabled=0&vk_is_app_user=1&vk_is_favorite=0' +
        `&vk_language=ru&vk_platform=desktop_web&vk_ref=other&vk_ts=${NOW_S}&vk_user_id=494075&sign=${launch.params.sign}`,
    );
    expect(launch.url).toBe(`https://example.com/?${launch.query}`);
    expect(launch.authorization).toBe(`Bearer ${launch.query}`);
    for (const input of [launch.query, launch.url, launch.authorization]) {
      expect(await verifyLaunchParams(input, { secret: SECRET, appId: 6736218, now })).toEqual(launch.params);
    }
    expect(launch.params).toMatchObject({ vk_user_id: 494075, vk_app_id: 6736218, vk_ts: NOW_S, vk_is_app_user: true });
  });

  it('fixes vk_ts when called: the same options and now give the same query', async () => {
    const a = await createLaunchParams({ secret: SECRET, now });
    const b = await createLaunchParams({ secret: SECRET, now });
    expect(a).toEqual(b);
    const at = await createLaunchParams({ secret: SECRET, ts: NOW_S - 10 });
    expect(at.params.vk_ts).toBe(NOW_S - 10);
  });

  it('defaults to the wall clock, so it passes a server with default options', async () => {
    const before = Math.floor(Date.now() / 1000);
    const launch = await createLaunchParams({ secret: SECRET });
    expect(launch.params.vk_ts).toBeGreaterThanOrEqual(before);
    expect(await verifyLaunchParams(launch.authorization, { secret: SECRET })).toEqual(launch.params);
  });

  it('takes a user, an app, more params and removals, and a base URL', async () => {
    const launch = await createLaunchParams({
      secret: SECRET,
      now,
      userId: 42,
      appId: 51,
      params: { vk_platform: 'mobile_iphone', vk_group_id: 7, vk_viewer_group_role: 'admin', vk_ref: undefined },
      baseUrl: 'https://app.example/mini/?theme=dark#/profile',
    });
    expect(launch.params).toMatchObject({
      vk_user_id: 42,
      vk_app_id: 51,
      vk_platform: 'mobile_iphone',
      vk_group_id: 7,
    });
    expect(launch.params).not.toHaveProperty('vk_ref');
    expect(launch.url).toBe(`https://app.example/mini/?theme=dark&${launch.query}#/profile`);
    expect(await verifyLaunchParams(launch.url, { secret: SECRET, appId: 51, now })).toEqual(launch.params);
  });

  it('without vk_ts: TS_MISSING under an expiry, valid with maxAge 0', async () => {
    const { query } = await createLaunchParams({ secret: SECRET, now, params: { vk_ts: undefined } });
    expect(query).not.toContain('vk_ts');
    expect(await refusal(verifyLaunchParams(query, { secret: SECRET, now }))).toBe('TS_MISSING');
    expect((await verifyLaunchParams(query, { secret: SECRET, now, maxAge: 0 })).vk_user_id).toBe(494075);
  });

  it('signs with the secret given only', async () => {
    const { query } = await createLaunchParams({ secret: 'another-secret', now });
    expect(await refusal(verifyLaunchParams(query, { secret: SECRET, now }))).toBe('SIGN_INVALID');
  });

  it('refuses bad options with a TypeError', async () => {
    // @ts-expect-error no options
    await expect(createLaunchParams()).rejects.toThrow(TypeError);
    await expect(createLaunchParams({ secret: '' })).rejects.toThrow(/secret/);
    await expect(createLaunchParams({ secret: SECRET, params: { vk_x: {} as string } })).rejects.toThrow(/vk_x/);
    await expect(createExpiredLaunchParams({ secret: SECRET, maxAge: 0 })).rejects.toThrow(/maxAge/);
  });
});

describe('createExpiredLaunchParams', () => {
  it('is signed right but older than the default maxAge allows: EXPIRED', async () => {
    const launch = await createExpiredLaunchParams({ secret: SECRET, now, userId: 42 });
    expect(launch.params.vk_ts).toBe(NOW_S - DEFAULT_MAX_AGE - 86_400);
    expect(await refusal(verifyLaunchParams(launch.authorization, { secret: SECRET, now }))).toBe('EXPIRED');
    // Only its age is wrong.
    expect(await verifyLaunchParams(launch.query, { secret: SECRET, now, maxAge: 0 })).toEqual(launch.params);
  });

  it('follows the maxAge of the code under test', async () => {
    const launch = await createExpiredLaunchParams({ secret: SECRET, now, maxAge: 7 * 86_400 });
    expect(await refusal(verifyLaunchParams(launch.query, { secret: SECRET, now, maxAge: 7 * 86_400 }))).toBe(
      'EXPIRED',
    );
  });
});

describe('createTamperedLaunchParams', () => {
  it('by default swaps the user under the genuine sign: SIGN_INVALID', async () => {
    const genuine = await createLaunchParams({ secret: SECRET, now, userId: 42 });
    const tampered = await createTamperedLaunchParams({ secret: SECRET, now, userId: 42 });
    expect(tampered.params.vk_user_id).toBe(43);
    expect(tampered.params.sign).toBe(genuine.params.sign);
    expect(tampered.query).toBe(genuine.query.replace('vk_user_id=42', 'vk_user_id=43'));
    expect(await refusal(verifyLaunchParams(tampered.authorization, { secret: SECRET, now }))).toBe('SIGN_INVALID');
  });

  it('changes what it is told to, added and removed keys included', async () => {
    for (const tamper of [{ vk_app_id: 1 }, { vk_is_app_user: 0 }, { vk_experiment: 'x' }, { vk_ref: undefined }]) {
      const tampered = await createTamperedLaunchParams({ secret: SECRET, now, tamper });
      expect(await refusal(verifyLaunchParams(tampered.query, { secret: SECRET, now })), JSON.stringify(tamper)).toBe(
        'SIGN_INVALID',
      );
    }
  });

  it('refuses a tamper that changes nothing', async () => {
    await expect(createTamperedLaunchParams({ secret: SECRET, now, tamper: { vk_user_id: 494075 } })).rejects.toThrow(
      /changes a signed value/,
    );
  });
});

describe('through an adapter (Hono app.request)', () => {
  const app = new Hono()
    .use('/api/*', vkMiniAppAuth({ secret: SECRET, appId: 6736218, now: () => NOW_MS }))
    .get('/api/me', (c) => c.json({ vk_user_id: c.get('vk').params.vk_user_id }));
  const get = (authorization: string) => app.request('/api/me', { headers: { Authorization: authorization } });

  it('the valid set gets in; the expired and tampered ones get 401 with their code', async () => {
    const options = { secret: SECRET, now, userId: 42 };
    const ok = await get((await createLaunchParams(options)).authorization);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ vk_user_id: 42 });

    for (const [make, code] of [
      [createExpiredLaunchParams, 'EXPIRED'],
      [createTamperedLaunchParams, 'SIGN_INVALID'],
    ] as const) {
      const refused = await get((await make(options)).authorization);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: code });
    }
  });
});
