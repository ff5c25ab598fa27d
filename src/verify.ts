import { fail, VkAuthError } from './errors.js';
import { checkFreshness } from './expiry.js';
import { type LaunchParamsInput, readCredential } from './launch-params/input.js';
import { SIGN_SHAPE } from './launch-params/limits.js';
import { readIdentity, timestampMs, toLaunchParams } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';
import { type CompiledOptions, compileOptions, type VerifyOptions } from './options.js';
import { canonicalOf, matchSignature } from './signature.js';

/**
 * Verifies launch params and returns them typed, or throws {@link VkAuthError}.
 *
 * Accepts every form launch params travel in (see {@link LaunchParamsInput}),
 * checks the app, the HMAC-SHA256 `sign` over every `vk_*` pair, and the age
 * of `vk_ts`. Only `vk_*` values are returned: nothing else is signed.
 *
 * @example
 * ```ts
 * import { verifyLaunchParams, VkAuthError } from 'vk-miniapp-auth';
 *
 * const params = await verifyLaunchParams(request.headers.get('authorization'), {
 *   secret: process.env.VK_APP_SECRET!,
 *   appId: 6736218,
 * });
 * console.log(params.vk_user_id); // a number you can trust
 * ```
 */
export async function verifyLaunchParams(input: LaunchParamsInput, options: VerifyOptions): Promise<LaunchParams> {
  return verifyWithCompiledOptions(input, compileOptions(options));
}

/**
 * Like {@link verifyLaunchParams}, but resolves to `false` instead of throwing
 * for a refused credential. A misconfiguration still throws.
 *
 * @example
 * ```ts
 * if (!(await isValidLaunchParams(location.search, { secret }))) return new Response(null, { status: 401 });
 * ```
 */
export async function isValidLaunchParams(input: LaunchParamsInput, options: VerifyOptions): Promise<boolean> {
  try {
    await verifyLaunchParams(input, options);
    return true;
  } catch (error) {
    if (VkAuthError.is(error)) return false;
    throw error;
  }
}

/** The verification pipeline, for callers (adapters) that compiled their options at start-up. */
export async function verifyWithCompiledOptions(input: unknown, options: CompiledOptions): Promise<LaunchParams> {
  const credential = readCredential(input);
  const { pairs } = credential;
  const identity = readIdentity(pairs);
  if (!SIGN_SHAPE.test(identity.sign)) {
    fail('SIGN_INVALID', 'The sign is not 43 base64url characters, so it cannot be a VK signature.');
  }
  const secrets = options.secretsFor(identity.appId);
  const variant = await matchSignature(canonicalOf(pairs), identity.sign, secrets);
  if (variant === undefined) {
    fail(
      'SIGN_INVALID',
      credential.form === 'object'
        ? "The sign does not match. Pass the raw query string (location.search) rather than parsed data, and check that the secret is the app's Secure key."
        : "The sign does not match these launch params: check that the secret is the app's Secure key and that the client sends location.search exactly as VK gave it.",
    );
  }
  checkFreshness(timestampMs(pairs), options);
  return toLaunchParams(pairs, identity);
}
