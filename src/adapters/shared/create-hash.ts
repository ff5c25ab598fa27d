import { compileCreateHashOptions, type VerifiedCreateHash, verifyCreateHashWith } from '../../bridge/create-hash.js';
import { readOptions } from '../../bridge/ids.js';
import { VkAuthError } from '../../errors.js';
import { compileWhenConfigured } from '../../missing-option.js';
import type { VerifyOptions } from '../../options.js';
import type { VkContext } from './context.js';

/** Where {@link RequireCreateHashOptions} reads `sign` by default. */
export const CREATE_HASH_SIGN_HEADER = 'x-vk-sign';
/** Where {@link RequireCreateHashOptions} reads `ts` by default. */
export const CREATE_HASH_TS_HEADER = 'x-vk-sign-ts';

/**
 * Reads one field of the CreateHash data from a request: a header, the body,
 * a query parameter. May be async (a body to parse). `null`, `undefined` or
 * `''` means the request does not carry it (`CREATE_HASH_MISSING`).
 *
 * @example
 * ```ts
 * const payload: CreateHashSource<Request, string> = (req) => req.body?.requestId;
 * ```
 */
export type CreateHashSource<Req, Value> = (
  request: Req,
) => Value | null | undefined | Promise<Value | null | undefined>;

/**
 * Options of every adapter's `requireCreateHash`: a route guard, placed after
 * `vkMiniAppAuth`, that also requires a valid `VKWebAppCreateHash` sign made
 * for the user and app of the verified launch params. `secret`, `maxAge`
 * (default 3600 s, `0` turns the age check off), `clockSkew` and `now` work
 * as in {@link VerifyOptions}.
 *
 * @example
 * ```ts
 * const options: RequireCreateHashOptions<Request> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   payload: (req) => req.body?.requestId, // or a header: (req) => req.get('x-vk-sign-payload')
 *   maxAge: 300,
 * };
 * ```
 */
export interface RequireCreateHashOptions<Req> extends Omit<VerifyOptions, 'appId'> {
  /**
   * The payload VK signed for this request, as the front end passed it to
   * `VKWebAppCreateHash`: from the body, or from a header. Make it identify
   * the request (an id, a digest of the body), so that a sign cannot vouch
   * for another one.
   */
  payload: CreateHashSource<Req, string>;
  /** The `sign` VK returned. Default: the `X-VK-Sign` header. */
  sign?: CreateHashSource<Req, string>;
  /** The `ts` VK returned. Default: the `X-VK-Sign-Ts` header. */
  ts?: CreateHashSource<Req, string | number>;
}

/** Checks one request's CreateHash sign against the `vk` an adapter set on it (`undefined`: none ran). */
export type CheckCreateHash<Req> = (
  request: Req,
  vk: VkContext<unknown> | null | undefined,
) => Promise<VerifiedCreateHash>;

/**
 * Checks the options once, at start-up (a `TypeError` names a bad one), and
 * returns the request-time check every adapter's `requireCreateHash` shares.
 * `header` reads a header (lower-case name) the framework's way.
 */
export function createCheckCreateHash<Req>(
  options: RequireCreateHashOptions<Req>,
  header: (request: Req, name: string) => string | null | undefined,
): CheckCreateHash<Req> {
  const checked = readOptions(options, 'at least { secret, payload }');
  // A secret with no value waits for the first request (see compileWhenConfigured).
  const configured = compileWhenConfigured(() => compileCreateHashOptions(checked));
  const {
    payload,
    sign = (request: Req) => header(request, CREATE_HASH_SIGN_HEADER),
    ts = (request: Req) => header(request, CREATE_HASH_TS_HEADER),
  } = options;
  if (typeof payload !== 'function') {
    throw new TypeError(
      'vk-miniapp-auth: options.payload must be a function returning the payload VK signed for the request.',
    );
  }
  if (typeof sign !== 'function') throw new TypeError('vk-miniapp-auth: options.sign must be a function.');
  if (typeof ts !== 'function') throw new TypeError('vk-miniapp-auth: options.ts must be a function.');

  return async (request, vk) => {
    if (vk === undefined) {
      // A wiring mistake, not a bad request: the framework's error handling answers 500.
      throw new Error(
        'vk-miniapp-auth: requireCreateHash found no launch-params check on this route; put it after vkMiniAppAuth.',
      );
    }
    if (vk === null) {
      throw new VkAuthError(
        'MISSING_CREDENTIALS',
        'This route needs launch params, and a CreateHash sign made for their user: send location.search in Authorization.',
      );
    }
    const compiled = configured();
    const [payloadValue, signValue, tsValue] = await Promise.all([payload(request), sign(request), ts(request)]);
    return verifyCreateHashWith(
      { payload: payloadValue, sign: signValue, ts: tsValue },
      vk.params.vk_app_id,
      vk.params.vk_user_id,
      compiled,
    );
  };
}

/** A Node header value (`string | string[]`) as one string; a repeated header is not a CreateHash field. */
export function singleHeader(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
