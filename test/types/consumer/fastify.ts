import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { LaunchParams } from 'vk-miniapp-auth';
import {
  type FastifyVkMiniAppAuthOptions,
  type RegisteredUser,
  requireCreateHash,
  type VkContext,
  type VkMiniAppAuthHook,
  vkMiniAppAuth,
} from 'vk-miniapp-auth/fastify';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/fastify.md: the same declaration, through the Fastify subpath (one shared `Register`).
declare module 'vk-miniapp-auth/fastify' {
  interface Register {
    user: User;
  }
}

equalTypes<RegisteredUser, User>();

export async function start(): Promise<void> {
  const app = Fastify();

  const options: FastifyVkMiniAppAuthOptions<User> = {
    secret,
    appId: 6736218,
    resolveUser: (params, request) => {
      equalTypes<typeof params, LaunchParams>();
      equalTypes<typeof request, FastifyRequest>();
      return getOrCreate(params.vk_user_id);
    },
  };
  await app.register(vkMiniAppAuth, options);

  app.get('/protected', async (request) => {
    equalTypes<typeof request.vk, VkContext<User> | null>();
    if (!request.vk) return {}; // the plugin guards this route: request.vk! in the docs
    const user: User = request.vk.user;
    equalTypes<typeof request.vk.params.vk_user_id, number>();
    return { user_id: user.id };
  });

  equalTypes<typeof app.vkMiniAppAuth, VkMiniAppAuthHook>();
  equalTypes<Parameters<VkMiniAppAuthHook>, [FastifyRequest, FastifyReply]>();
  app.get('/one', { onRequest: app.vkMiniAppAuth }, async (request) => ({ user_id: request.vk?.user.id }));
  app.post(
    '/transfer',
    { preHandler: requireCreateHash({ secret, payload: (request) => String(request.body) }) },
    async () => ({ ok: true }),
  );

  const wrong: FastifyVkMiniAppAuthOptions<User> = {
    secret,
    // @ts-expect-error: resolveUser must return a User.
    resolveUser: (params) => params.vk_user_id,
  };
  // @ts-expect-error: secret is required.
  await app.register(vkMiniAppAuth, { appId: 1 });
  void wrong;
}
