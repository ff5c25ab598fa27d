import type { AdapterContext } from './context.js';

/**
 * Declares your user type once for the frameworks that type request state
 * globally (Express's `req.vk`, Fastify's `request.vk`): TypeScript's
 * declaration merging, the idiom those frameworks use themselves.
 *
 * Augment the subpath you import the adapter from (any of them works, they
 * share one `Register`).
 *
 * @example
 * ```ts
 * import { vkMiniAppAuth } from 'vk-miniapp-auth/express';
 *
 * declare module 'vk-miniapp-auth/express' {
 *   interface Register {
 *     user: User;
 *     // With the `max` option: `vk` is then VkOrMaxContext, narrowed on `platform`.
 *     max: true;
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by users through declaration merging
export interface Register {}

/**
 * The user type declared through {@link Register}, or `unknown`.
 *
 * @example
 * ```ts
 * const user = req.vk?.user as RegisteredUser;
 * ```
 */
export type RegisteredUser = Register extends {
  /** The user type declared in `Register`. */
  user: infer User;
}
  ? User
  : unknown;

/**
 * Whether {@link Register} declares `max: true`: the adapters of the globally
 * typed frameworks then take the `max` option and type `vk` as
 * {@link VkOrMaxContext}.
 *
 * @example
 * ```ts
 * const withMax: RegisteredMax = true; // compiles once Register has max: true
 * ```
 */
export type RegisteredMax = Register extends {
  /** `true` when the app takes MAX launches. */
  max: true;
}
  ? true
  : false;

/**
 * The `vk` of the globally typed frameworks (Express, Fastify, NestJS): of the
 * user and `max` declared through {@link Register}.
 *
 * @example
 * ```ts
 * const vk = req.vk as RegisteredContext;
 * ```
 */
export type RegisteredContext = AdapterContext<RegisteredUser, RegisteredMax>;
