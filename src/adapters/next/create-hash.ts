import { createCheckCreateHash, type RequireCreateHashOptions } from '../common/create-hash.js';
import { readOnError } from '../common/refusal.js';
import { guardHandler, type WithGuard } from './guard.js';
import type { NextVkMiniAppAuthOptions } from './launch-params.js';

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
export type WithCreateHash = WithGuard;

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
  const check = createCheckCreateHash<Request>(
    options,
    (request, name) => request.headers.get(name),
    // A copy: the handler reads the body after this check.
    (request) => request.clone().arrayBuffer(),
  );
  const onError = readOnError(options.onError);

  return guardHandler('withCreateHash', (request, _context, vk) => check(request, vk), onError);
}
