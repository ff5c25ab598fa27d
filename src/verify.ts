import { fail, VkAuthError } from './errors.js';
import { checkFreshness } from './expiry.js';
import { isCanonicalRun } from './launch-params/canonical.js';
import { type Credential, type LaunchParamsInput, readCredential } from './launch-params/input.js';
import { SIGN_SHAPE, SIGN_SHAPE_MESSAGE } from './launch-params/limits.js';
import { readIdentity, timestampTextMs, toLaunchParams } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';
import { hasSignedFieldsOf } from './launch-params/unedited.js';
import { type CompiledOptions, compileOptions, type VerifyOptions } from './options.js';
import { canonicalOf, matchSignature, type SignatureVariant } from './signature.js';

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
 * at start-up: each step in order, each refusing with its own code. Every
 * failure is a rejection.
 */
export async function verifyWithCompiledOptions(input: unknown, options: CompiledOptions): Promise<LaunchParams> {
  const credential = readCredential(input); // the form it came in, and its pairs
  const identity = readIdentity(credential.pairs); // sign, user, app, vk_ts
  if (!SIGN_SHAPE.test(identity.sign)) fail('SIGN_INVALID', SIGN_SHAPE_MESSAGE);
  const secrets = options.secretsFor(identity.appId); // the app is accepted, and its keys
  if ((await signedBy(credential, identity.sign, secrets)) === undefined) refuseSignature(credential);
  checkFreshness(timestampTextMs(identity.ts), options);
  const params = toLaunchParams(credential.pairs, identity);
  if (credential.parsed !== undefined && !hasSignedFieldsOf(credential.parsed, params)) {
    fail(
      'SIGN_INVALID',
      'These LaunchParams were changed after they were parsed, so the sign no longer covers them; verify the launch params as received.',
    );
  }
  return params;
}

/**
 * Which signature matches, if any. A query straight from VK holds its signed
 * pairs as one sorted run, and that run is the string VK signed, so it is tried
 * as it stands, with nothing re-encoded: a match proves VK signed exactly that
 * text, and parsing it gives back exactly the pairs it signed. Only when it does
 * not match and is not canonical already (another encoder touched it) are the
 * canonical strings built and tried.
 */
async function signedBy(
  credential: Credential,
  sign: string,
  secrets: readonly string[],
): Promise<SignatureVariant | undefined> {
  const run = credential.signedRun;
  if (run !== undefined) {
    const asSent = await matchSignature({ php: run }, sign, secrets);
    if (asSent !== undefined || isCanonicalRun(run)) return asSent;
  }
  return matchSignature(canonicalOf(credential.pairs), sign, secrets);
}

function refuseSignature(credential: Credential): never {
  return fail(
    'SIGN_INVALID',
    credential.form === 'object'
      ? "The sign does not match. Pass the raw query string (location.search) rather than parsed data, and check that the secret is the app's Secure key."
      : "The sign does not match these launch params: check that the secret is the app's Secure key and that the client sends location.search exactly as VK gave it.",
  );
}
