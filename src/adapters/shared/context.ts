import type { LaunchParams } from '../../launch-params/types.js';

/**
 * What every adapter exposes as `vk` once a request is authenticated: the
 * verified launch params, and the user `resolveUser` returned (`undefined`
 * without `resolveUser`).
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => {
 *   const { params, user } = req.vk!;
 *   res.json({ id: params.vk_user_id, name: user.name });
 * });
 * ```
 */
export interface VkContext<User = undefined> {
  /** The verified launch params. */
  readonly params: LaunchParams;
  /** What `resolveUser` returned for them (`undefined` without `resolveUser`). */
  readonly user: User;
  /**
   * With the adapter's `session` option: the session token issued for this
   * request (a launch verified) or renewed (a token past half its life),
   * which the adapter also sends in the `VK-Session` response header.
   * Absent when none was issued.
   */
  readonly session?: string;
}

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
