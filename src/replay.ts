/**
 * Replay stores: accept each CreateHash sign once. A `VKWebAppCreateHash`
 * sign stays valid for its whole `maxAge`, so whoever holds one (a proxy's
 * log, a browser extension, the user resending a request) can send it again.
 * A store remembers the signs already accepted, atomically: the first claim of
 * a key resolves `true`, every later one `false`, until its ttl is over.
 *
 * {@link createMemoryReplayStore} keeps them in the process (one process
 * only); {@link createRedisReplayStore} in Redis, shared by every instance of
 * a back end, with node-redis or ioredis. Either fails closed: a store that
 * cannot answer rejects with {@link ReplayStoreUnavailableError}, a 503, and
 * never lets a sign through. `requireCreateHash({ replay: store })` of every
 * adapter uses one; `claim` is there for everything else.
 *
 * Runs wherever the root entry does (Node, Bun, Deno, Workers, Vercel Edge),
 * and imports no Redis package: bring your own client.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisReplayStore } from 'vk-miniapp-auth/replay';
 * import { VkAuthError, verifyCreateHash } from 'vk-miniapp-auth';
 *
 * const replay = createRedisReplayStore(await createClient({ url: process.env.REDIS_URL }).connect());
 *
 * const data = { payload: body.requestId, ts: body.ts, sign: body.sign };
 * await verifyCreateHash(data, { secret, appId: params.vk_app_id, userId: params.vk_user_id, maxAge: 300 });
 * // A sign passes from clockSkew before its ts to maxAge + clockSkew after it (30 s by default):
 * // kept for maxAge + 2 × clockSkew from its first use, it is remembered as long as it could pass.
 * if (!(await replay.claim(data.sign, 300 + 2 * 30))) {
 *   throw new VkAuthError('CREATE_HASH_REPLAYED', 'This CreateHash sign was already used; ask VK for a new one.');
 * }
 * ```
 *
 * @module vk-miniapp-auth/replay
 */

export { createMemoryReplayStore, type MemoryReplayStoreOptions } from './replay/memory.js';
export { createRedisReplayStore, type RedisLikeClient, type RedisReplayStoreOptions } from './replay/redis.js';
export { type ReplayStore, ReplayStoreUnavailableError } from './replay/store.js';
