import { type MaxInitDataInput, readMaxCredential } from './input.js';
import { decodePairs, hashIn, refuseAmbiguousValues, splitInitData } from './pairs.js';
import { authDateMs, toMaxInitData } from './typed.js';
import type { MaxInitData } from './types.js';

/**
 * Reads MAX init data into their typed form **without checking the hash or
 * the age**: for showing them on the client, never for deciding on the server
 * who the user is (anyone can write init data; only {@link verifyMaxInitData}
 * knows whether MAX signed them). Throws the root entry's `VkAuthError` for
 * input that is not init data (a missing `hash` or `auth_date` included).
 * Values are decoded as MAX's own example decodes them: `%XX` as UTF-8, `+`
 * left as it is.
 *
 * @example
 * ```ts
 * import { parseMaxInitData } from 'vk-miniapp-auth/max';
 *
 * const data = parseMaxInitData(window.WebApp.initData);
 * greeting.textContent = `Hello, ${data.user?.first_name ?? 'guest'}`; // unverified: display only
 * ```
 */
export function parseMaxInitData(initData: MaxInitDataInput): MaxInitData {
  const sent = splitInitData(readMaxCredential(initData).initData);
  hashIn(sent);
  const pairs = decodePairs(sent, 'literal');
  refuseAmbiguousValues(pairs);
  return toMaxInitData(pairs, authDateMs(pairs));
}
