import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VkAuthError } from '../../errors.js';
import { createAuthenticate, isPreflight } from '../common/authenticate.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import { readOnError } from '../common/refusal.js';
import type { RegisteredContext, RegisteredMax, RegisteredUser } from '../common/register.js';
import { sendSessionHeaders } from '../common/session.js';
import { refuse, sendRefusal } from './refusal.js';

declare global {
  namespace Express {
    interface Request {
      /**
       * Set by `vk-miniapp-auth/express`: the verified launch params and user,
       * or `null` for an anonymous request let through by `optional`. The
       * user's type is the one declared through `Register` (`unknown` until
       * then).
       */
      vk?: RegisteredContext | null;
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
export interface ExpressVkMiniAppAuthOptions<User = RegisteredUser>
  extends VkMiniAppAuthOptions<Request, User, RegisteredMax> {
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
  const authenticate = createAuthenticate<Request, User, RegisteredMax>(options);
  const onError = readOnError(options.onError ?? sendRefusal);

  return (req, res, next) => {
    if (isPreflight(req.method, req.headers['access-control-request-method'])) return next();
    authenticate(req, req.headers.authorization).then(
      (vk) => {
        req.vk = vk;
        if (vk?.session !== undefined) {
          sendSessionHeaders(
            vk.session,
            (name) => res.getHeader(name),
            (name, value) => res.setHeader(name, value),
          );
        }
        next();
      },
      (error: unknown) => refuse(error, onError, req, res, next),
    );
  };
}
