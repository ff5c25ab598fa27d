/**
 * The largest credential accepted, in characters (8 KiB). Real launch params
 * are well under 1 KiB; the bound keeps hostile input from costing CPU.
 *
 * @example
 * ```ts
 * if (header.length > MAX_INPUT_LENGTH) return reply.code(401).send();
 * ```
 */
export const MAX_INPUT_LENGTH = 8192;

/** Keys that could reach an object prototype; refused wherever they appear. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `sign` is HMAC-SHA256 in base64url without padding: always 43 characters. */
export const SIGN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Why a sign of any other shape is refused, in the library's and the CLI's words alike. */
export const SIGN_SHAPE_MESSAGE = 'The sign is not 43 base64url characters, so it cannot be a VK signature.';
