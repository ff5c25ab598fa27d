import type { VkAuthError } from '../../errors.js';
import { createAuthenticate } from '../common/authenticate.js';
import type { AdapterContext, VkOrMaxContext } from '../common/context.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { errorResponse, readOnError, refusalOf } from '../common/refusal.js';
import { exposingSessionHeader, SESSION_HEADER } from '../common/session.js';

/**
 * What `ctx.vk` holds in a wrapped route handler: the verified launch and
 * user, or `null` for an anonymous request when `Optional` is `true`; with
 * `max` (`Max` is `true`), a VK, OK or MAX launch.
 *
 * @example
 * ```ts
 * type Vk = NextVk<User>; // VkContext<User>
 * type MaybeVk = NextVk<User, true>; // VkContext<User> | null
 * type AnyPlatform = NextVk<User, false, true>; // VkOrMaxContext<User>
 * ```
 */
export type NextVk<User = undefined, Optional extends boolean = false, Max extends boolean = false> = [
  Optional,
] extends [false]
  ? AdapterContext<User, Max>
  : AdapterContext<User, Max> | null;

/**
 * A route handler as your code writes it under `withVk`: Next's own
 * arguments, with `vk` added to the second one.
 *
 * @example
 * ```ts
 * const handler: VkRouteHandler<VkContext<User>, { params: Promise<{ id: string }> }> = async (request, ctx) =>
 *   Response.json({ id: (await ctx.params).id, user_id: ctx.vk.user.id });
 * ```
 */
export type VkRouteHandler<Vk, Ctx = unknown, Req extends Request = Request> = (
  request: Req,
  context: Ctx & { readonly vk: Vk },
) => Response | Promise<Response>;

/**
 * The wrapper `vkMiniAppAuth` returns. `Ctx` is Next's second argument (in
 * Next 15 and later `{ params: Promise<…> }`; in Next 14 `{ params: … }`),
 * kept as it is: pass it explicitly to type `ctx.params`, for instance with
 * Next's global `RouteContext<'/api/users/[id]'>`. Left out, it is `unknown`,
 * which Next's route type check accepts for any route.
 *
 * @example
 * ```ts
 * const withVk: WithVk<VkContext<User>> = vkMiniAppAuth({ secret, resolveUser });
 * export const GET = withVk<{ params: Promise<{ id: string }> }>(async (request, ctx) => {
 *   const { id } = await ctx.params;
 *   return Response.json({ id, user_id: ctx.vk.user.id });
 * });
 * ```
 */
export type WithVk<Vk> = <Ctx = unknown, Req extends Request = Request>(
  handler: VkRouteHandler<Vk, Ctx, Req>,
) => (request: Req, context: Ctx) => Promise<Response>;

/**
 * Options of the Next.js wrapper: {@link VkMiniAppAuthOptions} with the Web
 * `Request` as the request (`resolveUser(params, request)`,
 * `getCredentials(request)`), plus `onError`.
 *
 * @example
 * ```ts
 * import { cookies } from 'next/headers';
 *
 * const options: NextVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   getCredentials: async () => (await cookies()).get('vk_launch')?.value,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * };
 * ```
 */
export interface NextVkMiniAppAuthOptions<User = undefined, Max extends boolean = false>
  extends VkMiniAppAuthOptions<Request, User, Max> {
  /**
   * Answers a refused request in your own style: return a `Response` and it
   * is sent instead of the default 401 (JSON `{"error": "<CODE>", "message":
   * "…"}` and `WWW-Authenticate`); return nothing to keep the default. An
   * exception thrown here goes to Next like any handler error.
   */
  onError?: (error: VkAuthError, request: Request) => Response | undefined | Promise<Response | undefined>;
}

/**
 * Creates a Next.js App Router route-handler wrapper that verifies the launch
 * params of every request and hands your handler `ctx.vk`, next to Next's own
 * `ctx.params`. The user type is the one `resolveUser` returns; `ctx.vk` is
 * nullable only with `optional: true`.
 *
 * A refusal answers 401 with `WWW-Authenticate` and `{"error": "<CODE>",
 * "message": "…"}` (or what `onError` returns) without calling your handler.
 * An exception from `resolveUser` is rethrown, for Next to turn into a 500,
 * unless it is a `VkAuthError`: that refuses with its code. A wrapped `OPTIONS`
 * is guarded like any method: answer CORS preflights from an unwrapped one.
 * Imports nothing from `next`, so it works on the Node.js and Edge runtimes.
 *
 * @example
 * ```ts
 * // lib/vk.ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/next';
 *
 * export const withVk = vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * });
 *
 * // app/api/me/route.ts
 * import { withVk } from '@/lib/vk';
 *
 * export const GET = withVk(async (request, ctx) => Response.json({ user_id: ctx.vk.user.id }));
 *
 * // VK, OK and MAX launches of the same app: ctx.vk is then VkOrMaxContext.
 * export const withAnyLaunch = vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   max: { botToken: process.env.MAX_BOT_TOKEN! },
 *   resolveUser: (_params, _request, { platform, userId }) => users.getOrCreate(platform, userId),
 * });
 * ```
 */
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User> & { optional: true },
): WithVk<NextVk<User, true>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User> & { optional?: false },
): WithVk<NextVk<User>>;
export function vkMiniAppAuth<User = undefined>(options: NextVkMiniAppAuthOptions<User>): WithVk<NextVk<User, boolean>>;
// With `max` (set, or possibly undefined): after the overloads without it, which take every call that has none.
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User, true> & { optional: true },
): WithVk<NextVk<User, true, true>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User, true> & { optional?: false },
): WithVk<NextVk<User, false, true>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User, true>,
): WithVk<NextVk<User, boolean, true>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User, boolean>,
): WithVk<NextVk<User, boolean, boolean>> {
  const authenticate = createAuthenticate(options);
  const onError = readOnError(options.onError);

  return <Ctx, Req extends Request>(handler: VkRouteHandler<NextVk<User, boolean, boolean>, Ctx, Req>) => {
    if (typeof handler !== 'function') {
      throw new TypeError('vk-miniapp-auth: withVk(handler) takes your route handler, a function.');
    }
    // No exemption for CORS preflights: the handler sees ctx.vk typed as present, so a wrapped
    // OPTIONS is guarded like any other method; answer preflights from an OPTIONS left unwrapped.
    return async (request: Req, context: Ctx): Promise<Response> => {
      let vk: VkOrMaxContext<User> | null;
      try {
        vk = await authenticate(request, request.headers.get('authorization'));
      } catch (error) {
        // resolveUser's own failures (a database down) are Next's to report: a 500.
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        return (onError ? await onError(refusal, request) : undefined) ?? errorResponse(refusal);
      }
      const response = await handler(request, withContext(context, vk));
      return vk?.session === undefined ? response : withSessionHeaders(response, vk.session);
    };
  };
}

/**
 * Next's context, kept as it is, plus `vk`; the original is never changed. A
 * route handler's context is a plain object (`{ params }`): it is copied. A
 * proxy.ts gets a `NextFetchEvent`, a class instance whose `waitUntil` lives
 * on its prototype, which a copy would drop: it becomes the new context's
 * prototype instead, so its methods and state stay reachable.
 */
function withContext<Ctx, Vk>(context: Ctx, vk: Vk): Ctx & { readonly vk: Vk } {
  if (context !== null && typeof context === 'object') {
    const prototype: unknown = Object.getPrototypeOf(context);
    if (prototype !== Object.prototype && prototype !== null) {
      return Object.create(context, { vk: { value: vk, enumerable: true } }) as Ctx & { readonly vk: Vk };
    }
  }
  return { ...(context as object), vk } as Ctx & { readonly vk: Vk };
}

/** The handler's response with `VK-Session`; a response whose headers are immutable (a fetched one) is copied. */
function withSessionHeaders(response: Response, token: string): Response {
  let answer = response;
  try {
    answer.headers.set(SESSION_HEADER, token);
  } catch {
    answer = new Response(response.body, response);
    answer.headers.set(SESSION_HEADER, token);
  }
  answer.headers.set(
    'Access-Control-Expose-Headers',
    exposingSessionHeader(answer.headers.get('Access-Control-Expose-Headers')),
  );
  return answer;
}
