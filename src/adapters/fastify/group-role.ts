import type { FastifyRequest } from 'fastify';
import {
  createCheckGroupRole,
  type RequireGroupRoleArguments,
  type RequireGroupRoleOptions,
  readGroupRoleArguments,
} from '../common/group-role.js';
import type { VkMiniAppAuthHook } from './launch-params.js';
import { guardRoute } from './refusal.js';

/**
 * A Fastify hook, for the routes that need it, that lets in only a launch
 * from a VK community whose viewer has one of `roles` there
 * (`vk_viewer_group_role`: `admin`, `editor`, `moder`, `member`), and, with
 * `groupId`, only for the community the request acts on: an admin of one
 * community cannot act on another. Use it as a `preHandler` (the route's
 * `request.params` are there, and the plugin's `onRequest` check has run).
 *
 * A refusal is a `VkAuthError` thrown into Fastify's error handling, as the
 * plugin's are: 403, `WWW-Authenticate` and the code `GROUP_ROLE_FORBIDDEN`
 * (401 `MISSING_CREDENTIALS` for an anonymous request let through by
 * `optional`). Bad arguments throw a `TypeError` here, at start-up.
 *
 * @example
 * ```ts
 * import { requireGroupRole, vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
 *
 * await app.register(vkMiniAppAuth, { secret: process.env.VK_APP_SECRET! });
 * app.put(
 *   '/groups/:groupId/settings',
 *   {
 *     preHandler: requireGroupRole('admin', 'editor', {
 *       groupId: (request) => (request.params as { groupId: string }).groupId,
 *     }),
 *   },
 *   async (request) => settings.save(request.vk!.params.vk_group_id!, request.body),
 * );
 * ```
 */
export function requireGroupRole(
  ...args: RequireGroupRoleArguments<RequireGroupRoleOptions<FastifyRequest>>
): VkMiniAppAuthHook {
  const { roles, options } = readGroupRoleArguments<RequireGroupRoleOptions<FastifyRequest>>(args);
  const check = createCheckGroupRole<FastifyRequest>(roles, options.groupId);
  return guardRoute(check);
}
