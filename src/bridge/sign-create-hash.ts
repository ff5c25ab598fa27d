import { signMessage } from '../signature.js';
import type { CreateHashData } from './create-hash.js';
import { createHashCanonical } from './create-hash-canonical.js';
import { isWellFormed, readId, readOptions } from './ids.js';

/**
 * Signs a payload as `VKWebAppCreateHash` does, resolving to the
 * `{ payload, ts, sign }` the bridge would return. For tests and local
 * development (outside VK there is no bridge to ask): in production only VK
 * signs.
 *
 * @example
 * ```ts
 * const data = await signCreateHash(
 *   { payload: 'order-42', ts: Math.floor(Date.now() / 1000) },
 *   { secret: 'dev-secret', appId: 6736218, userId: 494075 },
 * );
 * await fetch('/api/orders/42/pay', {
 *   method: 'POST',
 *   headers: { Authorization: `Bearer ${launch}`, 'X-VK-Sign': data.sign, 'X-VK-Sign-Ts': String(data.ts) },
 * });
 * ```
 */
export async function signCreateHash(
  data: {
    /** What the front end would pass to `VKWebAppCreateHash`. */
    readonly payload: string;
    /** Unix seconds. Default: now. */
    readonly ts?: number;
  },
  options: {
    /** The Secure key your code under test verifies with. */
    readonly secret: string;
    /** `vk_app_id` of the launch the sign is for. */
    readonly appId: number | string;
    /** `vk_user_id` of the launch the sign is for. */
    readonly userId: number | string;
  },
): Promise<
  CreateHashData & {
    /** Unix seconds, as a number. */
    readonly ts: number;
  }
> {
  const { secret, appId, userId } = readOptions(options, '{ secret, appId, userId }');
  if (typeof secret !== 'string' || secret === '') {
    throw new TypeError('vk-miniapp-auth: signCreateHash needs the secret as a non-empty string.');
  }
  const { payload, ts = Math.floor(Date.now() / 1000) } = readOptions(data, '{ payload, ts }');
  if (typeof payload !== 'string' || !isWellFormed(payload)) {
    throw new TypeError('vk-miniapp-auth: signCreateHash needs the payload as a string of valid Unicode.');
  }
  if (!Number.isSafeInteger(ts) || ts < 0) {
    throw new TypeError('vk-miniapp-auth: signCreateHash needs ts as an integer number of Unix seconds.');
  }
  const canonical = createHashCanonical({
    appId: readId('appId', appId),
    userId: readId('userId', userId),
    payload,
    ts: String(ts),
  });
  return { payload, ts, sign: await signMessage(secret, canonical.php) };
}
