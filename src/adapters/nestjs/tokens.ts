/**
 * The injection token of the options given to {@link VkMiniAppAuthModule}.
 *
 * @example
 * ```ts
 * constructor(@Inject(VK_MINIAPP_AUTH_OPTIONS) options: NestVkMiniAppAuthOptions) {}
 * ```
 */
export const VK_MINIAPP_AUTH_OPTIONS: unique symbol = Symbol('VK_MINIAPP_AUTH_OPTIONS');

/** The injection token of the request check built from the options (validated once). */
export const VK_MINIAPP_AUTHENTICATE: unique symbol = Symbol('VkMiniAppAuthModule.forRoot()');

/**
 * The metadata key {@link Public} sets. Set it from your own decorator to
 * share one `@Public()` between several guards.
 *
 * @example
 * ```ts
 * export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), SetMetadata(VK_PUBLIC_KEY, true));
 * ```
 */
export const VK_PUBLIC_KEY = 'vk-miniapp-auth:public';

/**
 * The metadata key {@link RequireCreateHash} sets: its options.
 *
 * @example
 * ```ts
 * const options = reflector.get<NestRequireCreateHashOptions>(VK_CREATE_HASH_KEY, context.getHandler());
 * ```
 */
export const VK_CREATE_HASH_KEY = 'vk-miniapp-auth:create-hash';

/**
 * The metadata key {@link VkGroupRole} sets: its roles and options, as
 * `{ roles, options }`.
 *
 * @example
 * ```ts
 * const rule = reflector.get<{ roles: readonly string[] }>(VK_GROUP_ROLE_KEY, context.getHandler());
 * ```
 */
export const VK_GROUP_ROLE_KEY = 'vk-miniapp-auth:group-role';
