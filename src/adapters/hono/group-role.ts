import type { Context, MiddlewareHandler } from 'hono';
import {
  createCheckGroupRole,
  type RequireGroupRoleArguments,
  type RequireGroupRoleOptions,
  readGroupRoleArguments,
} from '../common/group-role.js';
import { readOnError } from '../common/refusal.js';
import type { HonoVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute } from './refusal.js';

/**
 * Options of {@link requireGroupRole}: {@link RequireGroupRoleOptions} with
 * Hono's `Context` as the request, plus `onError` as in
 * {@link HonoVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: HonoRequireGroupRoleOptions = { groupId: (c) => c.req.param('groupId') };
 * ```
 */
export interface HonoRequireGroupRoleOptions extends RequireGroupRoleOptions<Context> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: HonoVkMiniAppAuthOptions['onError'];
}

/**
 * Hono middleware, for the routes that need it, that lets in only a launch
 * from a VK community whose viewer has one of `roles` there
 * (`vk_viewer_group_role`: `admin`, `editor`, `moder`, `member`), and, with
 * `groupId`, only for the community the request acts on: an admin of one
 * community cannot act on another. Place it after {@link vkMiniAppAuth}, on
 * the route itself, so that `c.req.param()` has the route's parameters.
 *
 * A refusal answers 403 with the code `GROUP_ROLE_FORBIDDEN` (401
 * `MISSING_CREDENTIALS` for an anonymous request let through by `optional`),
 * as `vkMiniAppAuth` answers its own, or through `onError`. Bad arguments
 * throw a `TypeError` here, at start-up.
 *
 * @example
 * ```ts
 * import { requireGroupRole, vkMiniAppAuth } from 'vk-miniapp-auth/hono';
 *
 * const app = new Hono()
 *   .use('/api/*', vkMiniAppAuth({ secret: env.VK_APP_SECRET }))
 *   .put(
 *     '/api/groups/:groupId/settings',
 *     requireGroupRole('admin', 'editor', { groupId: (c) => c.req.param('groupId') }),
 *     (c) => c.json({ group: c.get('vk').params.vk_group_id }),
 *   );
 * ```
 */
export function requireGroupRole(...args: RequireGroupRoleArguments<HonoRequireGroupRoleOptions>): MiddlewareHandler {
  const { roles, options } = readGroupRoleArguments<HonoRequireGroupRoleOptions>(args);
  const check = createCheckGroupRole<Context>(roles, options.groupId);
  const onError = readOnError(options.onError);

  return guardRoute(check, onError);
}
