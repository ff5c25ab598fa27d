/**
 * NestJS module, guard and parameter decorators: `VkMiniAppAuthModule.forRoot(options)`,
 * `VkMiniAppAuthGuard`, `@Public()`, `@VkLaunchParams()`, `@VkUser()`.
 *
 * @example
 * ```ts
 * import { VkMiniAppAuthGuard, VkMiniAppAuthModule } from 'vk-miniapp-auth/nestjs';
 *
 * @Module({
 *   imports: [VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET! })],
 *   providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
 * })
 * export class AppModule {}
 * ```
 *
 * @module vk-miniapp-auth/nestjs
 */
export type { LaunchParams } from '../../launch-params/types.js';
export type { Register, RegisteredContext, RegisteredMax, RegisteredUser } from '../common/register.js';
export type * from '../common/route-types.js';
export { Public, RequireCreateHash, Vk, VkGroupRole, VkLaunchParams, VkUser } from './decorators.js';
export { VkForbiddenException, VkUnauthorizedException } from './exception.js';
export { VkCreateHashGuard, VkGroupRoleGuard, VkHttpGuard, VkMiniAppAuthGuard } from './guards.js';
export { VkMiniAppAuthModule } from './module.js';
export type {
  NestRequireCreateHashOptions,
  NestVkMiniAppAuthOptions,
  VkHttpRequest,
  VkMiniAppAuthAsyncOptions,
  VkRequest,
} from './options.js';
export { VK_CREATE_HASH_KEY, VK_GROUP_ROLE_KEY, VK_MINIAPP_AUTH_OPTIONS, VK_PUBLIC_KEY } from './tokens.js';
