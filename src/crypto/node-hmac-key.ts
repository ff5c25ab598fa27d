import * as nodeCrypto from 'node:crypto';

// HMAC-SHA256 is SHA256((K ^ opad) || SHA256((K ^ ipad) || message)) (RFC 2104).
// For a short message, making an Hmac object costs more than the hashing it
// does; Node's one-shot `crypto.hash` (Node 20.12+, 21.7+) skips that object,
// so with the padded keys computed once per secret, two one-shot hashes give
// the same bytes as createHmac at about half its cost. The crypto is still
// OpenSSL's SHA-256; only the two-line RFC 2104 construction is ours, and the
// tests check it against createHmac on random keys and messages.

type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: 'latin1' | 'base64url') => string;

// Read from the namespace: a named import of `hash` fails to link on Node < 20.12.
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash;

const BLOCK = 64;
const DIGEST = 32;

/** A secret made ready for HMAC: padded keys for one-shot hashing, or a KeyObject where those cannot serve. */
export interface NodeHmacKey {
  readonly kind: 'pads' | 'key-object';
  /** HMAC-SHA256 of the UTF-8 `message`, base64url without padding. */
  sign(message: string): string;
}

// Apps have a handful of secrets; the cap only guards against misuse.
const MAX_CACHED_KEYS = 64;
const keys = new Map<string, NodeHmacKey>();

/** The prepared key for `secret`, made once and then reused. */
export function hmacKeyFor(secret: string): NodeHmacKey {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = prepare(secret);
    keys.set(secret, key);
  }
  return key;
}

// One-shot hashing takes strings as UTF-8, so the inner padded key can be a
// string only when every byte is below 0x80: an ASCII secret (VK's Secure keys
// are letters and digits) of at most one block (longer keys are hashed first).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included
const SHORT_ASCII = /^[\x00-\x7f]{0,64}$/;

function prepare(secret: string): NodeHmacKey {
  if (oneShotHash === undefined || !SHORT_ASCII.test(secret)) {
    const keyObject = nodeCrypto.createSecretKey(Buffer.from(secret, 'utf8'));
    return {
      kind: 'key-object',
      sign: (message) => nodeCrypto.createHmac('sha256', keyObject).update(message).digest('base64url'),
    };
  }
  return { kind: 'pads', sign: padsSigner(oneShotHash, secret) };
}

function padsSigner(hash: OneShotHash, secret: string): (message: string) => string {
  let innerPad = '';
  // The outer hash's input: the outer padded key, then the inner digest, written in place per call.
  const outer = new Uint8Array(BLOCK + DIGEST);
  for (let i = 0; i < BLOCK; i++) {
    const byte = i < secret.length ? secret.charCodeAt(i) : 0;
    innerPad += String.fromCharCode(byte ^ 0x36);
    outer[i] = byte ^ 0x5c;
  }
  return (message) => {
    const inner = hash('sha256', innerPad + message, 'latin1');
    for (let i = 0; i < DIGEST; i++) outer[BLOCK + i] = inner.charCodeAt(i);
    return hash('sha256', outer, 'base64url');
  };
}
