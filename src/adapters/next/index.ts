// Nothing in this folder is imported from `next`, not even types: a route
// handler is a function from a Web `Request` (Next's `NextRequest` extends it)
// to a Web `Response`, so this adapter runs on the Node.js and the Edge
// runtime alike.
/**
 * Next.js route-handler wrapper (App Router, Node.js and Edge runtimes):
 * the wrapped handler gets the verified `{ params, user }` as `ctx.vk`.
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/next';
 *
 * const withVk = vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! });
 * export const GET = withVk(async (request, ctx) => Response.json({ id: ctx.vk.params.vk_user_id }));
 * ```
 *
 * @module vk-miniapp-auth/next
 */
export type * from '../common/route-types.js';
export { type NextRequireCreateHashOptions, requireCreateHash, type WithCreateHash } from './create-hash.js';
export {
  type NextRequireGroupRoleOptions,
  type NextRouteParams,
  requireGroupRole,
  type WithGroupRole,
} from './group-role.js';
export type { WithGuard } from './guard.js';
export {
  type NextVk,
  type NextVkMiniAppAuthOptions,
  type VkRouteHandler,
  vkMiniAppAuth,
  type WithVk,
} from './launch-params.js';
