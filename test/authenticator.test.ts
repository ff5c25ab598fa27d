import { describe, expect, it } from 'vitest';
import { type LaunchParams, VKMiniAppAuthenticator, VkAuthError } from '../src/index.js';
import { base64, launch, NOW_S, now, SECRET } from './helpers.js';

// The Python package's token: base64 of the whole launch URL.
const token = async (overrides = {}) => base64(`https://app.example/?${await launch(overrides)}`);

describe('VKMiniAppAuthenticator: the Python package surface', () => {
  const authenticator = new VKMiniAppAuthenticator(6736218, SECRET, { now });

  it('getLaunchParams parses without verifying; isSigned verifies', async () => {
    const params = authenticator.getLaunchParams(await token()) as LaunchParams;
    expect(params.vk_user_id).toBe(494075);
    expect(await authenticator.isSigned(params)).toBe(true);
    expect(await authenticator.isSigned({ ...params, vk_user_id: 1 })).toBe(false);
  });

  it('getLaunchParams resolves to null when the token holds no launch params', () => {
    expect(authenticator.getLaunchParams(base64('https://app.example/?utm=1'))).toBeNull();
  });

  it('getLaunchParams throws VkAuthError for a token that cannot be decoded', () => {
    expect(() => authenticator.getLaunchParams('')).toThrow(VkAuthError);
    expect(() => authenticator.getLaunchParams('%%%')).toThrow(VkAuthError);
  });

  it('isSigned refuses another app, an expired launch, and params typed by hand with a wrong value', async () => {
    const other = new VKMiniAppAuthenticator(1, SECRET, { now });
    const params = authenticator.getLaunchParams(await token()) as LaunchParams;
    expect(await other.isSigned(params)).toBe(false);
    const old = authenticator.getLaunchParams(await token({ vk_ts: NOW_S - 7200 })) as LaunchParams;
    expect(await authenticator.isSigned(old)).toBe(false);
  });

  it('isSigned accepts params rebuilt by hand from typed values (booleans, lists)', async () => {
    const params = authenticator.getLaunchParams(await token()) as LaunchParams;
    const rebuilt: LaunchParams = JSON.parse(JSON.stringify(params));
    expect(await authenticator.isSigned(rebuilt)).toBe(true);
    expect(await authenticator.isSigned({ ...rebuilt, vk_is_app_user: false })).toBe(false);
  });

  it('isExpired follows ttl, in seconds; ttl 0 turns it off', async () => {
    const params = authenticator.getLaunchParams(await token({ vk_ts: NOW_S - 600 })) as LaunchParams;
    expect(authenticator.isExpired(params)).toBe(false);
    expect(new VKMiniAppAuthenticator(6736218, SECRET, { ttl: 300, now }).isExpired(params)).toBe(true);
    expect(new VKMiniAppAuthenticator(6736218, SECRET, { ttl: 0, now }).isExpired(params)).toBe(false);
    const rebuilt: LaunchParams = JSON.parse(JSON.stringify(params));
    expect(new VKMiniAppAuthenticator(6736218, SECRET, { ttl: 300, now }).isExpired(rebuilt)).toBe(true);
  });

  it('isExpired is true without vk_ts while a ttl is set', async () => {
    const params = authenticator.getLaunchParams(await token({ vk_ts: undefined })) as LaunchParams;
    expect(authenticator.isExpired(params)).toBe(true);
  });

  it('getVerifiedLaunchParams resolves to the params, or null when refused', async () => {
    expect((await authenticator.getVerifiedLaunchParams(await token()))?.vk_user_id).toBe(494075);
    expect(await authenticator.getVerifiedLaunchParams(await token({ vk_app_id: 5 }))).toBeNull();
    expect(await authenticator.getVerifiedLaunchParams('garbage')).toBeNull();
  });

  it('checks its options at construction', () => {
    expect(() => new VKMiniAppAuthenticator(6736218, '')).toThrow(TypeError);
    expect(() => new VKMiniAppAuthenticator(0, SECRET)).toThrow(TypeError);
    expect(() => new VKMiniAppAuthenticator(6736218, SECRET, { ttl: -1 })).toThrow(TypeError);
  });
});
