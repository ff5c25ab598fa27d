// VK sends numbers as decimal text. These readers are shared by launch params,
// payment notifications and the CLI, so "a number" means the same everywhere:
// at most 16 digits (a safe integer), no `+`, no spaces, no exponent.

/** Decimal text of a positive integer: VK's ids, with no sign and no leading zero. */
export const POSITIVE_ID = /^[1-9][0-9]{0,15}$/;
const INTEGER = /^-?[0-9]{1,16}$/;
const NON_NEGATIVE_INTEGER = /^[0-9]{1,16}$/;

/** The positive safe integer `text` spells, or `undefined`. */
export function parsePositiveId(text: string): number | undefined {
  return safeIntegerMatching(POSITIVE_ID, text);
}

/** The safe integer `text` spells (a leading `-` allowed), or `undefined`. */
export function parseInteger(text: string): number | undefined {
  return safeIntegerMatching(INTEGER, text);
}

/** The safe integer, 0 or more, that `text` spells in plain digits, or `undefined`. */
export function parseNonNegativeInteger(text: string): number | undefined {
  return safeIntegerMatching(NON_NEGATIVE_INTEGER, text);
}

function safeIntegerMatching(pattern: RegExp, text: string): number | undefined {
  if (!pattern.test(text)) return undefined;
  // Sixteen digits can pass 2^53; such a value is not what was sent, so it is refused. `-0` reads as 0.
  const value = Number(text) || 0;
  return Number.isSafeInteger(value) ? value : undefined;
}
