import type { Context } from 'koa';
import type { VkAuthError } from '../../errors.js';
import { errorBody, wwwAuthenticate } from '../shared/refusal.js';

/** The default `onError`: 401, `WWW-Authenticate`, and the JSON body of the refusal. */
export function sendRefusal(error: VkAuthError, ctx: Context): void {
  ctx.status = error.status;
  ctx.set('WWW-Authenticate', wwwAuthenticate(error));
  ctx.body = errorBody(error);
}
