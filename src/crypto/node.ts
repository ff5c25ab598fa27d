import { createHmac } from 'node:crypto';
import type { CryptoBackend } from './backend.js';

/** `node:crypto`: synchronous HMAC, no promise or key import per call. */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  synchronous: true,
  hmacSha256Base64Url(secret, message) {
    return createHmac('sha256', secret).update(message).digest('base64url');
  },
};
