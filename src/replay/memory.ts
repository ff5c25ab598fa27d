import { checkClaim, type ReplayStore, ReplayStoreUnavailableError, readStoreOptions } from './store.js';

/**
 * Options of {@link createMemoryReplayStore}.
 *
 * @example
 * ```ts
 * const options: MemoryReplayStoreOptions = {
 *   // 20 signed requests a second at most, each sign kept for maxAge + 2 × clockSkew = 300 + 60 s:
 *   maxEntries: 20 * 360,
 * };
 * ```
 */
export interface MemoryReplayStoreOptions {
  /**
   * How many unexpired keys the store holds at most: a whole number, 1 or
   * more. Default 100 000 (about 12 MB with 43-character keys). When that
   * many are held and none has expired, `claim` rejects with
   * {@link ReplayStoreUnavailableError} rather than forget one. Size it to
   * the signs accepted in one ttl at the busiest: requests a second × ttl.
   */
  maxEntries?: number;
  /** The current time in milliseconds, like `Date.now` (the default); for tests. */
  now?: () => number;
}

/** Default {@link MemoryReplayStoreOptions.maxEntries}. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * A replay store in this process's memory: a map from key to expiry. For one
 * process only: every process (each worker of a cluster, each instance
 * behind a load balancer, each serverless invocation) has its own map, so a
 * sign replayed to another one passes there, and a restart forgets every
 * key. Use it for a single long-running server, in development and in tests;
 * with more than one process, use {@link createRedisReplayStore}.
 *
 * Expired keys are dropped when they are looked up again, and all at once
 * when the store is full (at most once per expiry: a purge that could free
 * nothing is skipped), so a claim costs O(1) amortised. The store never
 * forgets a key before its expiry: when it holds `maxEntries` unexpired keys,
 * `claim` rejects with {@link ReplayStoreUnavailableError} (a 503) until some
 * expire. Failing closed is the point: evicting a key to make room would let
 * its sign through a second time, and anyone able to send requests could
 * make room on purpose.
 *
 * Keys are kept as given; a claim of a key that is there and unexpired
 * resolves `false` and leaves its expiry as it was, as Redis's `SET NX` does.
 * A bad option throws a `TypeError` naming it.
 *
 * @example
 * ```ts
 * import { createMemoryReplayStore } from 'vk-miniapp-auth/replay';
 *
 * const store = createMemoryReplayStore({ maxEntries: 10_000 });
 * await store.claim('zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU', 3660); // true: first use
 * await store.claim('zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU', 3660); // false: a replay
 * ```
 */
export function createMemoryReplayStore(options?: MemoryReplayStoreOptions): ReplayStore {
  const { maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now } = readStoreOptions(options, 'createMemoryReplayStore');
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('vk-miniapp-auth: options.maxEntries must be a whole number, 1 or more.');
  }
  if (typeof now !== 'function') {
    throw new TypeError('vk-miniapp-auth: options.now must be a function returning milliseconds, like Date.now.');
  }

  const expiries = new Map<string, number>();
  // No key expires before this moment (a lower bound, not always the exact
  // earliest): until then a purge would free nothing, so it is skipped, and a
  // full store under load does not scan every key on every claim.
  let nextExpiry = Number.POSITIVE_INFINITY;

  function purge(at: number): void {
    if (at < nextExpiry) return;
    let earliest = Number.POSITIVE_INFINITY;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, expiry] of expiries) {
      if (expiry <= at) expiries.delete(key);
      else if (expiry < earliest) earliest = expiry;
    }
    nextExpiry = earliest;
  }

  return {
    // async: a bad argument or a full store rejects, as a store over the network would.
    async claim(key: string, ttlSeconds: number): Promise<boolean> {
      checkClaim(key, ttlSeconds);
      const at = now();
      if (typeof at !== 'number' || !Number.isFinite(at)) {
        throw new TypeError('vk-miniapp-auth: options.now must return the time in milliseconds, a finite number.');
      }
      const expiry = expiries.get(key);
      if (expiry !== undefined) {
        if (expiry > at) return false;
        expiries.delete(key);
      }
      if (expiries.size >= maxEntries) {
        purge(at);
        if (expiries.size >= maxEntries) {
          throw new ReplayStoreUnavailableError(
            `vk-miniapp-auth: the memory replay store is full: it holds maxEntries (${maxEntries}) signs that ` +
              'have not expired, and forgetting one would let it be used again, so this sign is not accepted. ' +
              'Give createMemoryReplayStore a maxEntries of at least the signs accepted within one ttl at the ' +
              'busiest (requests a second × maxAge), or use createRedisReplayStore.',
          );
        }
      }
      const until = at + ttlSeconds * 1000;
      expiries.set(key, until);
      if (until < nextExpiry) nextExpiry = until;
      return true;
    },
  };
}
