/**
 * Koa middleware: `app.use(vkMiniAppAuth(options))` verifies the launch
 * params and puts `{ params, user }` on `ctx.state.vk`.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/koa';
 *
 * app.use(vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! }));
 * ```
 *
 * @module vk-miniapp-auth/koa
 */
export type * from '../common/route-types.js';
export { type KoaRequireCreateHashOptions, requireCreateHash } from './create-hash.js';
export { type KoaRequireGroupRoleOptions, requireGroupRole } from './group-role.js';
export { type KoaVkMiniAppAuthOptions, type VkState, vkMiniAppAuth } from './launch-params.js';
