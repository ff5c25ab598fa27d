import type { LaunchParams } from './launch-params/types.js';

/** Where the app was opened: VK itself, or OK (Odnoklassniki). */
export type LaunchPlatform = 'vk' | 'ok';

/**
 * Who opened the app, and where: the ids to key an account on, as the pair
 * (`platform`, `userId`). An OK user and a VK user may have the same number;
 * they are different people.
 */
export interface LaunchIdentity {
  /** `ok` for a launch in OK, `vk` otherwise. */
  readonly platform: LaunchPlatform;
  /** `vk_ok_user_id` in an OK launch that carries it, `vk_user_id` otherwise. */
  readonly userId: number;
  /** `vk_ok_app_id` in an OK launch that carries it, `vk_app_id` otherwise. */
  readonly appId: number;
}

/**
 * The user and app of a verified launch, on the platform it came from: VK or
 * OK (Odnoklassniki), where the same mini app also runs.
 *
 * An OK launch carries the usual `vk_*` keys plus `vk_client=ok`,
 * `vk_ok_user_id` (the OK user) and `vk_ok_app_id` (the app's id in OK). None
 * of the three is in VK's table of launch params; they come from public back
 * ends that verify real OK launches (docs/ok.md lists the sources). Like every
 * `vk_*` key they are covered by `sign`, so once {@link verifyLaunchParams}
 * has accepted the launch they are as trustworthy as `vk_user_id`.
 *
 * The rules, applied to what VK signed and nothing else:
 *
 * - **OK or VK.** A launch is an OK launch when any of the three OK keys is
 *   there: `vk_client` is `ok`, or `vk_ok_user_id`, or `vk_ok_app_id` is set.
 *   A VK launch carries none of them. Any other `vk_client` value with no
 *   `vk_ok_*` key is reported as `vk`; read `params.vk_client` yourself if you
 *   serve another client.
 * - **The ids.** For an OK launch, `userId` is `vk_ok_user_id` and `appId` is
 *   `vk_ok_app_id`, each when present; a missing one falls back to
 *   `vk_user_id` or `vk_app_id`. For a VK launch they are `vk_user_id` and
 *   `vk_app_id`.
 *
 * **When the evidence is ambiguous.** Public code disagrees on two points, and
 * this function makes one choice for each:
 *
 * - An OK launch without `vk_ok_user_id` (`vk_client=ok` alone, a format one
 *   public back end still accepts, in which `vk_user_id` holds the user): the
 *   result is `platform: 'ok'` with `userId` from `vk_user_id`. That number
 *   may be a VK id, so a server that keys accounts on (`platform`, `userId`)
 *   and must never mix the two should refuse such a launch instead: test
 *   `params.vk_ok_user_id === undefined` first.
 * - What `vk_user_id` holds in an OK launch that also carries
 *   `vk_ok_user_id` is not documented anywhere we found (the sources show a
 *   number different from the OK id). It is not used for the identity; it
 *   stays in `params.vk_user_id`.
 *
 * Pass only params that {@link verifyLaunchParams} returned: the function
 * checks nothing, and unverified ids are whatever the client typed.
 *
 * @example
 * ```ts
 * import { launchIdentity, signLaunchParams, verifyLaunchParams } from 'vk-miniapp-auth';
 *
 * const secret = 'example-secret';
 * const query = await signLaunchParams(
 *   {
 *     vk_app_id: 6736218,
 *     vk_user_id: 494075,
 *     vk_client: 'ok',
 *     vk_ok_app_id: 512000000001,
 *     vk_ok_user_id: 585434281343,
 *     vk_ts: Date.now(), // OK launches send milliseconds; both units are read
 *   },
 *   secret,
 * );
 * const params = await verifyLaunchParams(query, { secret });
 * launchIdentity(params); // { platform: 'ok', userId: 585434281343, appId: 512000000001 }
 * ```
 */
export function launchIdentity(params: LaunchParams): LaunchIdentity {
  const okUser = params.vk_ok_user_id;
  const okApp = params.vk_ok_app_id;
  if (params.vk_client === 'ok' || okUser !== undefined || okApp !== undefined) {
    return { platform: 'ok', userId: okUser ?? params.vk_user_id, appId: okApp ?? params.vk_app_id };
  }
  return { platform: 'vk', userId: params.vk_user_id, appId: params.vk_app_id };
}
