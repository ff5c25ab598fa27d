// Web Crypto HMAC-SHA256 keys, imported once per secret: importing costs about as
// much as signing. Shared by the Web back end and the session tokens (whose `jose`
// verifies with the same kind of key), so each secret is imported once per process.

const encoder = new TextEncoder();
// Apps have a handful of secrets; the cap only guards against misuse.
const MAX_CACHED_KEYS = 64;
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA256 `CryptoKey` of a UTF-8 secret, for signing and verifying, imported on first use. */
export function webHmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
    // A failed import must not poison the cache for later calls.
    key.catch(() => keys.delete(secret));
  }
  return key;
}
