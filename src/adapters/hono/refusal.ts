import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { REPLAY_RETRY_AFTER_SECONDS } from '../../replay/store.js';
import type { VkOrMaxContext } from '../common/context.js';
import { isReplayStoreUnavailable } from '../common/create-hash.js';
import { errorResponse, refusalOf } from '../common/refusal.js';
import type { HonoVkMiniAppAuthOptions } from './launch-params.js';

/** Answers a refusal through `onError` or Hono's `HTTPException`; rethrows anything else. */
export async function refuse(
  error: unknown,
  onError: HonoVkMiniAppAuthOptions['onError'],
  c: Context,
): Promise<Response> {
  // resolveUser's own failures (a database down) go to app.onError as they are: a 500.
  const refusal = refusalOf(error);
  if (refusal === undefined) throw error;
  const response = onError ? await onError(refusal, c) : undefined;
  if (response) return response;
  throw new HTTPException(refusal.status as HTTPException['status'], {
    res: errorResponse(refusal),
    message: refusal.message,
    cause: refusal,
  });
}

/**
 * A route guard's middleware (`requireCreateHash`, `requireGroupRole`): runs
 * `check` on the context and its `vk`, then goes on, or refuses (see
 * {@link refuse}). A replay store that cannot answer is a 503 (Hono answers
 * any other error 500), as an `HTTPException` for `app.onError` to see.
 */
export function guardRoute(
  check: (c: Context, vk: VkOrMaxContext<unknown> | null | undefined) => Promise<unknown>,
  onError: HonoVkMiniAppAuthOptions['onError'],
): MiddlewareHandler {
  return async function vkGuardMiddleware(c, next) {
    try {
      await check(c, c.get('vk'));
    } catch (error) {
      if (isReplayStoreUnavailable(error)) {
        const res = new Response('Service Unavailable', {
          status: 503,
          headers: { 'Retry-After': String(REPLAY_RETRY_AFTER_SECONDS) },
        });
        throw new HTTPException(503, { res, message: 'Service Unavailable', cause: error });
      }
      return refuse(error, onError, c);
    }
    await next();
  };
}
