import { backend } from '#crypto';
import { timingSafeEqual } from './crypto/constant-time.js';
import { type CanonicalStrings, canonicalStrings, signedPairs } from './launch-params/canonical.js';
import type { Pair } from './launch-params/pairs.js';

/** Which canonical encoding a matching sign was made over. */
export type SignatureVariant = 'php' | 'uri';

/** HMAC-SHA256 of `message` under `secret`, base64url: what VK puts in `sign`. */
export function signMessage(secret: string, message: string): string | Promise<string> {
  return backend.hmacSha256Base64Url(secret, message);
}

/**
 * Checks `sign` against every secret and both canonical encodings, in constant
 * time per comparison; returns the variant that matched. Synchronous on Node,
 * where a promise per request would cost more than the HMAC's own overhead.
 */
export function matchSignature(
  canonical: CanonicalStrings,
  sign: string,
  secrets: readonly string[],
): SignatureVariant | undefined | Promise<SignatureVariant | undefined> {
  if (!backend.synchronous) return matchSignatureAsync(canonical, sign, secrets);
  for (const secret of secrets) {
    if (timingSafeEqual(backend.hmacSha256Base64Url(secret, canonical.php), sign)) return 'php';
    if (canonical.uri !== undefined && timingSafeEqual(backend.hmacSha256Base64Url(secret, canonical.uri), sign)) {
      return 'uri';
    }
  }
  return undefined;
}

async function matchSignatureAsync(
  canonical: CanonicalStrings,
  sign: string,
  secrets: readonly string[],
): Promise<SignatureVariant | undefined> {
  for (const secret of secrets) {
    if (timingSafeEqual(await signMessage(secret, canonical.php), sign)) return 'php';
    if (canonical.uri !== undefined && timingSafeEqual(await signMessage(secret, canonical.uri), sign)) return 'uri';
  }
  return undefined;
}

/**
 * Runs `accept` on what {@link matchSignature} found: at once when Node
 * answered synchronously (no extra turn of the event loop), after the promise
 * otherwise. `accept` throwing synchronously throws here too.
 */
export function afterMatch<T>(
  variant: SignatureVariant | undefined | Promise<SignatureVariant | undefined>,
  accept: (variant: SignatureVariant | undefined) => T,
): Promise<T> {
  return variant instanceof Promise ? variant.then(accept) : Promise.resolve(accept(variant));
}

/**
 * `result` when it is a match; otherwise whatever `fallback` finds. Stays
 * synchronous when `result` is, as {@link matchSignature} is on Node.
 */
export function orElse(
  result: SignatureVariant | undefined | Promise<SignatureVariant | undefined>,
  fallback: () => SignatureVariant | undefined | Promise<SignatureVariant | undefined>,
): SignatureVariant | undefined | Promise<SignatureVariant | undefined> {
  if (result instanceof Promise) return result.then((variant) => variant ?? fallback());
  return result ?? fallback();
}

/** The canonical strings of a credential's pairs. */
export function canonicalOf(pairs: readonly Pair[]): CanonicalStrings {
  return canonicalStrings(signedPairs(pairs));
}
