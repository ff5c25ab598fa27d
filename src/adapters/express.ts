import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { VkAuthError } from '../errors.js';
import {
  createAuthenticate,
  errorBody,
  isPreflight,
  type RegisteredUser,
  type VkContext,
  type VkMiniAppAuthOptions,
  WWW_AUTHENTICATE,
} from './http.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * Set by `vk-miniapp-auth/express`: the verified launch params and user,
       * or `null` for an anonymous request let through by `optional`.
       */
      vk?: VkContext<RegisteredUser> | null;
    }
  }
}

/**
 * Options of the Express middleware: {@link VkMiniAppAuthOptions} plus `onError`.
 *
 * @example
 * ```ts
 * const options: ExpressVkMiniAppAuthOptions<User> = { secret, resolveUser: (p) => users.get(p.vk_user_id) };
 * ```
 */
export interface ExpressVkMiniAppAuthOptions<User = undefined> extends VkMiniAppAuthOptions<Request, User> {
  /**
   * Answers a refused request in your own style. Default: 401, `WWW-Authenticate`,
   * and `{"error": "<CODE>", "message": "…"}`.
   */
  onError?: (error: VkAuthError, req: Request, res: Response, next: NextFunction) => void;
}

/**
 * Express (4 and 5) middleware that verifies the launch params of every
 * request it guards and puts the result on `req.vk`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * const app = express();
 * app.use('/api', vkMiniAppAuth({
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * }));
 * app.get('/api/me', (req, res) => res.json(req.vk!.user));
 * ```
 */
export function vkMiniAppAuth<User = undefined>(options: ExpressVkMiniAppAuthOptions<User>): RequestHandler {
  const authenticate = createAuthenticate(options);
  const onError = options.onError ?? sendRefusal;
  if (typeof onError !== 'function') throw new TypeError('vk-miniapp-auth: options.onError must be a function.');

  return (req, res, next) => {
    if (isPreflight(req.method, req.headers['access-control-request-method'])) return next();
    authenticate(req, req.headers.authorization).then(
      (vk) => {
        req.vk = vk as VkContext<RegisteredUser> | null;
        next();
      },
      (error: unknown) => {
        if (!VkAuthError.is(error)) return next(error);
        try {
          onError(error, req, res, next);
        } catch (failure) {
          next(failure);
        }
      },
    );
  };
}

function sendRefusal(error: VkAuthError, _req: Request, res: Response): void {
  res.status(error.status).set('WWW-Authenticate', WWW_AUTHENTICATE).json(errorBody(error));
}

export type { Register, RegisteredUser, ResolveUser, VkContext, VkMiniAppAuthOptions } from './http.js';
