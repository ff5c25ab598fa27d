import { VkAuthError } from '../../errors.js';
import { parsePositiveId } from '../../launch-params/numbers.js';
import type { VkViewerGroupRole } from '../../launch-params/types.js';
import type { VkOrMaxContext } from './context.js';

/**
 * What a `groupId` getter may return: the id of the community the request
 * acts on, as a number or its decimal digits (a route parameter as the
 * framework gives it). Anything that is not a positive safe integer refuses
 * the request (403 `GROUP_ROLE_FORBIDDEN`): `null`, `undefined`, digits with
 * a sign, a leading zero or spaces, and an array (Express 5 types a route
 * parameter `string | string[]`; an array is a wildcard's, never an id).
 */
export type GroupIdValue = number | string | readonly string[] | null | undefined;

/**
 * Reads, from a request, the id of the community it acts on: a route
 * parameter, most often. May be async. A getter that throws is a server
 * error (500), not a refusal.
 *
 * @example
 * ```ts
 * const groupId: GroupIdSource<Request> = (req) => req.params.groupId;
 * ```
 */
export type GroupIdSource<Req> = (request: Req) => GroupIdValue | Promise<GroupIdValue>;

/**
 * The options every adapter's `requireGroupRole` takes after the roles.
 *
 * @example
 * ```ts
 * const options: RequireGroupRoleOptions<Request> = { groupId: (req) => req.params.groupId };
 * requireGroupRole('admin', 'editor', options);
 * ```
 */
export interface RequireGroupRoleOptions<Req> {
  /**
   * The community the request acts on. When given, the launch must come from
   * that very community (`vk_group_id`), so that an admin of one community
   * cannot act on another. Without it, the route must act only on
   * `vk.params.vk_group_id`, never on an id the client sends.
   */
  groupId?: GroupIdSource<Req>;
}

/**
 * The arguments of every adapter's `requireGroupRole`: one role or more, then
 * optionally the options object.
 *
 * @example
 * ```ts
 * const args: RequireGroupRoleArguments<RequireGroupRoleOptions<Request>> = ['admin', 'editor', { groupId }];
 * ```
 */
export type RequireGroupRoleArguments<Options> =
  | readonly [VkViewerGroupRole, ...VkViewerGroupRole[]]
  | readonly [VkViewerGroupRole, ...VkViewerGroupRole[], Options];

/** The arguments of a group-role guard once checked: the roles it lets in and its options (`{}` when none). */
export interface GroupRoleArguments<Options> {
  readonly roles: readonly string[];
  readonly options: Partial<Options>;
}

/**
 * Checks the arguments of a group-role guard once, at start-up: one role or
 * more, each a non-empty string, then optionally an options object whose
 * `groupId` is a function. A bad one throws a `TypeError` naming it.
 * `guard` names the guard in the messages (`requireGroupRole`, `@VkGroupRole`).
 */
export function readGroupRoleArguments<Options extends object>(
  args: readonly unknown[],
  guard = 'requireGroupRole',
): GroupRoleArguments<Options> {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const hasOptions = last !== null && typeof last === 'object' && !Array.isArray(last);
  const roles = hasOptions ? args.slice(0, -1) : [...args];
  if (roles.length === 1 && Array.isArray(roles[0])) {
    throw new TypeError(
      `vk-miniapp-auth: ${guard} takes the roles as arguments, not an array: ${guard}('admin', 'editor').`,
    );
  }
  if (roles.length === 0) {
    throw new TypeError(
      `vk-miniapp-auth: ${guard} needs at least one role (admin, editor, moder, member): ${guard}('admin', 'editor').`,
    );
  }
  roles.forEach((role, index) => {
    if (typeof role !== 'string' || role === '') {
      throw new TypeError(
        `vk-miniapp-auth: ${guard}'s roles must be non-empty strings (admin, editor, moder, member); role ${index + 1} is ${kindOf(role)}.`,
      );
    }
  });
  const options = (hasOptions ? last : {}) as Partial<Options> & { groupId?: unknown };
  if (options.groupId !== undefined && typeof options.groupId !== 'function') {
    throw new TypeError(
      'vk-miniapp-auth: options.groupId must be a function returning the id of the community the request acts on.',
    );
  }
  return { roles: Object.freeze(roles as string[]), options };
}

function kindOf(value: unknown): string {
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}

/** Checks one request's community role against the `vk` an adapter set on it (`undefined`: none ran). */
export type CheckGroupRole<Req> = (request: Req, vk: VkOrMaxContext<unknown> | null | undefined) => Promise<void>;

/**
 * The request-time check every adapter's `requireGroupRole` shares, for roles
 * and a `groupId` already checked by {@link readGroupRoleArguments}. It
 * resolves when the verified launch comes from a community (`vk_group_id`)
 * whose viewer role (`vk_viewer_group_role`) is one of `roles`, and, with
 * `groupId`, when that community is the one the request names. Otherwise it
 * rejects with a `VkAuthError`: `GROUP_ROLE_FORBIDDEN` (403), or
 * `MISSING_CREDENTIALS` (401) for an anonymous request let through by
 * `optional`. A request no launch-params check has seen (`vk` undefined), or
 * a `groupId` that throws, rejects with that error: a server error.
 * `wiring` is the message of the first, saying how to mount the guard.
 */
export function createCheckGroupRole<Req>(
  roles: readonly string[],
  groupId: GroupIdSource<Req> | undefined,
  wiring = 'requireGroupRole found no launch-params check on this route; put it after vkMiniAppAuth.',
): CheckGroupRole<Req> {
  const allowed: ReadonlySet<string> = new Set(roles);
  const wanted = roles.join(' or ');

  return async (request, vk) => {
    if (vk === undefined) {
      // A wiring mistake, not a bad request: the framework's error handling answers 500.
      throw new Error(`vk-miniapp-auth: ${wiring}`);
    }
    if (vk === null) {
      throw new VkAuthError(
        'MISSING_CREDENTIALS',
        'This route needs launch params from a community launch: send location.search in Authorization.',
      );
    }
    if (vk.platform === 'max') {
      throw forbidden(`This route needs the role ${wanted} in a VK community; a MAX launch carries no community role.`);
    }
    const { vk_group_id: launchGroup, vk_viewer_group_role: role } = vk.params;
    if (!isGroupId(launchGroup)) {
      throw forbidden(`This route needs the app launched from a community, as its ${wanted}; this launch has none.`);
    }
    if (typeof role !== 'string' || !allowed.has(role)) {
      const viewer = typeof role === 'string' && role !== '' ? `the viewer is ${role} there` : 'it carries no role';
      throw forbidden(`This route needs the role ${wanted} in community ${launchGroup}; ${viewer}.`);
    }
    if (groupId === undefined) return;
    // Not caught: a getter that throws is a server error, as the framework reports it.
    const target = readGroupId(await groupId(request));
    if (target === undefined) {
      throw forbidden(
        `This request names no valid community id (a positive integer); the launch is from community ${launchGroup}.`,
      );
    }
    if (target !== launchGroup) {
      throw forbidden(
        `This launch is from community ${launchGroup}, and this request acts on community ${target}: open the app from that community.`,
      );
    }
  };
}

function forbidden(message: string): VkAuthError {
  return new VkAuthError('GROUP_ROLE_FORBIDDEN', message);
}

function isGroupId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A community id from what a `groupId` getter returned, or `undefined` when it is none. */
function readGroupId(value: unknown): number | undefined {
  // Text in VK's spelling of an id only: no sign, no leading zero, no space, no exponent.
  if (typeof value === 'string') return parsePositiveId(value);
  return isGroupId(value) ? value : undefined;
}
