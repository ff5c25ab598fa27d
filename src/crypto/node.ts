import { createHash, createHmac } from 'node:crypto';
import type { CryptoBackend } from './backend.js';
import { hmacKeyFor } from './node-hmac-key.js';

/** `node:crypto`: synchronous HMAC, no promise or key import per call. */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  hmacSha256Base64Url(secret, message) {
    return hmacKeyFor(secret).sign(message);
  },
  sha256Base64Url(message) {
    return createHash('sha256').update(message).digest('base64url');
  },
  sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
  },
  hmacSha256(key, message) {
    // A plain Uint8Array, not Node's Buffer: the same type the Web back end gives.
    return new Uint8Array(createHmac('sha256', key).update(message).digest());
  },
  md5Hex(message) {
    return createHash('md5').update(message, 'utf8').digest('hex');
  },
};
