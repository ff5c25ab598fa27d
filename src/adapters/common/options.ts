import type { LaunchParamsInput } from '../../launch-params/input.js';
import type { LaunchParams } from '../../launch-params/types.js';
import type { MaxVerifyOptions } from '../../max/options.js';
import type { VerifyOptions } from '../../options.js';
import type { SessionOptions } from '../../session/options.js';
import type { MaxLaunch, VkLaunch } from './context.js';

/**
 * Turns a verified launch into your user: the `get_or_create` step. May be
 * async. `null`, `undefined` or `false` refuses the request (401
 * `USER_REJECTED`); a `VkAuthError` it throws refuses with that error's code;
 * any other exception is a server error, passed to the framework's error
 * handling.
 *
 * It gets the verified launch params, the framework's request, and the
 * launch: `platform` and `userId` besides the params ({@link VkLaunch}). With
 * `Max` (an adapter given the `max` option) a MAX launch comes too: `params`
 * is then `undefined` and the launch is a {@link MaxLaunch}, so key accounts on
 * the launch's (`platform`, `userId`).
 *
 * @example
 * ```ts
 * const resolveUser: ResolveUser<Request, User> = (params) => users.getOrCreate(params.vk_user_id);
 * // One back end for VK, OK and MAX:
 * const anyPlatform: ResolveUser<Request, User, true> = (_params, _req, { platform, userId }) =>
 *   users.getOrCreate(platform, userId);
 * ```
 */
export type ResolveUser<Req, User, Max extends boolean = false> = (
  params: [Max] extends [false] ? LaunchParams : LaunchParams | undefined,
  request: Req,
  launch: [Max] extends [false] ? VkLaunch : VkLaunch | MaxLaunch,
) => User | null | undefined | false | Promise<User | null | undefined | false>;

/**
 * The adapters' `max` option: MAX launches are let in beside VK and OK ones,
 * verified as `vk-miniapp-auth/max` does (docs/max.md). The adapter's `now`
 * drives their clock too.
 *
 * @example
 * ```ts
 * const max: MaxAdapterOptions = { botToken: process.env.MAX_BOT_TOKEN!, maxAge: 3600 };
 * ```
 */
export type MaxAdapterOptions = Omit<MaxVerifyOptions, 'now'>;

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
export interface VkMiniAppAuthOptions<Req, User = undefined, Max extends boolean = false> extends VerifyOptions {
  /** The `get_or_create` hook; see {@link ResolveUser}. */
  resolveUser?: ResolveUser<Req, User, Max>;
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
  /**
   * Lets MAX launches in too (docs/max.md): a credential sent with the scheme
   * `tma` or `max`, or MAX init data under `Bearer` or no scheme (a top-level
   * `hash` key and no `sign`, or a launch URL's `WebAppData`), is verified
   * with the bot token, and `vk` is then a `MaxContext` (`platform: 'max'`).
   * Its `maxAge` and `clockSkew` are MAX's own; the adapter's `appId`,
   * `maxAge` and `clockSkew` are VK's. Without it, MAX init data are refused
   * like any other launch params that are not VK's.
   */
  max?: [Max] extends [false] ? undefined : MaxAdapterOptions;
}
