import { type LaunchParamsInput, readCredential } from './launch-params/input.js';
import { readIdentity, toLaunchParams } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';

/**
 * Reads launch params into their typed form **without checking the
 * signature**: for display and debugging only, never for deciding who the
 * user is. Throws {@link VkAuthError} for input that is not launch params.
 *
 * @example
 * ```ts
 * const params = parseLaunchParams(location.search);
 * console.log(params.vk_platform); // 'mobile_android', unverified
 * ```
 */
export function parseLaunchParams(input: LaunchParamsInput): LaunchParams {
  const { pairs } = readCredential(input);
  return toLaunchParams(pairs, readIdentity(pairs));
}
