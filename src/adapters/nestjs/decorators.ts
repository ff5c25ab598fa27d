import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  SetMetadata,
  type Type,
  UseGuards,
} from '@nestjs/common';
import type { LaunchParams } from '../../launch-params/types.js';
import type { VkOrMaxContext } from '../common/context.js';
import {
  type RequireGroupRoleArguments,
  type RequireGroupRoleOptions,
  readGroupRoleArguments,
} from '../common/group-role.js';
import { VkCreateHashGuard, VkGroupRoleGuard } from './guards.js';
import type { NestRequireCreateHashOptions, VkHttpRequest } from './options.js';
import { VK_CREATE_HASH_KEY, VK_GROUP_ROLE_KEY, VK_PUBLIC_KEY } from './tokens.js';

/**
 * Exempts a route, or every route of a controller, from {@link VkMiniAppAuthGuard}
 * (used globally or on the controller). `vk` is not set on such a request.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() {
 *   return { ok: true };
 * }
 * ```
 */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(VK_PUBLIC_KEY, true);
}

/**
 * Requires, on a route or every route of a controller, a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of the verified launch params: it sets
 * the options and applies {@link VkCreateHashGuard}.
 *
 * {@link VkMiniAppAuthGuard} must run first: global (`APP_GUARD`) or on the
 * controller does it; on the same method, write `@RequireCreateHash(…)`
 * above `@UseGuards(VkMiniAppAuthGuard)` (Nest runs the guards of decorators
 * closer to the method first). A refusal is a {@link VkUnauthorizedException}
 * with the code `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or
 * `CREATE_HASH_EXPIRED` (`MISSING_CREDENTIALS` for an anonymous request let
 * through by `optional`).
 *
 * @example
 * ```ts
 * @Post('transfer')
 * @RequireCreateHash<Request>({ payload: (req) => req.body.requestId }) // Express's Request, or FastifyRequest
 * transfer(@VkUser() user: User, @Body() body: Transfer) {
 *   return this.payments.transfer(user, body);
 * }
 * ```
 */
export function RequireCreateHash<Req = VkHttpRequest>(
  options: NestRequireCreateHashOptions<Req>,
): ClassDecorator & MethodDecorator {
  if (
    options === null ||
    typeof options !== 'object' ||
    (options.bindBody !== true && typeof options.payload !== 'function')
  ) {
    throw new TypeError(
      'vk-miniapp-auth: @RequireCreateHash needs { payload }, a function returning the payload VK signed for the request (or { bindBody: true }).',
    );
  }
  return applyDecorators(SetMetadata(VK_CREATE_HASH_KEY, options), UseGuards(VkCreateHashGuard));
}

/**
 * Lets in, on a route or every route of a controller, only a launch from a VK
 * community whose viewer has one of `roles` there (`vk_viewer_group_role`:
 * `admin`, `editor`, `moder`, `member`), and, with `groupId`, only for the
 * community the request acts on: an admin of one community cannot act on
 * another. It sets the roles and applies {@link VkGroupRoleGuard}; the
 * arguments are checked here, when the decorator is applied (a `TypeError`
 * names a bad one).
 *
 * {@link VkMiniAppAuthGuard} must run first: global (`APP_GUARD`) or on the
 * controller does it; on the same method, write `@VkGroupRole(…)` above
 * `@UseGuards(VkMiniAppAuthGuard)`. A refusal is a {@link VkForbiddenException}
 * (403, `GROUP_ROLE_FORBIDDEN`), or a {@link VkUnauthorizedException} (401
 * `MISSING_CREDENTIALS`) for an anonymous request let through by `optional`.
 * The type argument types `groupId`'s request (Express's `Request`, or
 * `FastifyRequest`).
 *
 * @example
 * ```ts
 * @Put('groups/:groupId/settings')
 * @VkGroupRole<Request>('admin', 'editor', { groupId: (req) => req.params.groupId })
 * saveSettings(@VkLaunchParams('vk_group_id') groupId: number, @Body() body: Settings) {
 *   return this.settings.save(groupId, body);
 * }
 * ```
 */
export function VkGroupRole<Req = VkHttpRequest>(
  ...args: RequireGroupRoleArguments<RequireGroupRoleOptions<Req>>
): ClassDecorator & MethodDecorator {
  const { roles, options } = readGroupRoleArguments<RequireGroupRoleOptions<Req>>(args, '@VkGroupRole');
  // A snapshot: the guard builds its check on the first request, from what was checked here.
  const rule = Object.freeze({ roles, options: Object.freeze({ groupId: options.groupId }) });
  return applyDecorators(SetMetadata(VK_GROUP_ROLE_KEY, rule), UseGuards(VkGroupRoleGuard));
}

type Pipe = Type<PipeTransform> | PipeTransform;

/**
 * The verified launch params of the request (`LaunchParams`), or one of them
 * by name (`undefined` for a MAX launch, which has none: see {@link Vk}); `null` when the request carries none (an anonymous request let
 * through by `optional`, or a `@Public()` route). Type the parameter
 * yourself, as with Nest's own decorators.
 *
 * @example
 * ```ts
 * @Get('whoami')
 * whoami(@VkLaunchParams() params: LaunchParams, @VkLaunchParams('vk_platform') platform: string) {
 *   return { id: params.vk_user_id, platform };
 * }
 * ```
 */
export const VkLaunchParams: (key?: keyof LaunchParams, ...pipes: Pipe[]) => ParameterDecorator = createParamDecorator(
  (key: keyof LaunchParams | undefined, context: ExecutionContext) => {
    const vk = vkOf(context);
    if (!vk) return null;
    // A MAX launch (the `max` option) has no launch params: `undefined`, its data are in @Vk().
    return key === undefined ? vk.params : vk.params?.[key];
  },
);

/**
 * The whole `vk` of the request: `platform` (`'vk'`, `'ok'`, or `'max'` with
 * the `max` option), `userId`, the verified launch params (`params`) or MAX
 * init data (`max`), and `user`; `null` when the request carries no
 * credentials (an anonymous request let through by `optional`, or a
 * `@Public()` route). Type the parameter as `VkContext<User>`, or
 * `VkOrMaxContext<User>` with the `max` option.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@Vk() vk: VkOrMaxContext<User>) {
 *   return { platform: vk.platform, userId: vk.userId, name: vk.user.name };
 * }
 * ```
 */
export const Vk: (...pipes: Pipe[]) => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => vkOf(context) ?? null,
);

/**
 * The user `resolveUser` returned for the request (`undefined` without
 * `resolveUser`); `null` when the request carries no launch params (an
 * anonymous request let through by `optional`, or a `@Public()` route).
 * Type the parameter with your user type.
 *
 * @example
 * ```ts
 * @Get('protected')
 * protected(@VkUser() user: User) {
 *   return { user_id: user.id };
 * }
 * ```
 */
export const VkUser: (...pipes: Pipe[]) => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => {
    const vk = vkOf(context);
    return vk ? vk.user : null;
  },
);

function vkOf(context: ExecutionContext): VkOrMaxContext<unknown> | null | undefined {
  return context.switchToHttp().getRequest<VkHttpRequest>().vk;
}
