import { canonicalStrings, isSignedKey } from './launch-params/canonical.js';
import type { Pair } from './launch-params/pairs.js';
import { signMessage } from './signature.js';

/** A value {@link signLaunchParams} accepts: booleans become `1`/`0`, lists are joined with commas. */
export type SignableValue = string | number | boolean | readonly string[] | null | undefined;

/**
 * The `vk_*` params to sign. Parsed {@link LaunchParams} fit too (their `sign`
 * is ignored).
 *
 * @example
 * ```ts
 * const params: SignableParams = { vk_user_id: 1, vk_app_id: 2, vk_is_app_user: true };
 * ```
 */
export type SignableParams = { readonly [key: `vk_${string}`]: SignableValue };

/**
 * Signs `vk_*` params the way VK does and resolves to a complete query string
 * (no leading `?`): the pairs in canonical order, then `sign`. For tests and
 * local development: in production only VK signs.
 *
 * @example
 * ```ts
 * const query = await signLaunchParams(
 *   { vk_user_id: 494075, vk_app_id: 6736218, vk_ts: Math.floor(Date.now() / 1000), vk_platform: 'desktop_web' },
 *   'dev-secret',
 * );
 * await fetch('/api/me', { headers: { Authorization: `Bearer ${query}` } });
 * ```
 */
export async function signLaunchParams(params: SignableParams, secret: string): Promise<string> {
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('vk-miniapp-auth: signLaunchParams needs the secret as a non-empty string.');
  }
  const pairs = signablePairs(params).sort((a, b) => (a.key < b.key ? -1 : 1));
  const { php } = canonicalStrings(pairs);
  const sign = await signMessage(secret, php);
  return php === '' ? `sign=${sign}` : `${php}&sign=${sign}`;
}

/**
 * Turns typed `vk_*` values back into the text VK signs. `sign` is skipped so
 * that parsed params can be signed or checked again.
 */
export function signablePairs(params: SignableParams): Pair[] {
  if (params === null || typeof params !== 'object') {
    throw new TypeError('vk-miniapp-auth: expected an object of vk_* params.');
  }
  const pairs: Pair[] = [];
  for (const key of Object.keys(params)) {
    if (key === 'sign') continue;
    if (!isSignedKey(key)) {
      throw new TypeError(`vk-miniapp-auth: only vk_* params are signed; add "${key}" to the URL yourself.`);
    }
    const value = (params as Readonly<Record<string, SignableValue>>)[key];
    if (value === undefined || value === null) continue;
    pairs.push({ key, value: signableText(key, value) });
  }
  return pairs;
}

function signableText(key: string, value: Exclude<SignableValue, null | undefined>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  throw new TypeError(`vk-miniapp-auth: ${key} must be a string, a finite number, a boolean or a list of strings.`);
}
