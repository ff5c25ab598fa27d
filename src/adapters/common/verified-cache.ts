import { checkFreshness } from '../../expiry.js';
import type { LaunchParams } from '../../launch-params/types.js';
import type { CompiledOptions } from '../../options.js';

/** How many verified credentials an adapter remembers by default. */
export const DEFAULT_CACHE_SIZE = 1024;

interface Entry {
  readonly params: LaunchParams;
  readonly timestampMs: number | undefined;
}

/**
 * Remembers credentials that verified, keyed by their exact text. A mini app
 * sends the same launch params with every request of a session, and the same
 * text under the same secrets always verifies the same way, so a repeat skips
 * parsing and the HMAC. Only the age is checked again, against the current
 * time. Refusals are never stored; the oldest entry makes room for a new one.
 */
export class VerifiedCache {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  readonly #options: CompiledOptions;

  constructor(capacity: number, options: CompiledOptions) {
    this.#capacity = capacity;
    this.#options = options;
  }

  /** The params a credential verified to before, if it is still fresh; throws `EXPIRED` once it is not. */
  get(credential: string): LaunchParams | undefined {
    const entry = this.#entries.get(credential);
    if (entry === undefined) return undefined;
    try {
      checkFreshness(entry.timestampMs, this.#options);
    } catch (error) {
      this.#entries.delete(credential);
      throw error;
    }
    return entry.params;
  }

  set(credential: string, params: LaunchParams, timestampMs: number | undefined): void {
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(credential, { params, timestampMs });
  }
}
