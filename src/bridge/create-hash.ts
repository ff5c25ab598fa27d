import { fail, VkAuthError } from '../errors.js';
import { checkFreshness } from '../expiry.js';
import { MAX_INPUT_LENGTH, SIGN_SHAPE } from '../launch-params/limits.js';
import { parseNonNegativeInteger } from '../launch-params/numbers.js';
import { toMilliseconds } from '../launch-params/typed.js';
import { type CompiledOptions, compileOptions, type VerifyOptions } from '../options.js';
import { matchSignature, type SignatureVariant } from '../signature.js';
import { createHashCanonical } from './create-hash-canonical.js';
import { isWellFormed, readId, readOptions } from './ids.js';

/**
 * What `VKWebAppCreateHash({ payload })` resolves to on the client, sent on to
 * the server with the request it vouches for.
 *
 * @example
 * ```ts
 * // In the mini app:
 * const data: CreateHashData = await bridge.send('VKWebAppCreateHash', { payload: requestId });
 * await fetch('/api/transfer', { method: 'POST', body: JSON.stringify({ ...order, createHash: data }) });
 * ```
 */
export interface CreateHashData {
  /** The payload the front end passed to `VKWebAppCreateHash`; VK signs it as `request_id`. */
  readonly payload: string;
  /** When VK signed it: Unix seconds (a value above 10^12 is read as milliseconds), a number or its digits. */
  readonly ts: number | string;
  /** HMAC-SHA256 under the app's Secure key, base64url: 43 characters. */
  readonly sign: string;
}

/**
 * How {@link verifyCreateHash} checks a CreateHash sign: the app's secret and
 * time options as in {@link VerifyOptions}, plus the app and the user the sign
 * must be for. Take `appId` and `userId` from the verified launch params,
 * never from the client.
 *
 * @example
 * ```ts
 * const params = await verifyLaunchParams(req.headers.authorization, { secret });
 * const options: CreateHashOptions = {
 *   secret,
 *   appId: params.vk_app_id,
 *   userId: params.vk_user_id,
 *   maxAge: 300, // seconds; default 3600, 0 turns the check off
 * };
 * ```
 */
export interface CreateHashOptions extends Omit<VerifyOptions, 'appId'> {
  /** The app the sign must be for: `vk_app_id` of the verified launch params. With a per-app secret map, it picks the secret. */
  appId: number | string;
  /** The user the sign must be for: `vk_user_id` of the verified launch params. */
  userId: number | string;
}

/**
 * A CreateHash sign that passed: the payload VK signed and its `ts` (as sent:
 * seconds, or milliseconds when above 10^12).
 *
 * @example
 * ```ts
 * const { payload, ts }: VerifiedCreateHash = await verifyCreateHash(data, options);
 * ```
 */
export interface VerifiedCreateHash {
  /** The payload VK signed for this user of this app. */
  readonly payload: string;
  /** When VK signed it, as sent. */
  readonly ts: number;
}

/**
 * Verifies what `VKWebAppCreateHash` returned: the HMAC-SHA256 `sign` over
 * `app_id`, `request_id` (the payload), `ts` and `user_id`, sorted and encoded
 * as launch params are, compared in constant time; then the age of `ts`
 * (`maxAge`, `clockSkew`, `now` as for launch params). Resolves to the payload
 * and `ts`, or rejects with {@link VkAuthError}: `CREATE_HASH_MISSING` (no
 * `sign`, `ts` or `payload`), `CREATE_HASH_INVALID` (wrong shape, or a sign
 * that does not match), `CREATE_HASH_EXPIRED`, `TS_IN_FUTURE`, or
 * `UNKNOWN_APP` (a per-app secret map without this app). A bad option rejects
 * with a `TypeError`.
 *
 * A sign stays valid until it expires, so it can be replayed with the same
 * payload: make the payload identify the request (an id you accept once, a
 * digest of the body) when that matters.
 *
 * @example
 * ```ts
 * import { verifyCreateHash, verifyLaunchParams } from 'vk-miniapp-auth';
 *
 * const params = await verifyLaunchParams(request.headers.get('authorization'), { secret });
 * const { payload } = await verifyCreateHash(
 *   { payload: body.requestId, ts: body.ts, sign: body.sign },
 *   { secret, appId: params.vk_app_id, userId: params.vk_user_id },
 * );
 * ```
 */
export function verifyCreateHash(
  data: Partial<CreateHashData> | null | undefined,
  options: CreateHashOptions,
): Promise<VerifiedCreateHash> {
  try {
    const checked = readOptions(options, '{ appId, userId, secret }');
    const appId = readId('appId', checked.appId);
    const userId = readId('userId', checked.userId);
    return verifyCreateHashWith(data, appId, userId, compileCreateHashOptions(checked));
  } catch (error) {
    // A misconfiguration rejects like every other failure, rather than throwing synchronously.
    return Promise.reject(error);
  }
}

/** Validates the secret and time options once (adapters do it at start-up); a `TypeError` names a bad one. */
export function compileCreateHashOptions(options: Omit<VerifyOptions, 'appId'>): CompiledOptions {
  const { secret, maxAge, clockSkew, now } = readOptions(options, 'at least { secret }');
  return compileOptions({ secret, maxAge, clockSkew, now });
}

/**
 * The check behind {@link verifyCreateHash}, for callers that compiled their
 * options and hold verified ids. Every failure is a rejection.
 */
export async function verifyCreateHashWith(
  data: unknown,
  appId: number,
  userId: number,
  options: CompiledOptions,
): Promise<VerifiedCreateHash> {
  const fields = readCreateHashData(data);
  const secrets = options.secretsFor(appId);
  const canonical = createHashCanonical({ appId, userId, payload: fields.payload, ts: fields.tsText });
  return accept(await matchSignature(canonical, fields.sign, secrets), fields, options);
}

interface CreateHashFields {
  readonly payload: string;
  readonly ts: number;
  readonly tsText: string;
  readonly sign: string;
}

function readCreateHashData(data: unknown): CreateHashFields {
  if (data === undefined || data === null) {
    fail(
      'CREATE_HASH_MISSING',
      'The request carries no CreateHash data: send the { payload, ts, sign } of VKWebAppCreateHash.',
    );
  }
  if (typeof data !== 'object') {
    fail('CREATE_HASH_INVALID', 'The CreateHash data must be the { payload, ts, sign } object of VKWebAppCreateHash.');
  }
  const { payload, ts, sign } = data as { payload?: unknown; ts?: unknown; sign?: unknown };
  const missing = [
    isAbsent(sign) ? 'sign' : undefined,
    isAbsent(ts) ? 'ts' : undefined,
    payload === undefined || payload === null ? 'payload' : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    fail(
      'CREATE_HASH_MISSING',
      `The CreateHash data carry no ${missing.join(', ')}: send sign, ts and payload as VKWebAppCreateHash returned them.`,
    );
  }
  if (typeof sign !== 'string' || !SIGN_SHAPE.test(sign)) {
    fail('CREATE_HASH_INVALID', 'The CreateHash sign is not 43 base64url characters, so it cannot be a VK signature.');
  }
  const tsText = typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 ? String(ts) : ts;
  if (typeof tsText !== 'string' || parseNonNegativeInteger(tsText) === undefined) {
    fail('CREATE_HASH_INVALID', 'The CreateHash ts must be the integer VKWebAppCreateHash returned (Unix seconds).');
  }
  if (typeof payload !== 'string') {
    fail('CREATE_HASH_INVALID', 'The CreateHash payload must be the string passed to VKWebAppCreateHash.');
  }
  if (payload.length > MAX_INPUT_LENGTH) {
    fail('CREATE_HASH_INVALID', `A CreateHash payload over ${MAX_INPUT_LENGTH} characters is refused.`);
  }
  if (!isWellFormed(payload)) {
    fail('CREATE_HASH_INVALID', 'The CreateHash payload is not valid Unicode, so VK cannot have signed it.');
  }
  return { payload, ts: Number(tsText), tsText, sign };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function accept(
  variant: SignatureVariant | undefined,
  fields: CreateHashFields,
  options: CompiledOptions,
): VerifiedCreateHash {
  if (variant === undefined) {
    fail(
      'CREATE_HASH_INVALID',
      "The CreateHash sign does not match this payload, ts, user and app: check that the secret is the app's Secure key and that the payload is exactly the one this user passed to VKWebAppCreateHash.",
    );
  }
  checkAge(fields.ts, options);
  return { payload: fields.payload, ts: fields.ts };
}

/** The core's freshness rule, with its own code for an old sign: the remedy is a new hash, not a relaunch. */
function checkAge(ts: number, options: CompiledOptions): void {
  if (options.maxAgeMs === 0) return;
  const timestampMs = toMilliseconds(ts);
  const nowMs = options.now();
  try {
    checkFreshness(timestampMs, { ...options, now: () => nowMs }, 'The CreateHash ts');
  } catch (error) {
    if (!VkAuthError.is(error, 'EXPIRED')) throw error;
    fail(
      'CREATE_HASH_EXPIRED',
      `The CreateHash sign is ${Math.floor((nowMs - timestampMs) / 1000)} s old, over maxAge (${options.maxAgeMs / 1000} s); call VKWebAppCreateHash again for this request.`,
    );
  }
}
