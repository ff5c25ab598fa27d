import { REPLAY_RETRY_AFTER_SECONDS } from '../../replay/store.js';
import type { VkOrMaxContext } from '../common/context.js';
import { isReplayStoreUnavailable } from '../common/create-hash.js';
import { errorResponse, refusalOf } from '../common/refusal.js';
import type { NextVkMiniAppAuthOptions, VkRouteHandler } from './launch-params.js';

/**
 * A route guard's wrapper (`requireCreateHash`, `requireGroupRole`), placed
 * inside `withVk`: it takes a handler and returns it guarded, with the same type.
 *
 * @example
 * ```ts
 * const withEditors: WithGuard = requireGroupRole('admin', 'editor');
 * export const PUT = withVk(withEditors(async (request, ctx) => Response.json({ ok: true })));
 * ```
 */
export type WithGuard = <Vk extends VkOrMaxContext<unknown> | null, Ctx = unknown, Req extends Request = Request>(
  handler: VkRouteHandler<Vk, Ctx, Req>,
) => VkRouteHandler<Vk, Ctx, Req>;

/**
 * The wrapper of a route guard: runs `check` on the request, Next's context
 * and the `vk` that `withVk` put there, then calls the handler, or answers the
 * refusal (`onError`'s `Response`, else the library's). A replay store that
 * cannot answer is a 503 (Next would answer a thrown error 500), logged;
 * anything else is thrown, for Next to report.
 */
export function guardHandler(
  name: string,
  check: (request: Request, context: unknown, vk: VkOrMaxContext<unknown> | null | undefined) => Promise<unknown>,
  onError: NextVkMiniAppAuthOptions['onError'],
): WithGuard {
  return <Vk extends VkOrMaxContext<unknown> | null, Ctx, Req extends Request>(
    handler: VkRouteHandler<Vk, Ctx, Req>,
  ): VkRouteHandler<Vk, Ctx, Req> => {
    if (typeof handler !== 'function') {
      throw new TypeError(`vk-miniapp-auth: ${name}(handler) takes your route handler, a function.`);
    }
    return async (request, context) => {
      try {
        await check(request, context, (context as { vk?: VkOrMaxContext<unknown> | null } | undefined)?.vk);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined && isReplayStoreUnavailable(error)) {
          console.error(error);
          return new Response(null, { status: 503, headers: { 'Retry-After': String(REPLAY_RETRY_AFTER_SECONDS) } });
        }
        if (refusal === undefined) throw error;
        return (onError ? await onError(refusal, request) : undefined) ?? errorResponse(refusal);
      }
      return handler(request, context);
    };
  };
}
