/**
 * Fastify plugin: `await app.register(vkMiniAppAuth, options)` verifies the
 * launch params of every request and puts `{ params, user }` on `request.vk`.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
 *
 * await app.register(vkMiniAppAuth, { secret: process.env.VK_APP_SECRET! });
 * app.get('/api/me', async (request) => ({ id: request.vk!.params.vk_user_id }));
 * ```
 *
 * @module vk-miniapp-auth/fastify
 */

export type { Register, RegisteredContext, RegisteredMax, RegisteredUser } from '../common/register.js';
export type * from '../common/route-types.js';
export { requireCreateHash } from './create-hash.js';
export { requireGroupRole } from './group-role.js';
export { type FastifyVkMiniAppAuthOptions, type VkMiniAppAuthHook, vkMiniAppAuth } from './launch-params.js';
