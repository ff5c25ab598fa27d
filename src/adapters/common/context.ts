import type { LaunchPlatform } from '../../identity.js';
import type { LaunchParams } from '../../launch-params/types.js';
import type { MaxInitData, MaxUser } from '../../max/types.js';

/**
 * Who opened the app and where, as a VK or OK launch gives it: what
 * `resolveUser` gets as its third argument, and what `vk` holds besides the
 * user. Key accounts on the pair (`platform`, `userId`): the same number on
 * two platforms is two people.
 *
 * @example
 * ```ts
 * const resolveUser = (_params: LaunchParams, _req: Request, { platform, userId }: VkLaunch) =>
 *   users.getOrCreate(platform, userId);
 * ```
 */
export interface VkLaunch {
  /** `'ok'` for a launch in OK (Odnoklassniki), `'vk'` otherwise; see `launchIdentity`. */
  readonly platform: LaunchPlatform;
  /** The user on that platform: `vk_ok_user_id` in an OK launch that carries it, `vk_user_id` otherwise. */
  readonly userId: number;
  /** The verified launch params. */
  readonly params: LaunchParams;
  /** Never set on a VK or OK launch: there for narrowing on `platform` against {@link MaxLaunch}. */
  readonly max?: undefined;
}

/**
 * Who opened the app in MAX, VK's messenger, as its verified init data give
 * it: the MAX counterpart of {@link VkLaunch}, for adapters given the `max`
 * option.
 *
 * @example
 * ```ts
 * function nameOf(launch: VkLaunch | MaxLaunch): string {
 *   return launch.platform === 'max' ? launch.max.user.first_name : `id${launch.params.vk_user_id}`;
 * }
 * ```
 */
export interface MaxLaunch {
  /** Always `'max'`. */
  readonly platform: 'max';
  /** The MAX user id, `max.user.id`: init data without a user are refused (`USER_ID_MISSING`). */
  readonly userId: number;
  /** The verified init data, frozen (the object, `user` and `chat`). */
  readonly max: VerifiedMaxInitData;
  /** No VK launch params in a MAX launch: read `max`. */
  readonly params?: undefined;
}

/**
 * MAX init data as the adapters let them in: verified, and naming a user.
 *
 * @example
 * ```ts
 * const name = (data: VerifiedMaxInitData) => data.user.first_name; // no `?.`: there is always a user
 * ```
 */
export interface VerifiedMaxInitData extends MaxInitData {
  /** The user who opened the mini app: init data without one are refused (`USER_ID_MISSING`). */
  readonly user: MaxUser;
}

/** Where a user can come from: VK and OK launches, and MAX launches for adapters given `max`. */
export type Platform = LaunchPlatform | 'max';

/**
 * What every adapter exposes as `vk` once a VK or OK launch is authenticated:
 * the platform and user id ({@link VkLaunch}), the verified launch params,
 * and the user `resolveUser` returned (`undefined` without `resolveUser`).
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => {
 *   const { platform, userId, params, user } = req.vk!;
 *   res.json({ platform, userId, app: params.vk_app_id, name: user.name });
 * });
 * ```
 */
export interface VkContext<User = undefined> extends VkLaunch {
  /** What `resolveUser` returned for this launch (`undefined` without `resolveUser`). */
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
 * What an adapter given the `max` option exposes as `vk` for a MAX launch:
 * the verified init data ({@link MaxLaunch}) and the user `resolveUser`
 * returned. Such an adapter's `vk` is {@link VkOrMaxContext}; narrow it on
 * `platform`.
 *
 * @example
 * ```ts
 * const vk = c.get('vk'); // VkOrMaxContext<User>
 * if (vk.platform === 'max') console.log(vk.max.user?.first_name, vk.max.start_param);
 * ```
 */
export interface MaxContext<User = undefined> extends MaxLaunch {
  /** What `resolveUser` returned for this launch (`undefined` without `resolveUser`). */
  readonly user: User;
  /** Sessions are issued for VK and OK launches only: a MAX launch sends its init data each time. */
  readonly session?: undefined;
}

/**
 * The `vk` of an adapter given the `max` option: a VK or OK launch
 * ({@link VkContext}, `platform` `'vk'` or `'ok'`) or a MAX one
 * ({@link MaxContext}, `platform` `'max'`).
 *
 * @example
 * ```ts
 * function greeting(vk: VkOrMaxContext<User>): string {
 *   return vk.platform === 'max' ? `MAX user ${vk.userId}` : `${vk.platform} user ${vk.params.vk_user_id}`;
 * }
 * ```
 */
export type VkOrMaxContext<User = undefined> = VkContext<User> | MaxContext<User>;

/**
 * `vk` of an adapter, by whether it was given `max`: {@link VkOrMaxContext}
 * when `Max` is `true`, {@link VkContext} otherwise.
 *
 * @example
 * ```ts
 * type Vk = AdapterContext<User, true>; // VkContext<User> | MaxContext<User>
 * ```
 */
export type AdapterContext<User, Max extends boolean = false> = [Max] extends [false]
  ? VkContext<User>
  : VkOrMaxContext<User>;
