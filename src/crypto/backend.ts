/**
 * The little crypto the library needs, behind one interface so the Node build
 * can use `node:crypto` (synchronous, fastest) and every other runtime Web
 * Crypto. A backend may answer synchronously; callers always `await`.
 */
export interface CryptoBackend {
  readonly name: 'node' | 'web';
  /** HMAC-SHA256 of the UTF-8 `message` under the UTF-8 `secret`, base64url without padding. */
  hmacSha256Base64Url(secret: string, message: string): string | Promise<string>;
}
