import type { LaunchParamsInput } from '../../launch-params/input.js';
import type { LaunchParams } from '../../launch-params/types.js';
import type { VerifyOptions } from '../../options.js';
import type { SessionOptions } from '../../session/options.js';

/**
 * Turns verified launch params into your user: the `get_or_create` step. May
 * be async. `null`, `undefined` or `false` refuses the request (401
 * `USER_REJECTED`); a `VkAuthError` it throws refuses with that error's code;
 * any other exception is a server error, passed to the framework's error
 * handling.
 *
 * @example
 * ```ts
 * const resolveUser: ResolveUser<Request, User> = (params) => users.getOrCreate(params.vk_user_id);
 * ```
 */
export type ResolveUser<Req, User> = (
  params: LaunchParams,
  request: Req,
) => User | null | undefined | false | Promise<User | null | undefined | false>;

/**
 * Options every adapter takes, on top of {@link VerifyOptions}.
 *
 * @example
 * ```ts
 * const options: VkMiniAppAuthOptions<Request, User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   getCredentials: (req) => req.headers['x-launch-params'] as string | undefined,
 *   optional: false,
 * };
 * ```
 */
export interface VkMiniAppAuthOptions<Req, User = undefined> extends VerifyOptions {
  /** The `get_or_create` hook; see {@link ResolveUser}. */
  resolveUser?: ResolveUser<Req, User>;
  /**
   * Where the launch params are read from. Default: the `Authorization`
   * header (scheme `Bearer`, `VK`, or none). Return `null`/`undefined`/`''`
   * when the request carries none.
   */
  getCredentials?: (request: Req) => LaunchParamsInput | Promise<LaunchParamsInput>;
  /** Let requests without credentials through with `vk = null`. Bad credentials are still refused. */
  optional?: boolean;
  /**
   * How many verified credentials to remember (default 1024), so the repeats
   * of a session skip parsing and the HMAC; their age is still checked on
   * every request. `false` or `0` verifies every request in full.
   */
  cache?: boolean | number;
  /**
   * Sessions that outlive the launch (see docs/sessions.md): a request let in
   * by its launch params gets a session token in the `VK-Session` response
   * header, and a request sending `Authorization: Bearer <token>` is let in by
   * it, with the same `vk`. The adapter's `now` drives the session's clock.
   */
  session?: SessionOptions;
}
