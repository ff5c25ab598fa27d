// VK sends numbers as decimal text. These readers are shared by launch params,
// payment notifications and the CLI, so "a number" means the same everywhere:
// at most 16 digits (a safe integer), no `+`, no spaces, no exponent.
// They run a few times per verification, so they read digits in a loop rather
// than matching a regular expression and then calling Number().

/** Decimal text of a positive integer: VK's ids, with no sign and no leading zero. */
export const POSITIVE_ID = /^[1-9][0-9]{0,15}$/;

const MAX_DIGITS = 16;

/** The positive safe integer `text` spells, or `undefined`. */
export function parsePositiveId(text: string): number | undefined {
  if (text.charCodeAt(0) === 48) return undefined; // a leading zero
  const value = digitsFrom(text, 0);
  return value > 0 ? value : undefined;
}

/** The safe integer `text` spells (a leading `-` allowed), or `undefined`. */
export function parseInteger(text: string): number | undefined {
  const negative = text.charCodeAt(0) === 45; // "-"
  const value = digitsFrom(text, negative ? 1 : 0);
  if (value === -1) return undefined;
  return negative ? -value : value;
}

/** The safe integer, 0 or more, that `text` spells in plain digits, or `undefined`. */
export function parseNonNegativeInteger(text: string): number | undefined {
  const value = digitsFrom(text, 0);
  return value === -1 ? undefined : value;
}

/** The safe integer spelled by 1–16 ASCII digits from `from` to the end of `text`, or -1. */
function digitsFrom(text: string, from: number): number {
  const count = text.length - from;
  if (count < 1 || count > MAX_DIGITS) return -1;
  let value = 0;
  for (let i = from; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  // Past 2^53 the running value rounds, but never down to a safe integer.
  return Number.isSafeInteger(value) ? value : -1;
}
