/**
 * The little crypto the library needs, behind one interface so the Node build
 * can use `node:crypto` (synchronous, fastest) and every other runtime Web
 * Crypto (asynchronous). Callers await the result either way.
 */
export type CryptoBackend =
  | {
      readonly name: 'node';
      /** HMAC-SHA256 of the UTF-8 `message` under the UTF-8 `secret`, base64url without padding. */
      hmacSha256Base64Url(secret: string, message: string): string;
      /** Plain SHA-256 of the UTF-8 `message`, base64url without padding (VK's contact signs). */
      sha256Base64Url(message: string): string;
      /** Plain SHA-256 of raw bytes, 64 lower-case hex digits (a request body a CreateHash payload commits to). */
      sha256Hex(bytes: Uint8Array): string;
      /** HMAC-SHA256 as raw bytes; a string key or message is UTF-8 (MAX's `secret_key`, itself an HMAC, is bytes). */
      hmacSha256(key: Uint8Array | string, message: Uint8Array | string): Uint8Array;
      /** MD5 of the UTF-8 `message`, 32 lower-case hex digits (VK's payment-notification `sig`). */
      md5Hex(message: string): string;
    }
  | {
      readonly name: 'web';
      hmacSha256Base64Url(secret: string, message: string): Promise<string>;
      sha256Base64Url(message: string): Promise<string>;
      sha256Hex(bytes: Uint8Array): Promise<string>;
      hmacSha256(key: Uint8Array | string, message: Uint8Array | string): Promise<Uint8Array>;
      /** Synchronous on both back ends: Web Crypto has no MD5, so this one is plain TypeScript. */
      md5Hex(message: string): string;
    };
