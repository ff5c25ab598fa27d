import { fail, VkAuthError } from './errors.js';
import { checkFreshness } from './expiry.js';
import { type Credential, type LaunchParamsInput, readCredential } from './launch-params/input.js';
import { SIGN_SHAPE, SIGN_SHAPE_MESSAGE } from './launch-params/limits.js';
import { type Identity, readIdentity, timestampMs, toLaunchParams } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';
import { hasSignedFieldsOf } from './launch-params/unedited.js';
import { type CompiledOptions, compileOptions, type VerifyOptions } from './options.js';
import { afterMatch, canonicalOf, matchSignature, type SignatureVariant } from './signature.js';

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
export function verifyLaunchParams(input: LaunchParamsInput, options: VerifyOptions): Promise<LaunchParams> {
  try {
    return verifyWithCompiledOptions(input, compileOptions(options));
  } catch (error) {
    // A misconfiguration rejects like every other failure, rather than throwing synchronously.
    return Promise.reject(error);
  }
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

/**
 * The verification pipeline, for callers (adapters) that compiled their options
 * at start-up. Never throws synchronously: every failure is a rejection.
 */
export function verifyWithCompiledOptions(input: unknown, options: CompiledOptions): Promise<LaunchParams> {
  try {
    const credential = readCredential(input);
    const identity = readIdentity(credential.pairs);
    if (!SIGN_SHAPE.test(identity.sign)) {
      fail('SIGN_INVALID', SIGN_SHAPE_MESSAGE);
    }
    const secrets = options.secretsFor(identity.appId);
    // A query straight from VK already holds the canonical string: no need to rebuild it.
    const canonical =
      credential.canonical === undefined ? canonicalOf(credential.pairs) : { php: credential.canonical };
    const variant = matchSignature(canonical, identity.sign, secrets);
    return afterMatch(variant, (matched) => accept(matched, credential, identity, options));
  } catch (error) {
    return Promise.reject(error);
  }
}

function accept(
  variant: SignatureVariant | undefined,
  credential: Credential,
  identity: Identity,
  options: CompiledOptions,
): LaunchParams {
  if (variant === undefined) {
    fail(
      'SIGN_INVALID',
      credential.form === 'object'
        ? "The sign does not match. Pass the raw query string (location.search) rather than parsed data, and check that the secret is the app's Secure key."
        : "The sign does not match these launch params: check that the secret is the app's Secure key and that the client sends location.search exactly as VK gave it.",
    );
  }
  checkFreshness(timestampMs(credential.pairs), options);
  const params = toLaunchParams(credential.pairs, identity);
  if (credential.parsed !== undefined && !hasSignedFieldsOf(credential.parsed, params)) {
    fail(
      'SIGN_INVALID',
      'These LaunchParams were changed after they were parsed, so the sign no longer covers them; verify the launch params as received.',
    );
  }
  return params;
}
