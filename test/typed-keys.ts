/**
 * The documented keys whose values come back converted (numbers, booleans,
 * lists). Property tests about the signature leave them out of random keys,
 * since a random value there is refused as MALFORMED, rightly.
 */
export const TYPED_KEYS: ReadonlySet<string> = new Set([
  'vk_user_id',
  'vk_app_id',
  'vk_ts',
  'vk_group_id',
  'vk_is_recommended',
  'vk_has_profile_button',
  'vk_is_play_machine',
  'vk_is_widescreen',
  'vk_profile_id',
  'vk_testing_group_id',
  'vk_ok_user_id',
  'vk_ok_app_id',
  'vk_is_app_user',
  'vk_are_notifications_enabled',
  'vk_is_favorite',
  'vk_access_token_settings',
]);
