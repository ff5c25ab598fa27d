import { checkClaim, type ReplayStore, ReplayStoreUnavailableError, readStoreOptions } from './store.js';

/**
 * A Redis client {@link createRedisReplayStore} can use, typed by shape so
 * that the library depends on no Redis package: a node-redis client (v4 to
 * v6: `createClient`, `createClientPool`, `createCluster`, `createSentinel`),
 * which has `sendCommand`, or an ioredis one (`new Redis`, `new Cluster`),
 * which has `call`. The store tells them apart by these methods (`call`
 * first: ioredis also has a `sendCommand` of its own), and a node-redis
 * cluster or sentinel by theirs.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import Redis from 'ioredis';
 *
 * const nodeRedis: RedisLikeClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * const ioredis: RedisLikeClient = new Redis(process.env.REDIS_URL!);
 * ```
 */
export type RedisLikeClient =
  | {
      /** node-redis client or pool: sends one command, given as its words. */
      sendCommand(args: string[]): Promise<unknown>;
      /** node-redis: `false` until `connect()` and after `close()`/`destroy()`. */
      readonly isOpen?: boolean;
    }
  | {
      /** node-redis cluster: sends one command to the node that holds `firstKey`. */
      sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
      /** node-redis: `false` until `connect()` and after `close()`/`destroy()`. */
      readonly isOpen?: boolean;
    }
  | {
      /** node-redis sentinel: sends one command to the master, or a replica when `isReadonly`. */
      sendCommand(isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
      /** node-redis: `false` until `connect()` and after `close()`/`destroy()`. */
      readonly isOpen?: boolean;
    }
  | {
      /** ioredis: sends one command, its name then its arguments. */
      call(command: string, ...args: (string | number)[]): Promise<unknown>;
    };

/**
 * Options of {@link createRedisReplayStore}.
 *
 * @example
 * ```ts
 * const options: RedisReplayStoreOptions = { prefix: 'shop:used-signs:', timeoutMs: 500 };
 * ```
 */
export interface RedisReplayStoreOptions {
  /**
   * Put before every key, to keep the store's keys apart from the rest of
   * the database (and from another app's on the same Redis). Default
   * `'vk-miniapp-auth:replay:'`. A client's own key prefix (ioredis
   * `keyPrefix`) is added before it.
   */
  prefix?: string;
  /**
   * How long a claim waits for Redis, in milliseconds, before it rejects with
   * {@link ReplayStoreUnavailableError}: more than 0, at most 2 147 483 647.
   * Default 2000. Without it, a client that queues commands while it
   * reconnects (both do by default) would hold every signed request for as
   * long as Redis is away.
   */
  timeoutMs?: number;
}

const DEFAULT_PREFIX = 'vk-miniapp-auth:replay:';
const DEFAULT_TIMEOUT_MS = 2000;
/** The longest delay `setTimeout` honours; a longer one fires at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A replay store in Redis, shared by every instance of a back end. Each
 * claim is one atomic command, `SET <prefix><key> 1 EX <ttlSeconds> NX`:
 * Redis sets the key only if it is not there, and answers `OK` (a first use:
 * `true`) or nothing (a replay: `false`); it drops the key itself when the
 * ttl is over. No read-then-write, so two instances that receive the same
 * sign at the same moment cannot both accept it.
 *
 * Give it a client you have connected (node-redis: `await client.connect()`)
 * and keep it for the life of the process. When Redis cannot answer (the
 * command fails, the client is closed, or no reply comes within
 * `timeoutMs`), the claim rejects with {@link ReplayStoreUnavailableError},
 * its `cause` the client's error: a 503, never a first use. A claim that
 * timed out may still reach Redis later (ioredis cannot withdraw a queued
 * command; node-redis is asked to, through an abort signal): its sign then
 * counts as used, and the mini app must ask VK for a new one, which it would
 * for any retry. The error's message names no key, and no URL or password.
 *
 * A bad client or option throws a `TypeError` naming it.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisReplayStore } from 'vk-miniapp-auth/replay';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisReplayStore(client, { timeoutMs: 1000 });
 * await store.claim('zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU', 3660); // true, on whichever instance asks first
 * await store.claim('zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU', 3660); // false, on every instance
 * ```
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisReplayStore } from 'vk-miniapp-auth/replay';
 *
 * const store = createRedisReplayStore(new Redis(process.env.REDIS_URL!), { prefix: 'shop:used-signs:' });
 * ```
 */
export function createRedisReplayStore(client: RedisLikeClient, options?: RedisReplayStoreOptions): ReplayStore {
  const send = commandSender(client);
  const { prefix = DEFAULT_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS } = readStoreOptions(
    options,
    'createRedisReplayStore',
  );
  if (typeof prefix !== 'string') throw new TypeError('vk-miniapp-auth: options.prefix must be a string.');
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TypeError(
      `vk-miniapp-auth: options.timeoutMs must be a number of milliseconds, more than 0 and at most ${MAX_TIMEOUT_MS}.`,
    );
  }

  return {
    async claim(key: string, ttlSeconds: number): Promise<boolean> {
      checkClaim(key, ttlSeconds);
      const aborter = new AbortController();
      let pending: Promise<unknown>;
      try {
        pending = Promise.resolve(send(['SET', prefix + key, '1', 'EX', String(ttlSeconds), 'NX'], aborter.signal));
      } catch (error) {
        // A client that throws instead of rejecting: the same answer.
        throw unavailable(error);
      }
      return readReply(await answerWithin(pending, timeoutMs, aborter));
    },
  };
}

/** Sends `SET … NX` through whichever client this is; `signal` withdraws it from node-redis's queue. */
type Send = (command: readonly string[], signal: AbortSignal) => Promise<unknown> | unknown;

/** The method a client exposes, as the store calls it (wider than {@link RedisLikeClient}: options, markers). */
interface AnyClient {
  call?: (command: string, ...args: string[]) => unknown;
  sendCommand?: (...args: unknown[]) => unknown;
  isOpen?: unknown;
  getSlotMaster?: unknown;
  masters?: unknown;
  getMasterNode?: unknown;
}

function commandSender(client: RedisLikeClient): Send {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
    throw new TypeError(CLIENT_EXPECTED);
  }
  const c = client as AnyClient;
  const { call, sendCommand } = c;
  if (typeof call === 'function') {
    // ioredis. Checked first: its clients also have a sendCommand, which takes a Command object.
    return ([name, ...args]) => call.call(client, name as string, ...args);
  }
  if (typeof sendCommand === 'function') {
    const isCluster = typeof c.getSlotMaster === 'function' || 'masters' in c;
    const isSentinel = typeof c.getMasterNode === 'function';
    return (command, signal) => {
      // node-redis rejects a command on a closed client too; this says what to do about it.
      if (c.isOpen === false) {
        throw new ReplayStoreUnavailableError(
          'vk-miniapp-auth: the replay store cannot answer: its node-redis client is not open ' +
            '(call `await client.connect()` at start-up; a closed client stays closed).',
        );
      }
      const args = [...command];
      // `abortSignal` for node-redis v5 and later, `signal` for v4: a command still queued is dropped.
      const options = { abortSignal: signal, signal };
      if (isCluster) return sendCommand.call(client, args[1], false, args, options);
      if (isSentinel) return sendCommand.call(client, false, args, options);
      return sendCommand.call(client, args, options);
    };
  }
  throw new TypeError(CLIENT_EXPECTED);
}

const CLIENT_EXPECTED =
  'vk-miniapp-auth: createRedisReplayStore(client) needs a connected Redis client: node-redis ' +
  '(createClient, createCluster, createSentinel: it has sendCommand) or ioredis (new Redis, new Cluster: it has call).';

/** `pending`'s value, or a {@link ReplayStoreUnavailableError} when it fails or takes longer than `timeoutMs`. */
function answerWithin(pending: Promise<unknown>, timeoutMs: number, aborter: AbortController): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      aborter.abort();
      reject(
        new ReplayStoreUnavailableError(
          `vk-miniapp-auth: the replay store (Redis) did not answer within ${timeoutMs} ms, so this sign is not ` +
            'accepted. Is Redis up and reachable? (options.timeoutMs sets the wait.)',
        ),
      );
    }, timeoutMs);
    // Settling after the timeout changes nothing, and a late rejection is handled here, not left unhandled.
    pending.then(
      (reply) => {
        clearTimeout(timer);
        resolve(reply);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(unavailable(error));
      },
    );
  });
}

function unavailable(error: unknown): ReplayStoreUnavailableError {
  if (error instanceof ReplayStoreUnavailableError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ReplayStoreUnavailableError(
    `vk-miniapp-auth: the replay store (Redis) failed, so this sign is not accepted: ${withoutCredentials(reason)}`,
    { cause: error },
  );
}

/** A client's message may quote its URL: keep a user name and password out of ours. */
function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@');
}

const decoder = new TextDecoder();

/** `OK`: the key was set, a first use. `null`: it was there, a replay. Anything else is not an answer. */
function readReply(reply: unknown): boolean {
  // A client may be told to map simple strings to bytes (node-redis typeMapping).
  const text = reply instanceof Uint8Array ? decoder.decode(reply) : reply;
  if (text === 'OK') return true;
  if (text === null) return false;
  throw new ReplayStoreUnavailableError(
    `vk-miniapp-auth: the replay store (Redis) answered SET … NX with ${describe(reply)}, neither OK nor nothing; ` +
      'is the client a Redis client?',
  );
}

function describe(reply: unknown): string {
  if (typeof reply === 'string') return `the text ${JSON.stringify(reply.slice(0, 40))}`;
  return reply === undefined ? 'undefined' : `a ${typeof reply}`;
}
