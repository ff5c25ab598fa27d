import type { Context, MiddlewareHandler } from 'hono';
import { createCheckCreateHash, type RequireCreateHashOptions } from '../common/create-hash.js';
import { readOnError } from '../common/refusal.js';
import type { HonoVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute } from './refusal.js';

/**
 * Options of {@link requireCreateHash}: {@link RequireCreateHashOptions} with
 * Hono's `Context` as the request, plus `onError` as in
 * {@link HonoVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: HonoRequireCreateHashOptions = {
 *   secret: env.VK_APP_SECRET,
 *   payload: async (c) => (await c.req.json()).requestId,
 * };
 * ```
 */
export interface HonoRequireCreateHashOptions extends RequireCreateHashOptions<Context> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: HonoVkMiniAppAuthOptions['onError'];
}

/**
 * Hono middleware, for the routes that need it, that requires a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of `c.get('vk')`: place it after
 * {@link vkMiniAppAuth}. Reading the body with `c.req.json()` in `payload`
 * leaves it readable for the handler (Hono keeps it). A refusal is answered
 * as `vkMiniAppAuth` answers one, with the code `CREATE_HASH_MISSING`,
 * `CREATE_HASH_INVALID` or `CREATE_HASH_EXPIRED` (`MISSING_CREDENTIALS` for
 * an anonymous request let through by `optional`).
 *
 * @example
 * ```ts
 * import { requireCreateHash, vkMiniAppAuth } from 'vk-miniapp-auth/hono';
 *
 * const app = new Hono()
 *   .use('/api/*', vkMiniAppAuth({ secret: env.VK_APP_SECRET }))
 *   .post(
 *     '/api/transfer',
 *     requireCreateHash({ secret: env.VK_APP_SECRET, payload: async (c) => (await c.req.json()).requestId }),
 *     (c) => c.json({ ok: true }),
 *   );
 * ```
 */
export function requireCreateHash(options: HonoRequireCreateHashOptions): MiddlewareHandler {
  const check = createCheckCreateHash<Context>(
    options,
    (c, name) => c.req.header(name),
    // Hono keeps the body it read, so the handler can still parse it.
    (c) => c.req.arrayBuffer(),
  );
  const onError = readOnError(options.onError);

  return guardRoute(check, onError);
}
