import { timingSafeEqual } from './crypto/constant-time.js';
import { backend } from './crypto/runtime.js';
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
 * time per comparison; returns the variant that matched.
 */
export async function matchSignature(
  canonical: CanonicalStrings,
  sign: string,
  secrets: readonly string[],
): Promise<SignatureVariant | undefined> {
  for (const secret of secrets) {
    // Node answers synchronously: skip the extra microtask an await would cost.
    const php = signMessage(secret, canonical.php);
    if (timingSafeEqual(typeof php === 'string' ? php : await php, sign)) return 'php';
    if (canonical.uri !== undefined) {
      const uri = signMessage(secret, canonical.uri);
      if (timingSafeEqual(typeof uri === 'string' ? uri : await uri, sign)) return 'uri';
    }
  }
  return undefined;
}

/** The canonical strings of a credential's pairs. */
export function canonicalOf(pairs: readonly Pair[]): CanonicalStrings {
  return canonicalStrings(signedPairs(pairs));
}
