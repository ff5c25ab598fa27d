import { isSignedKey } from './canonical.js';
import type { LaunchParams } from './types.js';

/**
 * Whether `parsed`, a LaunchParams object this library made, still holds exactly
 * the signed fields (`vk_*` and `sign`) that its recorded pairs give. It is
 * verified by those pairs, so a field changed, added or removed since would
 * otherwise pass as signed. Fields that are not signed may be added freely.
 */
export function hasSignedFieldsOf(parsed: object, fresh: LaunchParams): boolean {
  const edited = parsed as Record<string, unknown>;
  for (const key of Object.keys(fresh)) {
    if (!sameValue(edited[key], fresh[key as keyof LaunchParams])) return false;
  }
  for (const key of Object.keys(edited)) {
    if ((key === 'sign' || isSignedKey(key)) && fresh[key as keyof LaunchParams] === undefined) return false;
  }
  return true;
}

function sameValue(value: unknown, expected: unknown): boolean {
  if (!Array.isArray(expected)) return value === expected;
  return Array.isArray(value) && value.length === expected.length && expected.every((item, i) => value[i] === item);
}
