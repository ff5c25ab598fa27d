// The launch both benchmarks verify: a realistic Android launch with the usual
// eleven parameters, signed with a secret shaped like a VK Secure key.

export const BENCH_SECRET = 'wvl68m4dR1UpLrVRli';
export const BENCH_APP_ID = 6736218;
export const BENCH_USER_ID = 494075;

/**
 * The launch query signed by `signLaunchParams` (from whichever build is measured), dated `ts`.
 *
 * @example
 * const query = await benchLaunch(signLaunchParams, Math.floor(Date.now() / 1000));
 */
export function benchLaunch(signLaunchParams, ts) {
  return signLaunchParams(
    {
      vk_access_token_settings: ['friends', 'photos'],
      vk_app_id: BENCH_APP_ID,
      vk_are_notifications_enabled: false,
      vk_is_app_user: true,
      vk_is_favorite: false,
      vk_language: 'ru',
      vk_platform: 'mobile_android',
      vk_ref: 'other',
      vk_ts: ts,
      vk_user_id: BENCH_USER_ID,
    },
    BENCH_SECRET,
  );
}
