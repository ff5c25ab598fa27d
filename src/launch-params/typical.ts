/**
 * The usual launch params besides the user, the app and `vk_ts`, as a desktop
 * VK client sends them: what the test helpers and the CLI's `sign` fill in
 * unless told otherwise.
 */
export const TYPICAL_LAUNCH_PARAMS: Readonly<Record<string, string>> = Object.freeze({
  vk_access_token_settings: '',
  vk_are_notifications_enabled: '0',
  vk_is_app_user: '1',
  vk_is_favorite: '0',
  vk_language: 'ru',
  vk_platform: 'desktop_web',
  vk_ref: 'other',
});
