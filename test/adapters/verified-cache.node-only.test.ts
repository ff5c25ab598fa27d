import { describe, expect, it } from 'vitest';
import { createAuthenticate } from '../../src/adapters/common/authenticate.js';
import { VkAuthError } from '../../src/index.js';
import { launch, NOW_MS, rejection, SECRET } from '../helpers.js';

// The shared layer every adapter uses: a repeated credential is served from
// memory, but its age is checked again on every request.
describe('the verified-credential cache of the adapters', () => {
  it('serves a repeat without verifying again, and still checks its age against the current time', async () => {
    let time = NOW_MS;
    let resolved = 0;
    const authenticate = createAuthenticate({
      secret: SECRET,
      now: () => time,
      resolveUser: (params) => ({ id: params.vk_user_id, call: ++resolved }),
    });
    const header = `Bearer ${await launch()}`;
    const first = await authenticate({}, header);
    const second = await authenticate({}, header);
    expect(second?.params).toBe(first?.params); // the same verified object, not verified twice
    expect(second?.user.call).toBe(2); // resolveUser still runs per request
    time = NOW_MS + 3600_000 + 31_000;
    const error = await rejection(authenticate({}, header));
    expect(VkAuthError.is(error, 'EXPIRED')).toBe(true);
    // Once expired, it stays refused even if the clock goes back: the entry is gone and verification is full.
    time = NOW_MS + 3600_000 + 60_000;
    expect(VkAuthError.is(await rejection(authenticate({}, header)), 'EXPIRED')).toBe(true);
  });

  it('never remembers a refusal, nor lets a variant of a remembered credential through', async () => {
    const authenticate = createAuthenticate({ secret: SECRET, now: () => NOW_MS });
    const query = await launch();
    await authenticate({}, `Bearer ${query}`);
    const tampered = `Bearer ${query.replace('vk_user_id=494075', 'vk_user_id=494076')}`;
    for (let i = 0; i < 2; i++) {
      expect(VkAuthError.is(await rejection(authenticate({}, tampered)), 'SIGN_INVALID')).toBe(true);
    }
    expect(VkAuthError.is(await rejection(authenticate({}, `Bearer ${query}&vk_user_id=1`)), 'DUPLICATE_PARAM')).toBe(
      true,
    );
  });

  it('hands out read-only params, cached or not', async () => {
    for (const cache of [true, false]) {
      const authenticate = createAuthenticate({ secret: SECRET, now: () => NOW_MS, cache });
      const vk = await authenticate({}, await launch());
      expect(Object.isFrozen(vk?.params)).toBe(true);
      expect(Object.isFrozen(vk?.params.vk_access_token_settings)).toBe(true);
    }
  });

  it('with cache: false or 0, verifies every request in full', async () => {
    for (const cache of [false, 0]) {
      const authenticate = createAuthenticate({ secret: SECRET, now: () => NOW_MS, cache });
      const header = await launch();
      const first = await authenticate({}, header);
      const second = await authenticate({}, header);
      expect(second?.params).not.toBe(first?.params);
      expect(second?.params).toEqual(first?.params);
    }
  });

  it('forgets the oldest credential when full', async () => {
    let time = NOW_MS;
    const authenticate = createAuthenticate({ secret: SECRET, now: () => time, cache: 2 });
    const headers = await Promise.all([1, 2, 3].map((id) => launch({ vk_user_id: id })));
    const first = await Promise.all(headers.map((header) => authenticate({}, header)));
    time += 1000;
    expect((await authenticate({}, headers[2]))?.params).toBe(first[2]?.params);
    expect((await authenticate({}, headers[0]))?.params).not.toBe(first[0]?.params);
  });

  it('refuses a bad cache option at creation', () => {
    for (const cache of [-1, 1.5, 'big', Number.NaN]) {
      expect(() => createAuthenticate({ secret: SECRET, cache: cache as never })).toThrow(TypeError);
    }
  });
});
