import type { Request, RequestHandler } from 'express';
import {
  createCheckGroupRole,
  type RequireGroupRoleArguments,
  type RequireGroupRoleOptions,
  readGroupRoleArguments,
} from '../common/group-role.js';
import { readOnError } from '../common/refusal.js';
import type { ExpressVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute, sendRefusal } from './refusal.js';

/**
 * Options of {@link requireGroupRole}: {@link RequireGroupRoleOptions} with
 * Express's `Request`, plus `onError` as in {@link ExpressVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: ExpressRequireGroupRoleOptions = { groupId: (req) => req.params.groupId };
 * ```
 */
export interface ExpressRequireGroupRoleOptions extends RequireGroupRoleOptions<Request> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: ExpressVkMiniAppAuthOptions['onError'];
}

/**
 * Express middleware, for the routes that need it, that lets in only a launch
 * from a VK community whose viewer has one of `roles` there
 * (`vk_viewer_group_role`: `admin`, `editor`, `moder`, `member`), and, with
 * `groupId`, only for the community the request acts on: an admin of one
 * community cannot act on another. Place it after {@link vkMiniAppAuth}.
 *
 * A refusal answers 403 with the code `GROUP_ROLE_FORBIDDEN` (401
 * `MISSING_CREDENTIALS` for an anonymous request let through by `optional`),
 * as `vkMiniAppAuth` answers its own, or through `onError`. Bad arguments
 * throw a `TypeError` here, at start-up.
 *
 * @example
 * ```ts
 * import { requireGroupRole, vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * app.use('/api', vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! }));
 * app.put(
 *   '/api/groups/:groupId/settings',
 *   express.json(),
 *   requireGroupRole('admin', 'editor', { groupId: (req) => req.params.groupId }),
 *   (req, res) => res.json(settings.save(req.vk!.params.vk_group_id!, req.body)),
 * );
 * ```
 */
export function requireGroupRole(...args: RequireGroupRoleArguments<ExpressRequireGroupRoleOptions>): RequestHandler {
  const { roles, options } = readGroupRoleArguments<ExpressRequireGroupRoleOptions>(args);
  const check = createCheckGroupRole<Request>(roles, options.groupId);
  const onError = readOnError(options.onError ?? sendRefusal);

  return guardRoute(check, onError);
}
