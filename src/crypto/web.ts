import { encodeBase64Url } from '../launch-params/base64.js';
import type { CryptoBackend } from './backend.js';
import { md5Hex } from './md5.js';
import { webHmacKey } from './web-hmac-key.js';

const encoder = new TextEncoder();
// A key given as bytes (MAX's secret_key) is imported once per array: callers keep theirs.
const byteKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKeyOfBytes(bytes: Uint8Array): Promise<CryptoKey> {
  let key = byteKeys.get(bytes);
  if (key === undefined) {
    key = crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    byteKeys.set(bytes, key);
    key.catch(() => byteKeys.delete(bytes));
  }
  return key;
}

/** Web Crypto (`crypto.subtle`): Workers, Vercel Edge, browsers (Node, Bun and Deno get the Node build). */
export const webBackend: CryptoBackend = {
  name: 'web',
  async hmacSha256Base64Url(secret, message) {
    const signature = await crypto.subtle.sign('HMAC', await webHmacKey(secret), encoder.encode(message));
    return encodeBase64Url(new Uint8Array(signature));
  },
  async sha256Base64Url(message) {
    return encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(message))));
  },
  async sha256Hex(bytes) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  },
  async hmacSha256(key, message) {
    const cryptoKey = await (typeof key === 'string' ? webHmacKey(key) : hmacKeyOfBytes(key));
    const data = typeof message === 'string' ? encoder.encode(message) : (message as Uint8Array<ArrayBuffer>);
    return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
  },
  md5Hex,
};
