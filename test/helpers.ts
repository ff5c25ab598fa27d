import { signLaunchParams } from '../src/index.js';

export const SECRET = 'test-secret-not-a-real-key';
/** 2026-11-30T00:00:00Z, so expiry tests do not depend on the wall clock. */
export const NOW_MS = Date.UTC(2026, 10, 30);
export const NOW_S = NOW_MS / 1000;
export const now = () => NOW_MS;

/** A typical launch, signed with {@link SECRET} at {@link NOW_S}. */
export function launch(overrides: Record<string, string | number | boolean | undefined> = {}, secret = SECRET) {
  return signLaunchParams(
    {
      vk_access_token_settings: 'friends,photos',
      vk_app_id: 6736218,
      vk_are_notifications_enabled: 0,
      vk_is_app_user: 1,
      vk_is_favorite: 0,
      vk_language: 'ru',
      vk_platform: 'mobile_android',
      vk_ref: 'other',
      vk_ts: NOW_S,
      vk_user_id: 494075,
      ...overrides,
    },
    secret,
  );
}

/** Standard base64 of UTF-8 text, as a browser's btoa over encoded bytes gives. */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Resolves to the error a promise rejects with, or fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
