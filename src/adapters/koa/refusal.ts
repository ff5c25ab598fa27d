import type { Context, Middleware } from 'koa';
import type { VkAuthError } from '../../errors.js';
import type { VkOrMaxContext } from '../common/context.js';
import { errorBody, refusalOf, wwwAuthenticate } from '../common/refusal.js';

/** The default `onError`: 401, `WWW-Authenticate`, and the JSON body of the refusal. */
export function sendRefusal(error: VkAuthError, ctx: Context): void {
  ctx.status = error.status;
  ctx.set('WWW-Authenticate', wwwAuthenticate(error));
  ctx.body = errorBody(error);
}

/**
 * A route guard's middleware (`requireCreateHash`, `requireGroupRole`): runs
 * `check` on the context and `ctx.state.vk`, then goes on, or answers the
 * refusal through `onError`; anything else goes to Koa's error handling.
 */
export function guardRoute(
  check: (ctx: Context, vk: VkOrMaxContext<unknown> | null | undefined) => Promise<unknown>,
  onError: (error: VkAuthError, ctx: Context) => unknown,
): Middleware {
  return async (ctx, next) => {
    try {
      await check(ctx as Context, (ctx.state as { vk?: VkOrMaxContext<unknown> | null }).vk);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      await onError(refusal, ctx as Context);
      return;
    }
    return next();
  };
}
