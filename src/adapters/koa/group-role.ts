import type { Context, Middleware } from 'koa';
import {
  createCheckGroupRole,
  type RequireGroupRoleArguments,
  type RequireGroupRoleOptions,
  readGroupRoleArguments,
} from '../common/group-role.js';
import { readOnError } from '../common/refusal.js';
import type { KoaVkMiniAppAuthOptions } from './launch-params.js';
import { guardRoute, sendRefusal } from './refusal.js';

/**
 * Options of {@link requireGroupRole}: {@link RequireGroupRoleOptions} with
 * `ctx` as the request, plus `onError` as in {@link KoaVkMiniAppAuthOptions}.
 *
 * @example
 * ```ts
 * const options: KoaRequireGroupRoleOptions = { groupId: (ctx) => ctx.params.groupId }; // @koa/router's ctx.params
 * ```
 */
export interface KoaRequireGroupRoleOptions extends RequireGroupRoleOptions<Context> {
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: KoaVkMiniAppAuthOptions['onError'];
}

/**
 * Koa middleware, for the routes that need it, that lets in only a launch
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
 * import Router from '@koa/router';
 * import { requireGroupRole, vkMiniAppAuth } from 'vk-miniapp-auth/koa';
 *
 * const router = new Router();
 * router.put(
 *   '/api/groups/:groupId/settings',
 *   vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! }),
 *   requireGroupRole('admin', 'editor', { groupId: (ctx) => ctx.params.groupId }),
 *   (ctx) => {
 *     ctx.body = { ok: true };
 *   },
 * );
 * ```
 */
export function requireGroupRole(...args: RequireGroupRoleArguments<KoaRequireGroupRoleOptions>): Middleware {
  const { roles, options } = readGroupRoleArguments<KoaRequireGroupRoleOptions>(args);
  const check = createCheckGroupRole<Context>(roles, options.groupId);
  const onError = readOnError(options.onError ?? sendRefusal);

  return guardRoute(check, onError);
}
