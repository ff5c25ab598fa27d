import { backend } from '#crypto';
import { timingSafeEqual } from '../crypto/constant-time.js';
import type { FormField } from './form.js';

/** `sig` is an MD5 in lower-case hex: always 32 characters. */
export const SIG_SHAPE = /^[0-9a-f]{32}$/;

/**
 * What VK hashes (docs/protocol.md, "Other data VK signs"): every field but `sig`, sorted by key,
 * each written `key=value` with the decoded value, concatenated with no
 * separator, followed by the Secure key.
 */
export function sigMessage(fields: readonly FormField[], secret: string): string {
  const signed = fields.filter((field) => field.key !== 'sig').sort((a, b) => compareKeys(a.key, b.key));
  let message = '';
  for (const { key, value } of signed) message += `${key}=${value}`;
  return message + secret;
}

/** The `sig` VK would send with these fields. */
export function computeSig(fields: readonly FormField[], secret: string): string {
  return backend.md5Hex(sigMessage(fields, secret));
}

/** Whether `sig` matches the fields under any of `secrets`; each comparison in constant time. */
export function matchSig(fields: readonly FormField[], sig: string, secrets: readonly string[]): boolean {
  let matched = false;
  for (const secret of secrets) if (timingSafeEqual(computeSig(fields, secret), sig)) matched = true;
  return matched;
}

/**
 * Orders keys by Unicode code point, which is the byte order of their UTF-8
 * (what VK's and the Go SDK's sort give); plain `<` compares UTF-16 code units,
 * which differs for characters above U+FFFF.
 */
function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800–U+DFFF) above U+E000–U+FFFF, where the code points they encode belong. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
