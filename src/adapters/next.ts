// Nothing is imported from `next`, not even types: a route handler is a
// function from a Web `Request` (Next's `NextRequest` extends it) to a Web
// `Response`, so this file runs on the Node.js and the Edge runtime alike.
/**
 * Next.js route-handler wrapper (App Router, Node.js and Edge runtimes):
 * the wrapped handler gets the verified `{ params, user }` as `ctx.vk`.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/next';
 *
 * const withVk = vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! });
 * export const GET = withVk(async (request, ctx) => Response.json({ id: ctx.vk.params.vk_user_id }));
 * ```
 *
 * @module vk-miniapp-auth/next
 */
import type { VkAuthError } from '../errors.js';
import { createCheckCreateHash, type RequireCreateHashOptions } from './create-hash.js';
import {
  createAuthenticate,
  errorResponse,
  readOnError,
  refusalOf,
  type VkContext,
  type VkMiniAppAuthOptions,
} from './http.js';

/**
 * What `ctx.vk` holds in a wrapped route handler: the verified launch params
 * and user, or `null` for an anonymous request when `Optional` is `true`.
 *
 * @example
 * ```ts
 * type Vk = NextVk<User>; // VkContext<User>
 * type MaybeVk = NextVk<User, true>; // VkContext<User> | null
 * ```
 */
export type NextVk<User = undefined, Optional extends boolean = false> = [Optional] extends [false]
  ? VkContext<User>
  : VkContext<User> | null;

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
export interface NextVkMiniAppAuthOptions<User = undefined> extends VkMiniAppAuthOptions<Request, User> {
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
 * ```
 */
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User> & { optional: true },
): WithVk<NextVk<User, true>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User> & { optional?: false },
): WithVk<NextVk<User>>;
export function vkMiniAppAuth<User = undefined>(options: NextVkMiniAppAuthOptions<User>): WithVk<NextVk<User, boolean>>;
export function vkMiniAppAuth<User = undefined>(
  options: NextVkMiniAppAuthOptions<User>,
): WithVk<NextVk<User, boolean>> {
  const authenticate = createAuthenticate(options);
  const onError = readOnError(options.onError);

  return <Ctx, Req extends Request>(handler: VkRouteHandler<NextVk<User, boolean>, Ctx, Req>) => {
    if (typeof handler !== 'function') {
      throw new TypeError('vk-miniapp-auth: withVk(handler) takes your route handler, a function.');
    }
    // No exemption for CORS preflights: the handler sees ctx.vk typed as present, so a wrapped
    // OPTIONS is guarded like any other method; answer preflights from an OPTIONS left unwrapped.
    return async (request: Req, context: Ctx): Promise<Response> => {
      let vk: VkContext<User> | null;
      try {
        vk = await authenticate(request, request.headers.get('authorization'));
      } catch (error) {
        // resolveUser's own failures (a database down) are Next's to report: a 500.
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        return (onError ? await onError(refusal, request) : undefined) ?? errorResponse(refusal);
      }
      return handler(request, withContext(context, vk));
    };
  };
}

/**
 * Options of {@link requireCreateHash}: {@link RequireCreateHashOptions} with
 * the Web `Request` as the request, plus `onError` as in
 * {@link NextVkMiniAppAuthOptions}. Read the body from a clone
 * (`request.clone().json()`) so that your handler can still read it.
 *
 * @example
 * ```ts
 * const options: NextRequireCreateHashOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   payload: async (request) => (await request.clone().json()).requestId,
 * };
 * ```
 */
export interface NextRequireCreateHashOptions extends RequireCreateHashOptions<Request> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: NextVkMiniAppAuthOptions['onError'];
}

/**
 * The wrapper {@link requireCreateHash} returns: it takes a handler written for
 * `withVk` and gives back one, to wrap in `withVk` in turn.
 *
 * @example
 * ```ts
 * const withCreateHash: WithCreateHash = requireCreateHash({ secret, payload });
 * export const POST = withVk(withCreateHash(async (request, ctx) => Response.json({ ok: true })));
 * ```
 */
export type WithCreateHash = <Vk extends VkContext<unknown> | null, Ctx = unknown, Req extends Request = Request>(
  handler: VkRouteHandler<Vk, Ctx, Req>,
) => VkRouteHandler<Vk, Ctx, Req>;

/**
 * Creates a wrapper, for the route handlers that need it, that requires a
 * valid `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and
 * `X-VK-Sign-Ts` headers) made for the user and app of `ctx.vk`. It goes
 * inside `withVk`, which verifies the launch params first. A refusal answers
 * as `withVk` does (401 JSON, or what `onError` returns), with the code
 * `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or `CREATE_HASH_EXPIRED`
 * (`MISSING_CREDENTIALS` for an anonymous request let through by `optional`).
 *
 * @example
 * ```ts
 * import { requireCreateHash, vkMiniAppAuth } from 'vk-miniapp-auth/next';
 *
 * const secret = process.env.VK_APP_SECRET!;
 * const withVk = vkMiniAppAuth({ secret });
 * const withCreateHash = requireCreateHash({ secret, payload: (request) => request.headers.get('x-vk-sign-payload') });
 *
 * export const POST = withVk(withCreateHash(async (request, ctx) => Response.json({ user_id: ctx.vk.params.vk_user_id })));
 * ```
 */
export function requireCreateHash(options: NextRequireCreateHashOptions): WithCreateHash {
  const check = createCheckCreateHash<Request>(options, (request, name) => request.headers.get(name));
  const onError = readOnError(options.onError);

  return <Vk extends VkContext<unknown> | null, Ctx, Req extends Request>(
    handler: VkRouteHandler<Vk, Ctx, Req>,
  ): VkRouteHandler<Vk, Ctx, Req> => {
    if (typeof handler !== 'function') {
      throw new TypeError('vk-miniapp-auth: withCreateHash(handler) takes your route handler, a function.');
    }
    return async (request, context) => {
      try {
        await check(request, (context as { vk?: VkContext<unknown> | null } | undefined)?.vk);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        return (onError ? await onError(refusal, request) : undefined) ?? errorResponse(refusal);
      }
      return handler(request, context);
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

export type { CreateHashSource, RequireCreateHashOptions } from './create-hash.js';
export type { ResolveUser, VkContext, VkMiniAppAuthOptions } from './http.js';
