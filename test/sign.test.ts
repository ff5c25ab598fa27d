import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseLaunchParams, signLaunchParams, verifyLaunchParams } from '../src/index.js';
import { vectors } from './vectors.js';

describe('signLaunchParams', () => {
  it('reproduces VK reference sign from the docs example', async () => {
    const vector = vectors.launchParams.find((v) => v.id === 'vk-docs-example');
    expect(vector).toBeDefined();
    const { sign, ...params } = parseLaunchParams(vector?.input as string);
    const query = await signLaunchParams(params, vector?.secret as string);
    expect(query).toBe(
      `vk_access_token_settings=&vk_app_id=6736218&vk_are_notifications_enabled=1&vk_is_app_user=1&vk_language=ru&vk_platform=android&vk_user_id=494075&sign=${sign}`,
    );
  });

  it('orders pairs by key, encodes them as PHP urlencode does, and appends sign', async () => {
    const query = await signLaunchParams({ vk_x: "a b!'()*~é,", vk_app_id: 1, vk_user_id: 2, vk_b: true }, 'k');
    const canonical = 'vk_app_id=1&vk_b=1&vk_user_id=2&vk_x=a+b%21%27%28%29%2A%7E%C3%A9%2C';
    const sign = createHmac('sha256', 'k').update(canonical).digest('base64url');
    expect(query).toBe(`${canonical}&sign=${sign}`);
  });

  it('writes booleans as 1/0, lists joined with commas, and skips null and undefined', async () => {
    const query = await signLaunchParams(
      {
        vk_user_id: 1,
        vk_app_id: 2,
        vk_is_app_user: false,
        vk_access_token_settings: ['friends', 'photos'],
        vk_ref: undefined,
        vk_group_id: null,
      },
      'k',
    );
    expect(
      query.startsWith('vk_access_token_settings=friends%2Cphotos&vk_app_id=2&vk_is_app_user=0&vk_user_id=1&sign='),
    ).toBe(true);
  });

  it('ignores sign, so parsed params can be signed again', async () => {
    const first = await signLaunchParams({ vk_user_id: 1, vk_app_id: 2 }, 'k');
    const again = await signLaunchParams(parseLaunchParams(first), 'k');
    expect(again).toBe(first);
    expect((await verifyLaunchParams(again, { secret: 'k', maxAge: 0 })).vk_user_id).toBe(1);
  });

  it('refuses keys that are not vk_*, bad values and a missing secret with TypeError', async () => {
    await expect(signLaunchParams({ vk_user_id: 1, utm: 'x' } as never, 'k')).rejects.toThrow(TypeError);
    await expect(signLaunchParams({ vk_user_id: Number.NaN }, 'k')).rejects.toThrow(TypeError);
    await expect(signLaunchParams({ vk_user_id: {} as never }, 'k')).rejects.toThrow(TypeError);
    await expect(signLaunchParams({ vk_user_id: 1 }, '')).rejects.toThrow(TypeError);
  });
});
