import type { Context, MiddlewareHandler } from 'hono';
import type { VkAuthError } from '../../errors.js';
import { createAuthenticate } from '../common/authenticate.js';
import type { AdapterContext, VkOrMaxContext } from '../common/context.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { readOnError } from '../common/refusal.js';
import { SESSION_HEADER } from '../common/session.js';
import { refuse } from './refusal.js';

/**
 * The `Variables` the middleware adds to Hono's context: `vk`, the verified
 * launch and user, `null` for an anonymous request when `Optional` is
 * `true`; a VK, OK or, when `Max` is `true` (the `max` option), MAX launch.
 * The Hono idiom for typing an app that declares its variables up
 * front, as `JwtVariables` does for `hono/jwt`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { vkMiniAppAuth, type VkVariables } from 'vk-miniapp-auth/hono';
 *
 * const app = new Hono<{ Variables: VkVariables<User> }>();
 * app.use('/api/*', vkMiniAppAuth({ secret, resolveUser: (params) => users.getOrCreate(params.vk_user_id) }));
 * app.get('/api/me', (c) => c.json({ user_id: c.get('vk').user.id }));
 * ```
 */
export type VkVariables<User = undefined, Optional extends boolean = false, Max extends boolean = false> = {
  /** The verified launch and user (`c.get('vk')`); `null` for an anonymous request let through by `optional`. */
  vk: [Optional] extends [false] ? AdapterContext<User, Max> : AdapterContext<User, Max> | null;
};

/**
 * The Hono `Env` of the middleware: `{ Variables: VkVariables<User, Optional, Max> }`.
 *
 * @example
 * ```ts
 * const app = new Hono<VkEnv<User>>();
 * // or, next to your own bindings:
 * const app = new Hono<{ Bindings: Bindings } & VkEnv<User>>();
 * ```
 */
export type VkEnv<User = undefined, Optional extends boolean = false, Max extends boolean = false> = {
  /** The context variables the middleware sets: {@link VkVariables}. */
  Variables: VkVariables<User, Optional, Max>;
};

/**
 * What `vkMiniAppAuth` returns: a Hono `MiddlewareHandler` whose `Env` adds
 * `vk` to the `Variables` of the routes after it (that is the signature Hono
 * infers from), and which can also be called by hand with any app's `Context`,
 * as when it is created per request to read a secret from `c.env`.
 *
 * @example
 * ```ts
 * const auth: VkMiddleware<User> = vkMiniAppAuth({ secret, resolveUser });
 * app.use('/api/*', (c, next) => vkMiniAppAuth({ secret: c.env.VK_APP_SECRET, resolveUser })(c, next));
 * ```
 */
export type VkMiddleware<
  User = undefined,
  Optional extends boolean = false,
  Max extends boolean = false,
> = MiddlewareHandler &
  // Last, so that Hono's `use`/`get` infer the Env from it.
  MiddlewareHandler<VkEnv<User, Optional, Max>>;

/**
 * Options of the Hono middleware: {@link VkMiniAppAuthOptions} with Hono's
 * `Context` as the request (`resolveUser(params, c)`, `getCredentials(c)`),
 * plus `onError`.
 *
 * @example
 * ```ts
 * import { getCookie } from 'hono/cookie';
 *
 * const options: HonoVkMiniAppAuthOptions<User> = {
 *   secret: env.VK_APP_SECRET,
 *   getCredentials: (c) => getCookie(c, 'vk_launch'),
 *   resolveUser: (params, c) => users.getOrCreate(params.vk_user_id),
 * };
 * ```
 */
export interface HonoVkMiniAppAuthOptions<User = undefined, Max extends boolean = false>
  extends VkMiniAppAuthOptions<Context, User, Max> {
  /**
   * Answers a refused request in your own style: return a `Response` and it
   * is sent as is. Return nothing to keep the default, which throws Hono's
   * `HTTPException(401)` carrying the ready 401 (JSON `{"error": "<CODE>",
   * "message": "…"}` and `WWW-Authenticate`) with the `VkAuthError` as its
   * `cause`, so `app.onError` can restyle refusals app-wide instead.
   */
  onError?: (error: VkAuthError, c: Context) => Response | undefined | Promise<Response | undefined>;
}

/**
 * Hono 4 middleware that verifies the launch params of every request it
 * guards and puts the result in `c.get('vk')`, typed through Hono's own
 * `Variables` (no global augmentation): the user type is the one `resolveUser`
 * returns, and `vk` is nullable only with `optional: true`.
 *
 * A refusal throws Hono's `HTTPException(401)` whose response is the 401 JSON
 * with `WWW-Authenticate`, and whose `cause` is the `VkAuthError`; restyle it
 * in `app.onError` or with the `onError` option. An exception from
 * `resolveUser` reaches `app.onError` untouched (a 500 by default), unless it
 * is a `VkAuthError`: that refuses with its code. Mount `hono/cors` before
 * this middleware: a CORS preflight is refused here like any request without
 * credentials, since what follows sees `vk` typed as present.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/hono';
 *
 * const auth = vkMiniAppAuth({
 *   secret: env.VK_APP_SECRET,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * });
 *
 * const app = new Hono()
 *   .use('/api/*', auth)
 *   .get('/api/me', (c) => c.json({ user_id: c.get('vk').user.id }));
 *
 * // or per route:
 * app.get('/protected', auth, (c) => c.json({ user_id: c.get('vk').user.id }));
 *
 * // VK, OK and MAX launches of the same app: `vk` is then VkOrMaxContext.
 * const anyPlatform = vkMiniAppAuth({
 *   secret: env.VK_APP_SECRET,
 *   max: { botToken: env.MAX_BOT_TOKEN },
 *   resolveUser: (_params, _c, { platform, userId }) => users.getOrCreate(platform, userId),
 * });
 * ```
 */
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User> & { optional: true },
): VkMiddleware<User, true>;
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User> & { optional?: false },
): VkMiddleware<User>;
export function vkMiniAppAuth<User = undefined>(options: HonoVkMiniAppAuthOptions<User>): VkMiddleware<User, boolean>;
// With `max` (set, or possibly undefined): after the overloads without it, which take every call that has none.
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User, true> & { optional: true },
): VkMiddleware<User, true, true>;
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User, true> & { optional?: false },
): VkMiddleware<User, false, true>;
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User, true>,
): VkMiddleware<User, boolean, true>;
export function vkMiniAppAuth<User = undefined>(
  options: HonoVkMiniAppAuthOptions<User, boolean>,
): MiddlewareHandler<VkEnv<User, boolean, boolean>> {
  const authenticate = createAuthenticate(options);
  const onError = readOnError(options.onError);

  // No exemption for CORS preflights: what follows sees c.get('vk') typed as present, so a
  // preflight is a request like any other here; hono/cors goes before this middleware.
  return async function vkMiniAppAuthMiddleware(c, next) {
    let vk: VkOrMaxContext<User> | null;
    try {
      vk = await authenticate(c, c.req.header('authorization'));
    } catch (error) {
      return refuse(error, onError, c);
    }
    c.set('vk', vk);
    if (vk?.session !== undefined) {
      c.header(SESSION_HEADER, vk.session);
      c.header('Access-Control-Expose-Headers', SESSION_HEADER, { append: true });
    }
    await next();
  };
}
