import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { SecretOption } from '../../options.js';
import type { AdapterContext } from '../common/context.js';
import type { RequireCreateHashOptions } from '../common/create-hash.js';
import type { VkMiniAppAuthOptions } from '../common/options.js';
import type { RegisteredMax, RegisteredUser } from '../common/register.js';

/**
 * The request as the guard sees it on either platform: Express's `Request`
 * or Fastify's `FastifyRequest`. Only `headers` are read (by the default
 * `getCredentials`); `vk` is written.
 *
 * @example
 * ```ts
 * VkMiniAppAuthModule.forRoot({
 *   secret,
 *   getCredentials: (req: VkHttpRequest) => req.headers['x-launch-params'] as string | undefined,
 * });
 * ```
 */
export interface VkHttpRequest {
  /** The HTTP method. A CORS preflight is checked like any request: `app.enableCors()` answers it before guards run. */
  method?: string;
  /** The request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * Set by the guard: the verified launch and user, or `null` for an anonymous request. A MAX
   * launch only once `Register` declares `max: true`.
   */
  vk?: AdapterContext<unknown, RegisteredMax> | null;
}

/**
 * A request the guard has passed: `vk` holds the verified launch and user,
 * `null` for an anonymous request let through by `optional`. For handlers
 * that take the whole request (`@Req()`) rather than {@link Vk},
 * {@link VkUser} or {@link VkLaunchParams}. `Max` is `true` once `Register`
 * declares `max: true`: `vk` may then be a MAX launch.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@Req() req: VkRequest<User>) {
 *   return { user_id: req.vk?.user.id };
 * }
 * ```
 */
export interface VkRequest<User = RegisteredUser, Max extends boolean = RegisteredMax> {
  /** The verified launch and user; `null` for an anonymous request let through by `optional`. */
  vk?: AdapterContext<User, Max> | null;
}

/**
 * Options of {@link VkMiniAppAuthModule}: the shared {@link VkMiniAppAuthOptions}.
 * `User` is inferred from `resolveUser`; `Req` is the platform's request
 * (annotate `getCredentials`' or `resolveUser`'s parameter to pick it,
 * e.g. `FastifyRequest`), by default {@link VkHttpRequest}. The `max` option
 * (MAX launches, docs/max.md) is taken once `Register` declares `max: true`,
 * which also types `resolveUser` for MAX launches.
 *
 * @example
 * ```ts
 * const options: NestVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * };
 * ```
 */
export type NestVkMiniAppAuthOptions<User = undefined, Req = VkHttpRequest> = VkMiniAppAuthOptions<
  Req,
  User,
  RegisteredMax
>;

/**
 * Options of {@link VkMiniAppAuthModule.forRootAsync}: a factory, with the
 * providers it needs, that resolves to the module options. Use it when
 * `resolveUser` needs one of your services.
 *
 * @example
 * ```ts
 * VkMiniAppAuthModule.forRootAsync({
 *   imports: [UsersModule],
 *   inject: [UserService],
 *   useFactory: (users: UserService) => ({
 *     secret: process.env.VK_APP_SECRET!,
 *     resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   }),
 * });
 * ```
 */
export interface VkMiniAppAuthAsyncOptions<User = undefined, Req = VkHttpRequest> {
  /** Modules that export the providers `inject` names. */
  imports?: ModuleMetadata['imports'];
  /** Providers passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  /** Resolves to the module options; they are validated as soon as it has. */
  useFactory: (
    // biome-ignore lint/suspicious/noExplicitAny: the same signature as Nest's own `useFactory`
    ...args: any[]
  ) => NestVkMiniAppAuthOptions<User, Req> | Promise<NestVkMiniAppAuthOptions<User, Req>>;
}

/**
 * Options of {@link RequireCreateHash}: {@link RequireCreateHashOptions}, with
 * `secret` defaulting to the module's. `Req` is the platform's request, by
 * default {@link VkHttpRequest}.
 *
 * @example
 * ```ts
 * import type { Request } from 'express';
 *
 * const options: NestRequireCreateHashOptions<Request> = {
 *   payload: (req) => req.body.requestId,
 *   maxAge: 300,
 * };
 * ```
 */
export interface NestRequireCreateHashOptions<Req = VkHttpRequest>
  extends Omit<RequireCreateHashOptions<Req>, 'secret'> {
  /** The Secure key(s). Default: the `secret` given to {@link VkMiniAppAuthModule}. */
  secret?: SecretOption;
}
