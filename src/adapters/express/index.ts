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
export type { VkViewerGroupRole } from '../../launch-params/types.js';
export type * from '../shared/context.js';
export type { CreateHashSource, RawBody, RequireCreateHashOptions } from '../shared/create-hash.js';
export type {
  GroupIdSource,
  GroupIdValue,
  RequireGroupRoleArguments,
  RequireGroupRoleOptions,
} from '../shared/group-role.js';
export type { MaxAdapterOptions, ResolveUser, VkMiniAppAuthOptions } from '../shared/options.js';
export type { Register, RegisteredContext, RegisteredMax, RegisteredUser } from '../shared/register.js';
export { type ExpressRequireCreateHashOptions, requireCreateHash } from './create-hash.js';
export { type ExpressRequireGroupRoleOptions, requireGroupRole } from './group-role.js';
export { type ExpressVkMiniAppAuthOptions, vkMiniAppAuth } from './launch-params.js';
