import type { Context, Middleware } from 'koa';
import type { VkAuthError } from '../../errors.js';
import { createAuthenticate } from '../common/authenticate.js';
import type { AdapterContext, VkOrMaxContext } from '../common/context.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { readOnError, refusalOf } from '../common/refusal.js';
import { sendSessionHeaders } from '../common/session.js';
import { sendRefusal } from './refusal.js';

/**
 * What the middleware adds to `ctx.state`: `vk`, the verified launch and the
 * user `resolveUser` returned. With `optional: true`, `vk` is `null` for an
 * anonymous request; with `max` (`Max` is `true`), it may be a MAX launch.
 *
 * @example
 * ```ts
 * const app = new Koa<VkState<User>>();
 * app.use((ctx) => {
 *   ctx.body = { user_id: ctx.state.vk.user.id };
 * });
 * ```
 */
export interface VkState<User = undefined, Optional extends boolean = false, Max extends boolean = false> {
  /** The verified launch and user (`ctx.state.vk`); `null` for an anonymous request let through by `optional`. */
  vk: Optional extends false ? AdapterContext<User, Max> : AdapterContext<User, Max> | null;
}

/**
 * Options of the Koa middleware: {@link VkMiniAppAuthOptions} (with `ctx` as the
 * request) plus `onError`.
 *
 * @example
 * ```ts
 * const options: KoaVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   getCredentials: (ctx) => ctx.cookies.get('vk_launch'),
 * };
 * ```
 */
export interface KoaVkMiniAppAuthOptions<User = undefined, Max extends boolean = false>
  extends VkMiniAppAuthOptions<Context, User, Max> {
  /**
   * Answers a refused request in your own style: set `ctx.status` and
   * `ctx.body`, or throw (`ctx.throw(401)`) to hand the refusal to your
   * error-handling middleware. May be async. Default: 401, `WWW-Authenticate`,
   * and `{"error": "<CODE>", "message": "…"}`.
   */
  onError?: (error: VkAuthError, ctx: Context) => unknown;
}

/**
 * Koa 3 (and 2) middleware that verifies the launch params of every request it
 * guards and puts the result on `ctx.state.vk`.
 *
 * Its type is Koa's own `Middleware<StateT>`, so `app.use` (or a router's
 * route) types `ctx.state.vk` for the middleware after it, with the user type
 * inferred from `resolveUser`; with `optional: true`, `vk` may be `null`.
 * A refusal answers 401 with `WWW-Authenticate` and a JSON body (restyle it
 * with `onError`); any other error, such as `resolveUser` throwing, is thrown
 * on to Koa's error handling.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/koa';
 *
 * const app = new Koa()
 *   .use(vkMiniAppAuth({
 *     secret: process.env.VK_APP_SECRET!,
 *     resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   }))
 *   .use((ctx) => {
 *     ctx.body = { user_id: ctx.state.vk.user.id };
 *   });
 *
 * // VK, OK and MAX launches of the same app: ctx.state.vk is then VkOrMaxContext.
 * vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   max: { botToken: process.env.MAX_BOT_TOKEN! },
 *   resolveUser: (_params, _ctx, { platform, userId }) => users.getOrCreate(platform, userId),
 * });
 * ```
 */
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: KoaVkMiniAppAuthOptions<User> & { optional?: Optional },
): Middleware<VkState<User, Optional>>;
// With `max` (set, or possibly undefined): after the overload without it, which takes every call that has none.
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: KoaVkMiniAppAuthOptions<User, true> & { optional?: Optional },
): Middleware<VkState<User, Optional, true>>;
export function vkMiniAppAuth<User = undefined, Optional extends boolean = false>(
  options: KoaVkMiniAppAuthOptions<User, boolean> & { optional?: Optional },
): Middleware<VkState<User, Optional, boolean>> {
  const authenticate = createAuthenticate(options);
  const onError = readOnError(options.onError ?? sendRefusal);

  // No exemption for CORS preflights: what follows sees ctx.state.vk typed as present, so a
  // preflight is a request like any other here; CORS middleware goes before this one.
  return async (ctx, next) => {
    let vk: VkOrMaxContext<User> | null;
    try {
      vk = await authenticate(ctx as Context, ctx.get('Authorization'));
    } catch (error) {
      // Anything but a refusal (resolveUser failing, a bug) goes on to Koa's error handling: a 500.
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      await onError(refusal, ctx as Context);
      return;
    }
    ctx.state.vk = vk as VkState<User, Optional, boolean>['vk'];
    if (vk?.session !== undefined) {
      sendSessionHeaders(
        vk.session,
        (name) => ctx.response.get(name),
        (name, value) => ctx.set(name, value),
      );
    }
    return next();
  };
}
