import { MAX_INPUT_LENGTH, type VkAuthErrorCode } from '../../src/index.js';
import { launch, NOW_S, SECRET } from '../helpers.js';

/** The user type adapter tests resolve launch params to. */
export interface User {
  id: number;
  name: string;
}

/** A `get_or_create` that needs no database: the user is derived from the VK id. */
export const users = {
  async getOrCreate(vkUserId: number): Promise<User> {
    return { id: vkUserId, name: `user ${vkUserId}` };
  },
};

/**
 * Options every adapter must refuse when it is created, each with what the
 * TypeError has to name. Adapters with an `onError` option take the last one too.
 */
export const BAD_OPTIONS: readonly [unknown, RegExp][] = [
  [undefined, /options are required/],
  [{ secret: 42 }, /options\.secret/],
  [{ secret: [] }, /options\.secret/],
  [{ secret: SECRET, appId: 'abc' }, /options\.appId/],
  [{ secret: SECRET, maxAge: -1 }, /options\.maxAge/],
  [{ secret: SECRET, resolveUser: 'users' }, /options\.resolveUser/],
  [{ secret: SECRET, getCredentials: 'x-launch-params' }, /options\.getCredentials/],
  [{ secret: SECRET, optional: 'yes' }, /options\.optional/],
  [{ secret: SECRET, cache: -1 }, /options\.cache/],
  [{ secret: SECRET, max: 'bot-token' }, /options\.max\b/],
  [{ secret: SECRET, max: { botToken: 12345 } }, /options\.max\.botToken/],
  [{ secret: SECRET, max: { botToken: 'bot-token', maxAge: -1 } }, /options\.max\.maxAge/],
  [{ secret: SECRET, onError: 401 }, /options\.onError/],
];

/** The app adapters under refusal test accept: {@link REFUSED_CREDENTIALS} has a launch of another one. */
export const ACCEPTED_APP_ID = 6736218;

/** A credential every adapter must refuse with `code`, as the `Authorization` value (`undefined`: no header). */
export interface RefusedCredential {
  readonly name: string;
  readonly code: VkAuthErrorCode;
  readonly authorization: () => Promise<string | undefined>;
}

/**
 * What every adapter must answer with 401 and the stable code, configured with
 * `appId: ACCEPTED_APP_ID`: one table, so no adapter's suite misses a case.
 */
export const REFUSED_CREDENTIALS: readonly RefusedCredential[] = [
  { name: 'no Authorization header', code: 'MISSING_CREDENTIALS', authorization: async () => undefined },
  { name: 'a scheme alone', code: 'MISSING_CREDENTIALS', authorization: async () => 'Bearer ' },
  {
    name: 'a broken % escape',
    code: 'MALFORMED',
    authorization: async () => `Bearer ${await launch()}&vk_x=%E0%A4%A`,
  },
  {
    name: 'tampered params',
    code: 'SIGN_INVALID',
    authorization: async () => `Bearer ${(await launch()).replace('vk_user_id=494075', 'vk_user_id=1')}`,
  },
  {
    name: 'an old launch',
    code: 'EXPIRED',
    authorization: async () => `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`,
  },
  {
    name: 'a launch of another app',
    code: 'APP_ID_MISMATCH',
    authorization: async () => `Bearer ${await launch({ vk_app_id: 7000000 })}`,
  },
  {
    name: 'a repeated key',
    code: 'DUPLICATE_PARAM',
    authorization: async () => `Bearer ${await launch()}&vk_user_id=1`,
  },
  {
    name: 'a credential over 8 KiB',
    code: 'TOO_LARGE',
    authorization: async () => `Bearer ${await launch()}&utm=${'a'.repeat(MAX_INPUT_LENGTH)}`,
  },
];

/**
 * The WWW-Authenticate a refusal carries (RFC 6750, section 3.1): `error="invalid_token"`
 * for credentials that were sent and refused, no error code when none were sent,
 * `error="insufficient_scope"` for a valid launch whose viewer may not do this (403).
 */
export const CHALLENGE = 'Bearer realm="vk-miniapp", error="invalid_token"';
export const CHALLENGE_NO_CREDENTIALS = 'Bearer realm="vk-miniapp"';
export const CHALLENGE_INSUFFICIENT_SCOPE = 'Bearer realm="vk-miniapp", error="insufficient_scope"';

/** The challenge expected with a refusal's code. */
export function challengeFor(code: string): string {
  if (code === 'MISSING_CREDENTIALS') return CHALLENGE_NO_CREDENTIALS;
  return code === 'GROUP_ROLE_FORBIDDEN' ? CHALLENGE_INSUFFICIENT_SCOPE : CHALLENGE;
}
