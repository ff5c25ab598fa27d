import type { Context, Middleware } from 'koa';
import { createCheckCreateHash, keptRawBody, type RequireCreateHashOptions } from '../common/create-hash.js';
import { readOnError } from '../common/refusal.js';
import type { KoaVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute, sendRefusal } from './refusal.js';

/**
 * Options of {@link requireCreateHash}: {@link RequireCreateHashOptions} with
 * `ctx` as the request, plus `onError` as in {@link KoaVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: KoaRequireCreateHashOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   payload: (ctx) => ctx.get('X-VK-Sign-Payload') || undefined,
 * };
 * ```
 */
export interface KoaRequireCreateHashOptions extends RequireCreateHashOptions<Context> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: KoaVkMiniAppAuthOptions['onError'];
}

/**
 * Koa middleware, for the routes that need it, that requires a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of `ctx.state.vk`: place it after
 * {@link vkMiniAppAuth} (and after your body parser when the payload is in
 * the body). A refusal is answered as `vkMiniAppAuth` answers one, with the
 * code `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or `CREATE_HASH_EXPIRED`
 * (`MISSING_CREDENTIALS` for an anonymous request let through by `optional`).
 *
 * @example
 * ```ts
 * import { requireCreateHash, vkMiniAppAuth } from 'vk-miniapp-auth/koa';
 *
 * const secret = process.env.VK_APP_SECRET!;
 * router.post(
 *   '/api/transfer',
 *   vkMiniAppAuth({ secret }),
 *   requireCreateHash({ secret, payload: (ctx) => ctx.get('X-VK-Sign-Payload') || undefined }),
 *   (ctx) => {
 *     ctx.body = { ok: true };
 *   },
 * );
 * ```
 */
export function requireCreateHash(options: KoaRequireCreateHashOptions): Middleware {
  const check = createCheckCreateHash<Context>(
    options,
    // Koa answers '' for a header that was not sent: that is no header at all.
    (ctx, name) => ctx.get(name) || undefined,
    (ctx) => keptRawBody(ctx.request as { rawBody?: unknown; body?: unknown }),
  );
  const onError = readOnError(options.onError ?? sendRefusal);

  return guardRoute(check, onError);
}
