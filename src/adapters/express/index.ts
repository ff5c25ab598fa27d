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

export type { Register, RegisteredContext, RegisteredMax, RegisteredUser } from '../common/register.js';
export type * from '../common/route-types.js';
export { type ExpressRequireCreateHashOptions, requireCreateHash } from './create-hash.js';
export { type ExpressRequireGroupRoleOptions, requireGroupRole } from './group-role.js';
export { type ExpressVkMiniAppAuthOptions, vkMiniAppAuth } from './launch-params.js';
