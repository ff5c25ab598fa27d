/**
 * Where used signs are remembered, so that each is accepted once. A store is
 * asked one question, atomically: "was this key new? If so, remember it for
 * this long". Checking and then recording in two steps would let two
 * requests with the same sign, arriving together, both pass.
 *
 * The library ships two: {@link createMemoryReplayStore} (one process) and
 * {@link createRedisReplayStore} (every instance of a back end). Anything that
 * can answer that question atomically, such as a unique index in a database,
 * can be one.
 *
 * @example
 * ```ts
 * import type { ReplayStore } from 'vk-miniapp-auth/replay';
 *
 * // A store over a SQL table with a primary key on `key` (`pg`'s Pool here):
 * const store: ReplayStore = {
 *   async claim(key, ttlSeconds) {
 *     await pool.query('DELETE FROM used_signs WHERE key = $1 AND expires_at <= now()', [key]);
 *     const { rowCount } = await pool.query(
 *       'INSERT INTO used_signs (key, expires_at) VALUES ($1, now() + make_interval(secs => $2)) ON CONFLICT DO NOTHING',
 *       [key, ttlSeconds],
 *     );
 *     return rowCount === 1;
 *   },
 * };
 * ```
 */
export interface ReplayStore {
  /**
   * Records `key` for `ttlSeconds` (a whole number, 1 or more); resolves
   * `true` when the key was new (its first use), `false` when it was already
   * there (a replay). Rejects with {@link ReplayStoreUnavailableError} when
   * the store cannot answer, and with a `TypeError` for a key that is not a
   * non-empty string or a bad `ttlSeconds`.
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * The replay store could not answer: Redis down or too slow, the memory store
 * full. A server error, answered 503 with `Retry-After: 1` (`status`,
 * `statusCode` and `headers` say so to Express's and Koa's error handling; the
 * other adapters answer so themselves; `expose: false` keeps its message from
 * the client); never taken as a first use, since a store that
 * cannot say whether a sign was used must not let it through. What the store
 * threw, if anything, is its `cause`.
 *
 * @example
 * ```ts
 * import { ReplayStoreUnavailableError } from 'vk-miniapp-auth/replay';
 *
 * try {
 *   if (!(await store.claim(sign, 3660))) return new Response('Replayed', { status: 401 });
 * } catch (error) {
 *   if (error instanceof ReplayStoreUnavailableError) {
 *     console.error(error, error.cause);
 *     return new Response('Try again later', { status: 503, headers: { 'Retry-After': '5' } });
 *   }
 *   throw error;
 * }
 * ```
 */
export class ReplayStoreUnavailableError extends Error {
  /** The HTTP status to answer with: 503, the server cannot serve the request now. */
  readonly status = 503;
  /** The same status, under the name Fastify and `http-errors` read. */
  readonly statusCode = 503;
  /** `false`: the message is for the server's logs, not for the client (Koa and `http-errors` honour it). */
  readonly expose = false;
  /**
   * The response headers to send with the 503, which Express's and Koa's error
   * handling copy from an error: `Retry-After: 1`, a store is usually back soon.
   */
  readonly headers: Readonly<Record<string, string>> = RETRY_HEADERS;
  /** `'ReplayStoreUnavailableError'`, for logs and for checks across copies of the library. */
  override name = 'ReplayStoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** `Retry-After` of every 503 a replay store's failure gives, in seconds: a retry soon is usually answered. */
export const REPLAY_RETRY_AFTER_SECONDS = 1;

const RETRY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Retry-After': String(REPLAY_RETRY_AFTER_SECONDS),
});

/** Checks `claim`'s arguments, the same way for every store shipped; a `TypeError` names the bad one. */
export function checkClaim(key: unknown, ttlSeconds: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError('vk-miniapp-auth: ReplayStore.claim(key, ttlSeconds): key must be a non-empty string.');
  }
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new TypeError(
      'vk-miniapp-auth: ReplayStore.claim(key, ttlSeconds): ttlSeconds must be a whole number of seconds, 1 or more.',
    );
  }
}

/** A store's options: `undefined` for none, else an object; a `TypeError` otherwise. */
export function readStoreOptions<Options extends object>(
  options: Options | undefined,
  factory: string,
): Partial<Options> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`vk-miniapp-auth: ${factory}'s options must be an object, or left out.`);
  }
  return options;
}
