import { type CanonicalStrings, canonicalStrings } from '../launch-params/canonical.js';

/** The four signed fields of a `VKWebAppCreateHash` result, as text. */
export interface CreateHashFields {
  readonly appId: number;
  readonly userId: number;
  /** The payload the front end passed to `VKWebAppCreateHash`. */
  readonly payload: string;
  /** `ts` exactly as VK returned it (decimal digits). */
  readonly ts: string;
}

/**
 * The string VK signs for `VKWebAppCreateHash` (docs/protocol.md, "Other data VK signs"): the pairs
 * `app_id`, `request_id` (the payload), `ts`, `user_id`, sorted by key (they
 * already are) and encoded as launch params are: PHP `urlencode`, plus the
 * `encodeURIComponent` form when the payload makes the two differ.
 */
export function createHashCanonical(fields: CreateHashFields): CanonicalStrings {
  return canonicalStrings([
    { key: 'app_id', value: String(fields.appId) },
    { key: 'request_id', value: fields.payload },
    { key: 'ts', value: fields.ts },
    { key: 'user_id', value: String(fields.userId) },
  ]);
}
