// Runtime-neutral base64 helpers: `atob`/`btoa` and TextDecoder exist on Node
// 20, Bun, Deno and Workers, so the Web entry never needs `Buffer`.

const BASE64_SHAPE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether `text` is made only of base64 or base64url characters (with optional padding). */
export function looksLikeBase64(text: string): boolean {
  // A query of several pairs holds "&", which base64 never does: refused without the regexp.
  return text.indexOf('&') === -1 && BASE64_SHAPE.test(text);
}

/**
 * Decodes standard or URL-safe base64, padded or not, into UTF-8 text.
 * Returns `undefined` when it is not base64 or not valid UTF-8.
 */
export function decodeBase64Utf8(text: string): string | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    // atob's forgiving decode accepts missing padding and rejects length % 4 === 1.
    binary = atob(standard);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Encodes bytes as base64url without padding, the form VK's signs take. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Encodes UTF-8 text as standard base64, padded: how VK's course sends launch params. */
export function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}
