/**
 * A string-literal union that still accepts any other string, so a value VK
 * adds tomorrow type-checks and verifies, while editors keep suggesting the
 * known ones.
 */
export type OpenUnion<Known extends string> = Known | (string & {});

/**
 * The languages VK documents for `vk_language`; any other value is accepted.
 *
 * @example
 * ```ts
 * const lang: VkLanguage = params.vk_language ?? 'ru';
 * ```
 */
export type VkLanguage = OpenUnion<'ru' | 'uk' | 'ua' | 'en' | 'be' | 'kz' | 'pt' | 'es'>;

/**
 * The platforms VK documents for `vk_platform`; VK adds values, and any other
 * value is accepted.
 *
 * @example
 * ```ts
 * const isMobile = params.vk_platform?.startsWith('mobile_') ?? false;
 * ```
 */
export type VkPlatform = OpenUnion<
  | 'desktop_web'
  | 'mobile_web'
  | 'mobile_android'
  | 'mobile_iphone'
  | 'mobile_ipad'
  | 'desktop_app_messenger'
  | 'desktop_web_messenger'
  | 'mobile_android_messenger'
  | 'mobile_iphone_messenger'
  | 'android_external'
  | 'iphone_external'
  | 'ipad_external'
  | 'mvk_external'
  | 'web_external'
>;

/**
 * Where the user launched the app from (`vk_ref`); an open set.
 *
 * @example
 * ```ts
 * if (params.vk_ref === 'catalog_recommendation') metrics.count('from-catalog');
 * ```
 */
export type VkRef = OpenUnion<
  'other' | 'catalog_recommendation' | 'feed' | 'snippet_post' | 'snippet_im' | 'menu' | 'notifications'
>;

/**
 * The viewer's role in the community the app was launched from.
 *
 * @example
 * ```ts
 * const canModerate = ['moder', 'editor', 'admin'].includes(params.vk_viewer_group_role ?? 'none');
 * ```
 */
export type VkViewerGroupRole = OpenUnion<'none' | 'member' | 'moder' | 'editor' | 'admin'>;

/**
 * The value of an undocumented `vk_*` parameter: kept as the decoded string.
 */
export type UnknownVkValue = string | number | boolean | readonly string[] | undefined;

/**
 * Launch parameters with VK's own names and real types.
 *
 * Only `vk_*` parameters and `sign` are kept: nothing else in the URL is
 * signed, so nothing else may be trusted. Undocumented `vk_*` keys are kept as
 * strings. `vk_ts` is kept as VK sent it (seconds, or milliseconds for some
 * OK launches).
 *
 * @example
 * ```ts
 * const params: LaunchParams = await verifyLaunchParams(authorization, { secret });
 * params.vk_user_id;  // 494075 (number)
 * params.vk_is_app_user; // true (boolean)
 * params.vk_access_token_settings; // ['friends', 'photos']
 * ```
 */
export interface LaunchParams {
  /** The user who opened the app: the identity to authenticate. */
  vk_user_id: number;
  /** The app that was opened. */
  vk_app_id: number;
  /** When VK made the signature: Unix seconds (milliseconds in some OK launches). Missing in very old launches. */
  vk_ts?: number;
  /** Whether the user has installed the app. */
  vk_is_app_user?: boolean;
  /** Whether the user allowed notifications from the app. */
  vk_are_notifications_enabled?: boolean;
  /** Whether the app is in the user's favourites. */
  vk_is_favorite?: boolean;
  /** The user's interface language. */
  vk_language?: VkLanguage;
  /** The client the app runs in. */
  vk_platform?: VkPlatform;
  /** Where the app was launched from. */
  vk_ref?: VkRef;
  /** The access-token scopes the user granted, split on commas (empty when none). */
  vk_access_token_settings?: readonly string[];
  /** The community the app was launched from. */
  vk_group_id?: number;
  /** The viewer's role in `vk_group_id`. */
  vk_viewer_group_role?: VkViewerGroupRole;
  /** `1` when the app is recommended (VK's flag, kept as the integer sent). */
  vk_is_recommended?: number;
  /** `1` when the app's button is on the user's profile (kept as the integer sent). */
  vk_has_profile_button?: number;
  /** A VK flag VK does not document further, kept as the integer sent. */
  vk_is_play_machine?: number;
  /** `1` when the app is shown in widescreen mode (kept as the integer sent). */
  vk_is_widescreen?: number;
  /** The profile the app was opened from, when launched from a profile. */
  vk_profile_id?: number;
  /** The testing group of a tester's launch, when the app is being tested. */
  vk_testing_group_id?: number;
  /** Kept as a string: chat ids are opaque. */
  vk_chat_id?: string;
  /** Kept as a string: whatever followed `#` in the app link when VK passed it on. */
  vk_request_key?: string;
  /**
   * `ok` when the app was opened in OK (Odnoklassniki); absent in the VK client.
   * VK's own table of launch params does not list it: `ok` is the only value
   * public back ends report (see docs/ok.md), and any other is kept as sent.
   */
  vk_client?: OpenUnion<'ok'>;
  /**
   * The OK user who opened the app, in an OK launch: the identity to trust
   * there (see `launchIdentity`). Signed like every `vk_*` key; not in
   * VK's documented table, reported by public back ends (docs/ok.md).
   */
  vk_ok_user_id?: number;
  /** The app's id in OK, in an OK launch (`vk_app_id` still names the VK app). Signed; see docs/ok.md. */
  vk_ok_app_id?: number;
  /** The signature itself (43 base64url characters). */
  sign: string;
  /** Undocumented `vk_*` parameters, as decoded strings. They are signed too. */
  [key: `vk_${string}`]: UnknownVkValue;
}
