import type { FastifyRequest } from 'fastify';
import {
  createCheckCreateHash,
  keptRawBody,
  type RequireCreateHashOptions,
  singleHeader,
} from '../common/create-hash.js';
import type { VkMiniAppAuthHook } from './launch-params.js';
import { guardRoute } from './refusal.js';

/**
 * A Fastify hook, for the routes that need it, that requires a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of `request.vk`. Use it as a
 * `preHandler` (the body is parsed by then, and the plugin's `onRequest`
 * check has run). A refusal is a `VkAuthError` thrown into Fastify's error
 * handling, as the plugin's are: 401, `WWW-Authenticate`, and the code
 * `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or `CREATE_HASH_EXPIRED`
 * (`MISSING_CREDENTIALS` for an anonymous request let through by `optional`).
 *
 * @example
 * ```ts
 * import { requireCreateHash, vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
 *
 * const secret = process.env.VK_APP_SECRET!;
 * await app.register(vkMiniAppAuth, { secret });
 * app.post(
 *   '/transfer',
 *   { preHandler: requireCreateHash({ secret, payload: (request) => (request.body as Transfer).requestId }) },
 *   async () => ({ ok: true }),
 * );
 * ```
 */
export function requireCreateHash(options: RequireCreateHashOptions<FastifyRequest>): VkMiniAppAuthHook {
  const check = createCheckCreateHash<FastifyRequest>(
    options,
    (request, name) => singleHeader(request.headers[name]),
    (request) => keptRawBody(request as FastifyRequest & { rawBody?: unknown }),
  );
  return guardRoute(check);
}
