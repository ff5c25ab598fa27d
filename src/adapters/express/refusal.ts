import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VkAuthError } from '../../errors.js';
import { isPreflight, isThenable } from '../common/authenticate.js';
import { errorBody, refusalOf, wwwAuthenticate } from '../common/refusal.js';
import type { ExpressVkMiniAppAuthOptions } from './launch-params.js';

/** Hands a failure to `onError` when it is a refusal, to Express's error handling otherwise. */
export function refuse(
  error: unknown,
  onError: NonNullable<ExpressVkMiniAppAuthOptions['onError']>,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  // Anything but a refusal (resolveUser failing, a bug) goes to Express's error handling: a 500.
  const refusal = refusalOf(error);
  if (refusal === undefined) {
    next(error);
    return;
  }
  try {
    const restyled: unknown = onError(refusal, req, res, next);
    if (isThenable(restyled)) restyled.then(undefined, next);
  } catch (failure) {
    next(failure);
  }
}

/** The default `onError`: 401, `WWW-Authenticate`, and the JSON body of the refusal. */
export function sendRefusal(error: VkAuthError, _req: Request, res: Response): void {
  res.status(error.status).set('WWW-Authenticate', wwwAuthenticate(error)).json(errorBody(error));
}

/**
 * A route guard's middleware (`requireCreateHash`, `requireGroupRole`): runs
 * `check` on the request and its `vk`, then goes on, or answers the refusal
 * through `onError`. CORS preflights pass, as they pass `vkMiniAppAuth`.
 */
export function guardRoute(
  check: (req: Request, vk: Request['vk']) => Promise<unknown>,
  onError: NonNullable<ExpressVkMiniAppAuthOptions['onError']>,
): RequestHandler {
  return (req, res, next) => {
    if (isPreflight(req.method, req.headers['access-control-request-method'])) return next();
    check(req, req.vk).then(
      () => next(),
      (error: unknown) => refuse(error, onError, req, res, next),
    );
  };
}
