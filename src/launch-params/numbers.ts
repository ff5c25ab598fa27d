// VK sends numbers as decimal text. These readers are shared by launch params,
// payment notifications and the CLI, so "a number" means the same everywhere:
// at most 16 digits (a safe integer), no `+`, no spaces, no exponent.

/** Decimal text of a positive integer: VK's ids, with no sign and no leading zero. */
export const POSITIVE_ID = /^[1-9][0-9]{0,15}$/;

const INTEGER = /^-?[0-9]{1,16}$/;

/** The positive safe integer `text` spells, or `undefined`. */
export function parsePositiveId(text: string): number | undefined {
  if (!POSITIVE_ID.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** The safe integer `text` spells (a leading `-` allowed), or `undefined`. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

const NON_NEGATIVE = /^[0-9]{1,16}$/;

/** The safe integer, 0 or more, that `text` spells in plain digits, or `undefined`. */
export function parseNonNegativeInteger(text: string): number | undefined {
  if (!NON_NEGATIVE.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
