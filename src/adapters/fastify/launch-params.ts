import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { createAuthenticate, isPreflight } from '../common/authenticate.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import type { RegisteredContext, RegisteredMax } from '../common/register.js';
import { sendSessionHeaders } from '../common/session.js';
import { challenge } from './refusal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by `vk-miniapp-auth/fastify`: the verified launch params and user,
     * or `null` (an anonymous request let through by `optional`, or a route
     * the hook does not guard). Type the user by declaring `Register`.
     */
    vk: RegisteredContext | null;
  }
  interface FastifyInstance {
    /**
     * The `vk-miniapp-auth` check as a hook, for the routes you choose:
     * `{ onRequest: app.vkMiniAppAuth }`, or `scope.addHook('onRequest', app.vkMiniAppAuth)`.
     */
    vkMiniAppAuth: VkMiniAppAuthHook;
  }
}

/**
 * Options of the Fastify plugin: {@link VkMiniAppAuthOptions} plus `global`.
 *
 * `User` is what `resolveUser` must return. The plugin itself accepts any
 * user (`request.vk.user` is typed from `Register`); annotate your options
 * with your user type to have TypeScript check `resolveUser` against it.
 *
 * @example
 * ```ts
 * const options: FastifyVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * };
 * await app.register(vkMiniAppAuth, options);
 * ```
 */
export interface FastifyVkMiniAppAuthOptions<User = unknown>
  extends VkMiniAppAuthOptions<FastifyRequest, User, RegisteredMax> {
  /**
   * `true` (default): check every request of the scope the plugin is
   * registered in (an `onRequest` hook). `false`: only add the
   * `app.vkMiniAppAuth` hook, for the routes that ask for it.
   */
  global?: boolean;
}

/**
 * The check as a Fastify hook: the type of `app.vkMiniAppAuth`. Usable as an
 * `onRequest` hook (best: before the body is read), or as a `preHandler`.
 *
 * @example
 * ```ts
 * app.get('/protected', { onRequest: app.vkMiniAppAuth }, async (request) => request.vk!.user);
 * ```
 */
export type VkMiniAppAuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Fastify 4 or 5 plugin that verifies the launch params of each request (in an
 * `onRequest` hook, before the body is read) and puts the result on
 * `request.vk`. Wrapped with `fastify-plugin`: its hook and decorators apply
 * to the scope you register it in, so register it inside an encapsulated
 * plugin to guard only those routes. A refusal is a `VkAuthError` thrown into
 * Fastify's error handling: with the default error handler, 401,
 * `WWW-Authenticate` and `{ statusCode, code, error, message }`; restyle it
 * with `setErrorHandler`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
 *
 * const app = Fastify();
 * await app.register(vkMiniAppAuth, {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * });
 * app.get('/me', async (request) => request.vk!.user);
 *
 * // Or only where asked: { global: false } and { onRequest: app.vkMiniAppAuth } per route.
 * ```
 */
export const vkMiniAppAuth: FastifyPluginAsync<FastifyVkMiniAppAuthOptions> = fastifyPlugin(
  async (fastify: FastifyInstance, options: FastifyVkMiniAppAuthOptions) => {
    if (fastify.hasDecorator('vkMiniAppAuth')) {
      throw new Error(
        'vk-miniapp-auth: the plugin is already registered in this scope or a parent scope; register it once ' +
          '(with { global: false } and app.vkMiniAppAuth to guard only some routes).',
      );
    }
    const authenticate = createAuthenticate(options);
    const global = options.global ?? true;
    if (typeof global !== 'boolean') throw new TypeError('vk-miniapp-auth: options.global must be a boolean.');

    // Not an async function: one promise less per request on the hot path.
    const hook: VkMiniAppAuthHook = (request, reply) => {
      if (isPreflight(request.method, request.headers['access-control-request-method'])) return Promise.resolve();
      return authenticate(request, request.headers.authorization).then(
        (vk) => {
          request.vk = vk as RegisteredContext | null;
          if (vk?.session !== undefined) {
            sendSessionHeaders(
              vk.session,
              (name) => reply.getHeader(name),
              (name, value) => reply.header(name, value),
            );
          }
        },
        (error: unknown) => {
          throw challenge(error, reply);
        },
      );
    };

    fastify.decorateRequest('vk', null);
    fastify.decorate('vkMiniAppAuth', hook);
    if (global) fastify.addHook('onRequest', hook);
  },
  { fastify: '4.x || 5.x', name: 'vk-miniapp-auth' },
);
