import type { Request, RequestHandler } from 'express';
import {
  createCheckCreateHash,
  keptRawBody,
  type RequireCreateHashOptions,
  singleHeader,
} from '../common/create-hash.js';
import { readOnError } from '../common/refusal.js';
import type { ExpressVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute, sendRefusal } from './refusal.js';

/**
 * Options of {@link requireCreateHash}: {@link RequireCreateHashOptions} with
 * Express's `Request`, plus `onError` as in {@link ExpressVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: ExpressRequireCreateHashOptions = {
 *   secret: process.env.VK_APP_SECRET!,
 *   payload: (req) => req.body?.requestId,
 * };
 * ```
 */
export interface ExpressRequireCreateHashOptions extends RequireCreateHashOptions<Request> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: ExpressVkMiniAppAuthOptions['onError'];
}

/**
 * Express middleware, for the routes that need it, that requires a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of `req.vk`: place it after
 * {@link vkMiniAppAuth}, and after the body parser when the payload is in the
 * body. A refusal answers 401 like `vkMiniAppAuth` does, with the code
 * `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or `CREATE_HASH_EXPIRED`
 * (`MISSING_CREDENTIALS` for an anonymous request let through by `optional`).
 *
 * @example
 * ```ts
 * import { requireCreateHash, vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * const secret = process.env.VK_APP_SECRET!;
 * app.use('/api', vkMiniAppAuth({ secret }));
 * app.post(
 *   '/api/transfer',
 *   express.json(),
 *   requireCreateHash({ secret, payload: (req) => req.body?.requestId }),
 *   (req, res) => res.json({ ok: true }),
 * );
 * ```
 */
export function requireCreateHash(options: ExpressRequireCreateHashOptions): RequestHandler {
  const check = createCheckCreateHash<Request>(
    options,
    (req, name) => singleHeader(req.headers[name]),
    (req) => keptRawBody(req as Request & { rawBody?: unknown }),
  );
  const onError = readOnError(options.onError ?? sendRefusal);

  return guardRoute(check, onError);
}
