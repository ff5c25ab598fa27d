import { parseNonNegativeInteger } from '../launch-params/numbers.js';

/**
 * Reads the `appId` or `userId` option of a bridge check: a positive integer,
 * or its decimal text. They come from the verified launch params, so a bad
 * one is a bug in the server: a `TypeError` naming the option.
 */
export function readId(name: 'appId' | 'userId', value: unknown): number {
  const id = typeof value === 'string' ? (parseNonNegativeInteger(value) ?? value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(
      `vk-miniapp-auth: options.${name} must be a positive integer; take it from the verified launch params.`,
    );
  }
  return id;
}

/** The options object itself, or a `TypeError` saying what it must hold. */
export function readOptions<T>(options: T, what: string): NonNullable<T> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`vk-miniapp-auth: options are required: ${what}.`);
  }
  return options as NonNullable<T>;
}

// A UTF-16 surrogate without its pair: text with no UTF-8 form, which VK never signs.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text has a UTF-8 form (no lone surrogate), as everything VK signs does. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
