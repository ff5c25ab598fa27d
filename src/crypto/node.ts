import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { CryptoBackend } from './backend.js';

// createHmac with a string key converts and validates it on every call; a
// KeyObject made once per secret skips that. Apps have a handful of secrets;
// the cap only guards against misuse.
const MAX_CACHED_KEYS = 64;
const keys = new Map<string, KeyObject>();

function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** `node:crypto`: synchronous HMAC, no promise or key import per call. */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  synchronous: true,
  hmacSha256Base64Url(secret, message) {
    return createHmac('sha256', hmacKey(secret)).update(message).digest('base64url');
  },
  sha256Base64Url(message) {
    return createHash('sha256').update(message).digest('base64url');
  },
  md5Hex(message) {
    return createHash('md5').update(message, 'utf8').digest('hex');
  },
};
