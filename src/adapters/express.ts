/**
 * Express middleware: `app.use(vkMiniAppAuth(options))` verifies the launch
 * params of every request and puts `{ params, user }` on `req.vk`.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * app.use('/api', vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! }));
 * app.get('/api/me', (req, res) => res.json({ id: req.vk!.params.vk_user_id }));
 * ```
 *
 * @module vk-miniapp-auth/express
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VkAuthError } from '../errors.js';
import { createCheckCreateHash, type RequireCreateHashOptions, singleHeader } from './create-hash.js';
import {
  createAuthenticate,
  errorBody,
  isPreflight,
  isThenable,
  type RegisteredUser,
  readOnError,
  refusalOf,
  type VkContext,
  type VkMiniAppAuthOptions,
  wwwAuthenticate,
} from './http.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * Set by `vk-miniapp-auth/express`: the verified launch params and user,
       * or `null` for an anonymous request let through by `optional`. The
       * user's type is the one declared through `Register` (`unknown` until
       * then).
       */
      vk?: VkContext<RegisteredUser> | null;
    }
  }
}

/**
 * Options of the Express middleware: {@link VkMiniAppAuthOptions} plus `onError`.
 * `User` is what `resolveUser` returns; it defaults to the user declared
 * through `Register`.
 *
 * @example
 * ```ts
 * const options: ExpressVkMiniAppAuthOptions<User> = { secret, resolveUser: (p) => users.get(p.vk_user_id) };
 * ```
 */
export interface ExpressVkMiniAppAuthOptions<User = RegisteredUser> extends VkMiniAppAuthOptions<Request, User> {
  /**
   * Answers a refused request in your own style: send a response, or call
   * `next(error)` to hand the refusal to your error-handling middleware. May
   * be async; a throw or a rejection goes to `next`. Default: 401,
   * `WWW-Authenticate`, and `{"error": "<CODE>", "message": "…"}`.
   */
  onError?: (error: VkAuthError, req: Request, res: Response, next: NextFunction) => void | Promise<void>;
}

/**
 * Express (4 and 5) middleware that verifies the launch params of every
 * request it guards and puts the result on `req.vk`.
 *
 * Express types request state globally (`Express.Request`), so `req.vk.user`
 * cannot be inferred from `resolveUser`: declare your user type once through
 * `Register`, and every `resolveUser` is then checked against it (`unknown`
 * until you do). Give `resolveUser` wherever `Register` declares a user:
 * without it, `req.vk.user` is `undefined` at run time.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * declare module 'vk-miniapp-auth/express' {
 *   interface Register {
 *     user: User;
 *   }
 * }
 *
 * const app = express();
 * app.use('/api', vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * }));
 * app.get('/api/me', (req, res) => res.json({ user_id: req.vk!.user.id }));
 * ```
 */
export function vkMiniAppAuth<User extends RegisteredUser = RegisteredUser>(
  options: ExpressVkMiniAppAuthOptions<User>,
): RequestHandler {
  const authenticate = createAuthenticate<Request, User>(options);
  const onError = readOnError(options.onError ?? sendRefusal);

  return (req, res, next) => {
    if (isPreflight(req.method, req.headers['access-control-request-method'])) return next();
    authenticate(req, req.headers.authorization).then(
      (vk) => {
        req.vk = vk;
        next();
      },
      (error: unknown) => refuse(error, onError, req, res, next),
    );
  };
}

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
  const check = createCheckCreateHash<Request>(options, (req, name) => singleHeader(req.headers[name]));
  const onError = readOnError(options.onError ?? sendRefusal);

  return (req, res, next) => {
    if (isPreflight(req.method, req.headers['access-control-request-method'])) return next();
    check(req, req.vk).then(
      () => next(),
      (error: unknown) => refuse(error, onError, req, res, next),
    );
  };
}

/** Hands a failure to `onError` when it is a refusal, to Express's error handling otherwise. */
function refuse(
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

function sendRefusal(error: VkAuthError, _req: Request, res: Response): void {
  res.status(error.status).set('WWW-Authenticate', wwwAuthenticate(error)).json(errorBody(error));
}

export type { CreateHashSource, RequireCreateHashOptions } from './create-hash.js';
export type { Register, RegisteredUser, ResolveUser, VkContext, VkMiniAppAuthOptions } from './http.js';
