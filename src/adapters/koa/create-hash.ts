import type { Context, Middleware } from 'koa';
import type { VkContext } from '../shared/context.js';
import { createCheckCreateHash, type RequireCreateHashOptions } from '../shared/create-hash.js';
import { readOnError, refusalOf } from '../shared/refusal.js';
import type { KoaVkMiniAppAuthOptions } from './launch-params.js';
import { sendRefusal } from './refusal.js';

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
  const check = createCheckCreateHash<Context>(options, (ctx, name) => ctx.get(name));
  const onError = readOnError(options.onError ?? sendRefusal);

  return async (ctx, next) => {
    try {
      await check(ctx as Context, (ctx.state as { vk?: VkContext<unknown> | null }).vk);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      await onError(refusal, ctx as Context);
      return;
    }
    return next();
  };
}
