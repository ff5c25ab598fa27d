import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errorResponse, refusalOf } from '../shared/refusal.js';
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
