/**
 * Sessions that outlive the launch. VK signs the launch params once, at
 * launch, and never refreshes them while the app stays open; with the safe
 * `maxAge` of an hour, a user who keeps the app open longer is refused. A
 * session token carries a verified launch on: a standard JWS (HS256) made and
 * checked with `jose`, good for `ttl` seconds, renewed while in use, and never
 * past `maxLifetime` seconds after the launch. Stateless: every instance of
 * the back end verifies it with the same secret, and any other service can
 * with any JWT library.
 *
 * The adapters do all of this for you with their `session` option (see
 * docs/sessions.md); these functions are for everything else.
 *
 * @example
 * ```ts
 * import { verifyLaunchParams } from 'vk-miniapp-auth';
 * import { issueSessionToken, verifySessionToken } from 'vk-miniapp-auth/session';
 *
 * const session = { secret: process.env.VK_SESSION_SECRET! };
 * const params = await verifyLaunchParams(launchQuery, { secret: process.env.VK_APP_SECRET! });
 * const token = await issueSessionToken(params, session);
 * // later, on another request, on any instance:
 * const same = await verifySessionToken(token, session); // same.vk_user_id === params.vk_user_id
 * ```
 *
 * @module vk-miniapp-auth/session
 */

import { fail } from './errors.js';
import type { LaunchParams } from './launch-params/types.js';
import { compileSessionOptions, type SessionOptions } from './session/options.js';
import { launchTimeS, readSessionToken, signSessionToken } from './session/token.js';

export { VK_AUTH_ERROR_CODES, VkAuthError, type VkAuthErrorCode } from './errors.js';
export type { LaunchParams } from './launch-params/types.js';
export { MissingOptionError } from './missing-option.js';
export {
  DEFAULT_SESSION_MAX_LIFETIME,
  DEFAULT_SESSION_TTL,
  MIN_SESSION_SECRET_LENGTH,
  type SessionOptions,
} from './session/options.js';
export { SESSION_TOKEN_TYPE } from './session/token.js';

/**
 * Issues a session token for launch params you have verified. It is good for
 * `ttl` seconds, but never past `maxLifetime` seconds after the launch's
 * `vk_ts`: for a launch already that old it throws `VkAuthError` with code
 * `SESSION_EXPIRED`, and for params without `vk_ts` (from which no lifetime
 * can be counted) with `TS_MISSING`. Params restored from a session token
 * keep their `vk_ts`, so a token issued for them ends where the first did. Pass only params that `verifyLaunchParams` (or an
 * adapter) returned: the token vouches for whatever it is given.
 *
 * @example
 * ```ts
 * const params = await verifyLaunchParams(req.headers.authorization, { secret: process.env.VK_APP_SECRET! });
 * res.setHeader('VK-Session', await issueSessionToken(params, { secret: process.env.VK_SESSION_SECRET! }));
 * ```
 */
export async function issueSessionToken(params: LaunchParams, options: SessionOptions): Promise<string> {
  const compiled = compileSessionOptions(options);
  const launchedS = launchTimeS(params);
  if (launchedS === undefined) {
    fail('TS_MISSING', 'A session needs the launch time (vk_ts) to count maxLifetime from; these params carry none.');
  }
  const token = await signSessionToken(params, launchedS, compiled);
  return token ?? fail('SESSION_EXPIRED', 'This launch is older than the session maxLifetime; open the app again.');
}

/**
 * Verifies a session token (or an `Authorization` value `Bearer <token>`)
 * and returns the launch params it carries, as they were verified. Throws
 * `VkAuthError`: `SESSION_EXPIRED` past the token's `exp` or the session's
 * `maxLifetime`, `SESSION_INVALID` for anything else (another key, another
 * app, an edit, not a session token at all), `MISSING_CREDENTIALS` for no
 * token. Every key of a `secret` list is tried.
 *
 * @example
 * ```ts
 * const params = await verifySessionToken(req.headers.authorization, { secret: process.env.VK_SESSION_SECRET! });
 * console.log(params.vk_user_id);
 * ```
 */
export async function verifySessionToken(token: string, options: SessionOptions): Promise<LaunchParams> {
  return (await readSessionToken(token, compileSessionOptions(options))).params;
}
