import { fail, VkAuthError } from './errors.js';
import { checkFreshness } from './expiry.js';
import { type CanonicalStrings, isCanonicalRun } from './launch-params/canonical.js';
import {
  type Credential,
  type CredentialReading,
  type LaunchParamsInput,
  readCredential,
} from './launch-params/input.js';
import { SIGN_SHAPE, SIGN_SHAPE_MESSAGE } from './launch-params/limits.js';
import { type Identity, readIdentity, timestampTextMs, toLaunchParams } from './launch-params/typed.js';
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
 *
 * `observer` is for the trace (src/trace.ts), which runs this very function to
 * report each step: verification passes none, and then no step records or
 * allocates anything for it (`observer?.…` evaluates nothing when it is absent).
 */
export async function verifyWithCompiledOptions(
  input: unknown,
  options: CompiledOptions,
  observer?: PipelineObserver,
): Promise<LaunchParams> {
  // 1. credential: the form it came in, and its pairs
  const credential = readCredential(input, observer?.reading);
  observer?.credential(credential);
  // 2. identity: sign, user, app, vk_ts
  const identity = readIdentity(credential.pairs);
  observer?.identity(identity);
  // 3. sign shape
  if (!SIGN_SHAPE.test(identity.sign)) fail('SIGN_INVALID', SIGN_SHAPE_MESSAGE);
  observer?.signShape();
  // 4. app: it is accepted, and its keys
  const secrets = options.secretsFor(identity.appId);
  observer?.app(secrets);
  // 5. signature (a trace without a secret skips it, and is never a verification)
  if (observer?.withoutSecret !== true) {
    if ((await signedBy(credential, identity.sign, secrets, observer)) === undefined) refuseSignature(credential);
  }
  // 6. freshness
  const timestamp = timestampTextMs(identity.ts);
  observer?.timestamp(timestamp);
  checkFreshness(timestamp, options);
  observer?.fresh();
  // 7. typed params
  const params = toLaunchParams(credential.pairs, identity);
  if (credential.parsed !== undefined && !hasSignedFieldsOf(credential.parsed, params)) {
    fail(
      'SIGN_INVALID',
      'These LaunchParams were changed after they were parsed, so the sign no longer covers them; verify the launch params as received.',
    );
  }
  observer?.params(params);
  return params;
}

/**
 * What the pipeline tells a trace as it runs. Each method but `signature` and
 * `timestamp` means that step passed, with what it found; `signature` and
 * `timestamp` report what their step read or tried before it decides, so a
 * refusal there still shows it. The first step not reported as passed failed.
 */
export interface PipelineObserver {
  /**
   * Skip the signature step. Only a trace given no secret sets it (its options
   * then give no key to try, so a signature step would refuse anyway), and such
   * a trace never reports the params as verified.
   */
  readonly withoutSecret: boolean;
  /** Filled in by the credential reader as it goes. */
  readonly reading: CredentialReading;
  credential(credential: Credential): void;
  identity(identity: Identity): void;
  signShape(): void;
  app(secrets: readonly string[]): void;
  signature(attempt: SignatureAttempt): void;
  timestamp(timestampMs: number | undefined): void;
  fresh(): void;
  params(params: LaunchParams): void;
}

/** What the signature step tried, and what matched. */
export interface SignatureAttempt {
  /** The signed run, when the query holds one: hashed as sent first. */
  readonly signedRun: string | undefined;
  /** The canonical strings, when they were built (no run, or a run that neither matched nor was canonical). */
  readonly canonical: CanonicalStrings | undefined;
  /** What the matching sign was made over: the signed run as sent, or a canonical string. */
  readonly matchedText: 'signed-run' | 'canonical' | undefined;
  readonly matched: SignatureVariant | undefined;
  /** How many keys the app's options gave to try. */
  readonly secrets: number;
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
  observer: PipelineObserver | undefined,
): Promise<SignatureVariant | undefined> {
  const run = credential.signedRun;
  if (run !== undefined) {
    const asSent = await matchSignature({ php: run }, sign, secrets);
    if (asSent !== undefined || isCanonicalRun(run)) {
      observer?.signature({
        signedRun: run,
        canonical: undefined,
        matchedText: asSent === undefined ? undefined : 'signed-run',
        matched: asSent,
        secrets: secrets.length,
      });
      return asSent;
    }
  }
  const canonical = canonicalOf(credential.pairs);
  const matched = await matchSignature(canonical, sign, secrets);
  observer?.signature({
    signedRun: run,
    canonical,
    matchedText: matched === undefined ? undefined : 'canonical',
    matched,
    secrets: secrets.length,
  });
  return matched;
}

function refuseSignature(credential: Credential): never {
  return fail(
    'SIGN_INVALID',
    credential.form === 'object'
      ? "The sign does not match. Pass the raw query string (location.search) rather than parsed data, and check that the secret is the app's Secure key."
      : "The sign does not match these launch params: check that the secret is the app's Secure key and that the client sends location.search exactly as VK gave it.",
  );
}
