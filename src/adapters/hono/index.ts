/**
 * Hono middleware: `app.use('/api/*', vkMiniAppAuth(options))` verifies the
 * launch params and sets `c.get('vk')`. Runs on every runtime Hono does.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/hono';
 *
 * app.use('/api/*', vkMiniAppAuth({ secret: env.VK_APP_SECRET }));
 * app.get('/api/me', (c) => c.json({ id: c.get('vk').params.vk_user_id }));
 * ```
 *
 * @module vk-miniapp-auth/hono
 */
export type * from '../common/route-types.js';
export { type HonoRequireCreateHashOptions, requireCreateHash } from './create-hash.js';
export { type HonoRequireGroupRoleOptions, requireGroupRole } from './group-role.js';
export {
  type HonoVkMiniAppAuthOptions,
  type VkEnv,
  type VkMiddleware,
  type VkVariables,
  vkMiniAppAuth,
} from './launch-params.js';
