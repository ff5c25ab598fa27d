import { createHash } from 'node:crypto';
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
  md5Hex(message) {
    return createHash('md5').update(message, 'utf8').digest('hex');
  },
};
