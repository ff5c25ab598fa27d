/**
 * Verify VK Mini App launch parameters on the server.
 *
 * @example
 * ```ts
 * import { verifyLaunchParams } from 'vk-miniapp-auth';
 *
 * const params = await verifyLaunchParams(authorizationHeader, { secret: process.env.VK_APP_SECRET! });
 * ```
 *
 * @module vk-miniapp-auth
 */
export { VKMiniAppAuthenticator, type VKMiniAppAuthenticatorOptions } from './authenticator.js';
export { bodyBoundPayload } from './bridge/body-binding.js';
export {
  type ContactSignOptions,
  type EmailData,
  type PhoneNumberData,
  verifyEmailSign,
  verifyPhoneNumberSign,
} from './bridge/contact-signs.js';
export {
  type CreateHashData,
  type CreateHashOptions,
  type VerifiedCreateHash,
  verifyCreateHash,
} from './bridge/create-hash.js';
export { signCreateHash } from './bridge/sign-create-hash.js';
export { statusOf, VK_AUTH_ERROR_CODES, VkAuthError, type VkAuthErrorCode } from './errors.js';
export { type LaunchIdentity, type LaunchPlatform, launchIdentity } from './identity.js';
export type { LaunchParamsInput } from './launch-params/input.js';
export { MAX_INPUT_LENGTH } from './launch-params/limits.js';
export type {
  LaunchParams,
  OpenUnion,
  UnknownVkValue,
  VkLanguage,
  VkPlatform,
  VkRef,
  VkViewerGroupRole,
} from './launch-params/types.js';
export { MissingOptionError } from './missing-option.js';
export { DEFAULT_CLOCK_SKEW, DEFAULT_MAX_AGE, type SecretOption, type VerifyOptions } from './options.js';
export { parseLaunchParams } from './parse.js';
export { type SignableParams, type SignableValue, signLaunchParams } from './sign.js';
export { isValidLaunchParams, verifyLaunchParams } from './verify.js';
