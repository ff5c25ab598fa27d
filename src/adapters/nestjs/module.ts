import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { createAuthenticate } from '../common/authenticate.js';
import { VkCreateHashGuard, VkGroupRoleGuard, VkMiniAppAuthGuard } from './guards.js';
import type { NestVkMiniAppAuthOptions, VkHttpRequest, VkMiniAppAuthAsyncOptions } from './options.js';
import { VK_MINIAPP_AUTH_OPTIONS, VK_MINIAPP_AUTHENTICATE } from './tokens.js';

// This file applies Nest's decorators as plain function calls (what
// TypeScript's `experimentalDecorators` compiles `@Module({})` to), so it
// builds with any compiler settings; see guards.ts for the guards'.

/**
 * Configures the guard once for the whole app. The module is global: import
 * it in your root module, and the guard works in every module.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET!, appId: 6736218 }),
 *   ],
 *   providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
 * })
 * export class AppModule {}
 * ```
 */
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest module is a class; forRoot/forRootAsync are Nest's idiom
export class VkMiniAppAuthModule {
  /**
   * The module with static options, validated right here: a misconfiguration
   * throws a `TypeError` while the app module is being declared.
   *
   * @example
   * ```ts
   * VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET!, appId: 6736218 })
   * ```
   */
  static forRoot<User = undefined, Req = VkHttpRequest>(options: NestVkMiniAppAuthOptions<User, Req>): DynamicModule {
    const authenticate = createAuthenticate(options);
    return moduleWith([
      { provide: VK_MINIAPP_AUTH_OPTIONS, useValue: options },
      { provide: VK_MINIAPP_AUTHENTICATE, useValue: authenticate },
    ]);
  }

  /**
   * The module with options from a factory that may use your providers
   * (`resolveUser` calling a service). They are validated when the factory
   * resolves, so a misconfiguration fails the app's start-up.
   *
   * @example
   * ```ts
   * VkMiniAppAuthModule.forRootAsync({
   *   imports: [UsersModule, ConfigModule],
   *   inject: [UserService, ConfigService],
   *   useFactory: (users: UserService, config: ConfigService) => ({
   *     secret: config.getOrThrow('VK_APP_SECRET'),
   *     resolveUser: (params) => users.getOrCreate(params.vk_user_id),
   *   }),
   * })
   * ```
   */
  static forRootAsync<User = undefined, Req = VkHttpRequest>(
    options: VkMiniAppAuthAsyncOptions<User, Req>,
  ): DynamicModule {
    if (options === null || typeof options !== 'object' || typeof options.useFactory !== 'function') {
      throw new TypeError('vk-miniapp-auth: VkMiniAppAuthModule.forRootAsync needs { useFactory }.');
    }
    return moduleWith(
      [
        { provide: VK_MINIAPP_AUTH_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: VK_MINIAPP_AUTHENTICATE,
          useFactory: (resolved: NestVkMiniAppAuthOptions<User, Req>) => createAuthenticate(resolved),
          inject: [VK_MINIAPP_AUTH_OPTIONS],
        },
      ],
      options.imports,
    );
  }
}
Module({})(VkMiniAppAuthModule);

function moduleWith(providers: NonNullable<ModuleMetadata['providers']>, imports?: ModuleMetadata['imports']) {
  return {
    module: VkMiniAppAuthModule,
    global: true,
    imports: imports ?? [],
    providers: [...providers, VkMiniAppAuthGuard, VkCreateHashGuard, VkGroupRoleGuard],
    exports: [
      VK_MINIAPP_AUTH_OPTIONS,
      VK_MINIAPP_AUTHENTICATE,
      VkMiniAppAuthGuard,
      VkCreateHashGuard,
      VkGroupRoleGuard,
    ],
  } satisfies DynamicModule;
}
