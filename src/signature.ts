import { backend } from '#crypto';
import { timingSafeEqual } from './crypto/constant-time.js';
import { type CanonicalStrings, canonicalStrings, signedPairs } from './launch-params/canonical.js';
import type { Pair } from './launch-params/pairs.js';

/** Which canonical encoding a matching sign was made over. */
export type SignatureVariant = 'php' | 'uri';

/** HMAC-SHA256 of `message` under `secret`, base64url: what VK puts in `sign`. */
export async function signMessage(secret: string, message: string): Promise<string> {
  return backend.hmacSha256Base64Url(secret, message);
}

/**
 * Checks `sign` against every secret and both canonical encodings, in constant
 * time per comparison; resolves to the variant that matched, or `undefined`.
 */
export async function matchSignature(
  canonical: CanonicalStrings,
  sign: string,
  secrets: readonly string[],
): Promise<SignatureVariant | undefined> {
  for (const secret of secrets) {
    if (timingSafeEqual(await backend.hmacSha256Base64Url(secret, canonical.php), sign)) return 'php';
    if (
      canonical.uri !== undefined &&
      timingSafeEqual(await backend.hmacSha256Base64Url(secret, canonical.uri), sign)
    ) {
      return 'uri';
    }
  }
  return undefined;
}

/** The canonical strings of a credential's pairs. */
export function canonicalOf(pairs: readonly Pair[]): CanonicalStrings {
  return canonicalStrings(signedPairs(pairs));
}
