import { describe, expect, it } from 'vitest';
import { parseInteger, parseNonNegativeInteger, parsePositiveId } from '../src/launch-params/numbers.js';

describe('decimal readers', () => {
  it('refuse what is not plain digits', () => {
    for (const text of ['', '-', '+1', ' 1', '1 ', '1e3', '0x10', '１２', '12345678901234567']) {
      expect(parseInteger(text)).toBeUndefined();
    }
    expect(parsePositiveId('0')).toBeUndefined();
    expect(parsePositiveId('01')).toBeUndefined();
    expect(parseNonNegativeInteger('007')).toBe(7);
  });

  it('refuse sixteen digits past the safe range, and read -0 as 0', () => {
    expect(parseInteger('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInteger('-9007199254740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseInteger('9007199254740992')).toBeUndefined();
    expect(parsePositiveId('9999999999999999')).toBeUndefined();
    expect(Object.is(parseInteger('-0'), 0)).toBe(true);
  });
});
