import { timingSafeEqual } from '../crypto/constant-time.js';
import { fail, VkAuthError } from '../errors.js';
import { checkFreshness } from '../expiry.js';
import type { Pair } from '../launch-params/pairs.js';
import { type MaxInitDataInput, readMaxCredential } from './input.js';
import { type CompiledMaxOptions, compileMaxOptions, type MaxVerifyOptions } from './options.js';
import { decodePairs, hashIn, plusReadings, refuseAmbiguousValues, splitInitData } from './pairs.js';
import { dataCheckString, HASH_SHAPE, hashOf } from './signature.js';
import { authDateMs, toMaxInitData } from './typed.js';
import type { MaxInitData } from './types.js';

/**
 * Verifies MAX mini-app init data and returns them read, or rejects with the
 * root entry's `VkAuthError`.
 *
 * Takes `window.WebApp.initData`, the launch URL, or an `Authorization` value
 * (see {@link MaxInitDataInput}); checks the `hash` MAX computed with the bot
 * token (HMAC-SHA256, compared in constant time) and the age of `auth_date`.
 * A bad option rejects with a `TypeError` naming it, never showing the token.
 *
 * @example
 * ```ts
 * import { verifyMaxInitData } from 'vk-miniapp-auth/max';
 *
 * const data = await verifyMaxInitData(request.headers.get('authorization'), {
 *   botToken: process.env.MAX_BOT_TOKEN!,
 * });
 * console.log(data.user?.id); // a MAX user id you can trust
 * ```
 */
export function verifyMaxInitData(initData: MaxInitDataInput, options: MaxVerifyOptions): Promise<MaxInitData> {
  try {
    return verifyMaxInitDataWith(initData, compileMaxOptions(options));
  } catch (error) {
    // A misconfiguration rejects like every other failure, rather than throwing synchronously.
    return Promise.reject(error);
  }
}

/**
 * Like {@link verifyMaxInitData}, but resolves to `false` instead of
 * rejecting for refused init data. A misconfiguration still rejects.
 *
 * @example
 * ```ts
 * import { isValidMaxInitData } from 'vk-miniapp-auth/max';
 *
 * if (!(await isValidMaxInitData(initData, { botToken: process.env.MAX_BOT_TOKEN! }))) {
 *   return new Response(null, { status: 401 });
 * }
 * ```
 */
export async function isValidMaxInitData(initData: MaxInitDataInput, options: MaxVerifyOptions): Promise<boolean> {
  try {
    await verifyMaxInitData(initData, options);
    return true;
  } catch (error) {
    if (VkAuthError.is(error)) return false;
    throw error;
  }
}

/**
 * The verification, for callers (adapters) that compiled their options at
 * start-up with {@link compileMaxOptions}. In order: the input form, the pairs
 * (repeated and forbidden keys refused), the hash's shape, the signature, the
 * data-check string's reading, `auth_date` and its age, then `user` and
 * `chat`. Every failure is a rejection.
 */
export async function verifyMaxInitDataWith(input: unknown, options: CompiledMaxOptions): Promise<MaxInitData> {
  const { initData } = readMaxCredential(input);
  const sent = splitInitData(initData);
  const hash = hashIn(sent);
  if (!HASH_SHAPE.test(hash)) {
    fail('SIGN_INVALID', 'The hash is not 64 lower-case hex digits, so it cannot be the HMAC-SHA256 MAX sends.');
  }
  const pairs = await signedReading(sent, hash, await options.secretKey());
  if (pairs === undefined) {
    return fail(
      'SIGN_INVALID',
      "The hash does not match these init data: check that botToken is the token of the mini app's bot, and that the client sends window.WebApp.initData as MAX gave it.",
    );
  }
  refuseAmbiguousValues(pairs);
  const authDate = authDateMs(pairs);
  checkFreshness(authDate, options, 'auth_date');
  return toMaxInitData(pairs, authDate);
}

/**
 * The decoded pairs whose data-check string `hash` signs, or `undefined`.
 * Values are decoded as MAX's own example decodes them (`+` stays `+`) and,
 * when a value holds a raw `+`, as form decoders do (`+` is a space): the
 * pairs returned are the reading that was signed.
 */
async function signedReading(sent: readonly Pair[], hash: string, secretKey: Uint8Array): Promise<Pair[] | undefined> {
  for (const reading of plusReadings(sent)) {
    const pairs = decodePairs(sent, reading);
    if (timingSafeEqual(await hashOf(secretKey, dataCheckString(pairs)), hash)) return pairs;
  }
  return undefined;
}
