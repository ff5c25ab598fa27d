import {
  createCheckGroupRole,
  type GroupIdValue,
  type RequireGroupRoleArguments,
  readGroupRoleArguments,
} from '../common/group-role.js';
import { readOnError } from '../common/refusal.js';
import { guardHandler, type WithGuard } from './guard.js';
import type { NextVkMiniAppAuthOptions } from './launch-params.js';

/**
 * What Next passes a route handler besides the request, as a `groupId` getter
 * sees it by default: the route's `params`, a promise in Next 15 and later
 * (`await` reads Next 14's plain object too).
 *
 * @example
 * ```ts
 * const groupId = async (request: Request, ctx: NextRouteParams) => (await ctx.params).groupId;
 * ```
 */
export interface NextRouteParams {
  /** The dynamic segments of the route: `{ groupId: '123' }` for `app/api/groups/[groupId]/route.ts`. */
  readonly params: Promise<Record<string, string>>;
}

/**
 * Options of {@link requireGroupRole}: `groupId`, which gets the Web
 * `Request` and Next's context (the route's `params`: see
 * {@link NextRouteParams}), plus `onError` as in {@link NextVkMiniAppAuthOptions}.
 * `Ctx` types the context; pass Next's `RouteContext<'/api/groups/[groupId]'>`
 * for a typed `params`.
 *
 * @example
 * ```ts
 * const options: NextRequireGroupRoleOptions = { groupId: async (request, ctx) => (await ctx.params).groupId };
 * ```
 */
export interface NextRequireGroupRoleOptions<Ctx = NextRouteParams> {
  /**
   * The community the request acts on, most often a route parameter. When
   * given, the launch must come from that very community (`vk_group_id`).
   * May be async; a getter that throws is a server error (500).
   */
  groupId?: (request: Request, context: Ctx) => GroupIdValue | Promise<GroupIdValue>;
  /** Answers a refused request in your own style, as the `onError` of {@link vkMiniAppAuth} does. */
  onError?: NextVkMiniAppAuthOptions['onError'];
}

/**
 * The wrapper {@link requireGroupRole} returns: it takes a handler written for
 * `withVk` and gives back one, to wrap in `withVk` in turn.
 *
 * @example
 * ```ts
 * const withAdmins: WithGroupRole = requireGroupRole('admin');
 * export const POST = withVk(withAdmins(async (request, ctx) => Response.json({ ok: true })));
 * ```
 */
export type WithGroupRole = WithGuard;

/** One call of a wrapped handler, as the shared check reads it. */
interface NextCall {
  readonly request: Request;
  readonly context: unknown;
}

/**
 * Creates a wrapper, for the route handlers that need it, that lets in only a
 * launch from a VK community whose viewer has one of `roles` there
 * (`vk_viewer_group_role`: `admin`, `editor`, `moder`, `member`), and, with
 * `groupId`, only for the community the request acts on: an admin of one
 * community cannot act on another. It goes inside `withVk`, which verifies
 * the launch params first.
 *
 * A refusal answers as `withVk` does (JSON, or what `onError` returns): 403
 * with the code `GROUP_ROLE_FORBIDDEN` (401 `MISSING_CREDENTIALS` for an
 * anonymous request let through by `optional`). Bad arguments throw a
 * `TypeError` here, when the module that calls it loads.
 *
 * @example
 * ```ts
 * // app/api/groups/[groupId]/settings/route.ts
 * import { requireGroupRole, vkMiniAppAuth } from 'vk-miniapp-auth/next';
 *
 * const withVk = vkMiniAppAuth({ secret: process.env.VK_APP_SECRET! });
 * const withEditors = requireGroupRole('admin', 'editor', { groupId: async (request, ctx) => (await ctx.params).groupId });
 *
 * export const PUT = withVk(withEditors(async (request, ctx) => Response.json({ group: ctx.vk.params.vk_group_id })));
 * ```
 */
export function requireGroupRole<Ctx = NextRouteParams>(
  ...args: RequireGroupRoleArguments<NextRequireGroupRoleOptions<Ctx>>
): WithGroupRole {
  const { roles, options } = readGroupRoleArguments<NextRequireGroupRoleOptions<Ctx>>(args);
  const { groupId } = options;
  const check = createCheckGroupRole<NextCall>(
    roles,
    groupId && (({ request, context }) => groupId(request, context as Ctx)),
  );
  const onError = readOnError(options.onError);

  return guardHandler('withGroupRole', (request, context, vk) => check({ request, context }, vk), onError);
}
