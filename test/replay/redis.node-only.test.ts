// The Redis replay store against a real redis-server (REDIS_URL, from
// scripts/start-redis.sh), through both clients it supports, and against
// servers that are down or hung; plus what needs no server: arguments,
// which client is which, replies, messages.
import Redis, { Cluster } from 'ioredis';
import { createClient, createClientPool, createCluster, createSentinel } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisReplayStore, type RedisLikeClient, ReplayStoreUnavailableError } from '../../src/replay.js';
import { closedPort, describeWithRedis, runPrefix, silentServer } from '../redis.js';

const SIGN = 'zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How a claim ended, and when: an error is kept, not thrown. */
async function settle(promise: Promise<boolean>): Promise<{ value?: boolean; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

// Every client a test opens, closed after it whatever happened.
const closers: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

/** A node-redis client of `url`, connected. */
async function nodeRedis(url: string): Promise<RedisLikeClient & { get(key: string): Promise<unknown> }> {
  const client = createClient({ url });
  client.on('error', () => {});
  closers.push(() => client.destroy());
  await client.connect();
  return client;
}

/** An ioredis client of `url`, connected. */
async function ioredis(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true });
  client.on('error', () => {});
  closers.push(() => client.disconnect());
  await client.connect();
  return client;
}

const CLIENTS = [
  ['node-redis', nodeRedis],
  ['ioredis', ioredis],
] as const;

describeWithRedis('createRedisReplayStore on a real Redis', (url) => {
  // Reads the store's keys directly, as the check of what it wrote.
  let inspector: Redis | undefined;
  const inspect = async () => {
    inspector ??= await ioredis(url);
    return inspector;
  };
  afterEach(() => {
    inspector = undefined;
  });

  for (const [name, connect] of CLIENTS) {
    describe(`with ${name}`, () => {
      it('accepts a key once, then refuses it', async () => {
        const store = createRedisReplayStore(await connect(url), { prefix: runPrefix(name) });
        expect(await store.claim(SIGN, 60)).toBe(true);
        expect(await store.claim(SIGN, 60)).toBe(false);
        expect(await store.claim(`${SIGN}-other`, 60)).toBe(true);
      });

      it('writes one key, the prefix then the key as given, with its ttl', async () => {
        const prefix = runPrefix(name);
        const key = `${SIGN}:${'ж'.repeat(300)}`; // long and not ASCII: kept as is
        const store = createRedisReplayStore(await connect(url), { prefix });
        expect(await store.claim(key, 120)).toBe(true);
        const redis = await inspect();
        expect(await redis.get(prefix + key)).toBe('1');
        const ttl = await redis.ttl(prefix + key);
        expect(ttl).toBeGreaterThan(110);
        expect(ttl).toBeLessThanOrEqual(120);
        expect(await redis.keys(`${prefix}*`)).toEqual([prefix + key]);
        // A replay leaves the ttl as it was (NX: nothing is written).
        expect(await store.claim(key, 3600)).toBe(false);
        expect(await redis.ttl(prefix + key)).toBeLessThanOrEqual(120);
      });

      it('uses the default prefix when given none', async () => {
        const key = runPrefix(`${name}-default`);
        const store = createRedisReplayStore(await connect(url));
        expect(await store.claim(key, 60)).toBe(true);
        expect(await (await inspect()).get(`vk-miniapp-auth:replay:${key}`)).toBe('1');
      });

      it('lets Redis expire the key after its ttl (EX)', async () => {
        const store = createRedisReplayStore(await connect(url), { prefix: runPrefix(name) });
        const started = performance.now();
        expect(await store.claim(SIGN, 1)).toBe(true);
        expect(await store.claim(SIGN, 1)).toBe(false);
        // Polled: Redis drops the key one second after it was set, checked to the millisecond.
        let again = false;
        while (!again && performance.now() - started < 5_000) {
          await sleep(50);
          again = await store.claim(SIGN, 1);
        }
        expect(again).toBe(true);
        expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      });

      it('answers 50 concurrent claims of one key with exactly one true', async () => {
        const store = createRedisReplayStore(await connect(url), { prefix: runPrefix(name) });
        const answers = await Promise.all(Array.from({ length: 50 }, () => store.claim(SIGN, 60)));
        expect(answers.filter(Boolean)).toHaveLength(1);
      });
    });
  }

  it('accepts a key once between two stores on two clients (node-redis and ioredis) sharing one Redis', async () => {
    const prefix = runPrefix('shared');
    const stores = [
      createRedisReplayStore(await nodeRedis(url), { prefix }),
      createRedisReplayStore(await ioredis(url), { prefix }),
      createRedisReplayStore(await nodeRedis(url), { prefix }),
    ];
    const keys = Array.from({ length: 20 }, (_, i) => `${SIGN}-${i}`);
    // Every store claims every key at once: two instances receiving the same sign together.
    const answers = await Promise.all(
      keys.map(async (key) => Promise.all(stores.map((store) => store.claim(key, 60)))),
    );
    for (const perKey of answers) expect(perKey.filter(Boolean)).toHaveLength(1);
    // Later, on any of them, each key is a replay.
    for (const store of stores) expect(await store.claim(keys[0] as string, 60)).toBe(false);
  });

  it('refuses with ReplayStoreUnavailableError once the client is closed', async () => {
    const client = createClient({ url });
    client.on('error', () => {});
    await client.connect();
    const store = createRedisReplayStore(client, { prefix: runPrefix('closed') });
    expect(await store.claim(SIGN, 60)).toBe(true);
    client.destroy();
    const { error } = await settle(store.claim(`${SIGN}-2`, 60));
    expect(error).toBeInstanceOf(ReplayStoreUnavailableError);
    expect((error as Error).message).toMatch(/not open.*client\.connect\(\)/);
  });
});

describe('createRedisReplayStore when Redis is down', () => {
  const TIMEOUT = 400;

  function expectUnavailable(result: { value?: boolean; error?: unknown; ms: number }, within: number) {
    expect(result.value).toBeUndefined(); // never a first use
    expect(result.error).toBeInstanceOf(ReplayStoreUnavailableError);
    expect(result.error).toMatchObject({ status: 503, statusCode: 503, expose: false });
    expect(result.ms).toBeLessThan(within);
  }

  it('node-redis without an offline queue or reconnects: rejects at once, with the cause', async () => {
    const client = createClient({
      url: `redis://127.0.0.1:${await closedPort()}`,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false, connectTimeout: TIMEOUT },
    });
    client.on('error', () => {});
    closers.push(() => client.destroy());
    await expect(client.connect()).rejects.toThrow();
    const store = createRedisReplayStore(client, { timeoutMs: TIMEOUT });
    const result = await settle(store.claim(SIGN, 60));
    expectUnavailable(result, TIMEOUT);
  });

  it('ioredis without an offline queue or retries: rejects at once, with the cause', async () => {
    const client = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    closers.push(() => client.disconnect());
    await expect(client.connect()).rejects.toThrow();
    const store = createRedisReplayStore(client, { timeoutMs: TIMEOUT });
    const result = await settle(store.claim(SIGN, 60));
    expectUnavailable(result, TIMEOUT);
    expect((result.error as Error).cause).toBeInstanceOf(Error);
    expect((result.error as Error).message).toMatch(/replay store \(Redis\) failed/);
  });

  it('node-redis as configured by default (queues while it reconnects): rejects after timeoutMs', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await closedPort()}` });
    client.on('error', () => {});
    closers.push(() => client.destroy());
    // Not awaited: with its default reconnect strategy it keeps trying.
    client.connect().catch(() => {});
    const result = await settle(createRedisReplayStore(client, { timeoutMs: TIMEOUT }).claim(SIGN, 60));
    expectUnavailable(result, TIMEOUT + 1_000);
    expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
    expect((result.error as Error).message).toMatch(`did not answer within ${TIMEOUT} ms`);
  });

  it('ioredis as configured by default (queues while it reconnects): rejects after timeoutMs', async () => {
    const client = new Redis(`redis://127.0.0.1:${await closedPort()}`);
    client.on('error', () => {});
    closers.push(() => client.disconnect());
    const result = await settle(createRedisReplayStore(client, { timeoutMs: TIMEOUT }).claim(SIGN, 60));
    expectUnavailable(result, TIMEOUT + 1_000);
    expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
  });

  it('a node-redis client never connected: says to connect it', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await closedPort()}` });
    const { error } = await settle(createRedisReplayStore(client).claim(SIGN, 60));
    expect(error).toBeInstanceOf(ReplayStoreUnavailableError);
    expect((error as Error).message).toMatch(/not open.*await client\.connect\(\)/);
  });

  describe('a hung server (accepts, never answers)', () => {
    let hung: Awaited<ReturnType<typeof silentServer>> | undefined;
    afterAll(async () => {
      await hung?.close();
    });

    for (const [name, open] of [
      [
        'node-redis',
        (url: string) => {
          const client = createClient({ url });
          client.on('error', () => {});
          closers.push(() => client.destroy());
          client.connect().catch(() => {}); // its handshake never completes
          return client;
        },
      ],
      [
        'ioredis',
        (url: string) => {
          const client = new Redis(url);
          client.on('error', () => {});
          closers.push(() => client.disconnect());
          return client;
        },
      ],
    ] as const) {
      it(`${name}: rejects after timeoutMs, never resolves`, async () => {
        hung ??= await silentServer();
        const store = createRedisReplayStore(open(hung.url), { timeoutMs: TIMEOUT });
        const results = await Promise.all([settle(store.claim(SIGN, 60)), settle(store.claim(SIGN, 60))]);
        for (const result of results) {
          expectUnavailable(result, TIMEOUT + 1_000);
          expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
        }
      });
    }
  });
});

describe('createRedisReplayStore, without a server', () => {
  /** A client of one shape that records what it was sent and answers `reply`. */
  function fake(reply: unknown) {
    const sent: unknown[][] = [];
    return {
      sent,
      client: {
        sendCommand: (...args: unknown[]) => {
          sent.push(args);
          return typeof reply === 'function' ? reply() : Promise.resolve(reply);
        },
      },
    };
  }

  it('takes every client of node-redis and ioredis as a RedisLikeClient (types) and tells them apart', async () => {
    const clients: Record<string, RedisLikeClient> = {
      client: createClient(),
      pool: createClientPool(),
      cluster: createCluster({ rootNodes: [] }),
      sentinel: createSentinel({ name: 'mymaster', sentinelRootNodes: [] }),
      ioredis: new Redis({ lazyConnect: true }),
      ioredisCluster: new Cluster([], { lazyConnect: true }),
    };
    for (const client of Object.values(clients)) expect(() => createRedisReplayStore(client)).not.toThrow();
    (clients.ioredis as Redis).disconnect();
    (clients.ioredisCluster as Cluster).disconnect();
  });

  it('sends SET key 1 EX ttl NX the way each client takes it', async () => {
    const command = ['SET', `p:${SIGN}`, '1', 'EX', '330', 'NX'];
    const client = fake('OK');
    expect(await createRedisReplayStore(client.client, { prefix: 'p:' }).claim(SIGN, 330)).toBe(true);
    expect(client.sent[0]?.[0]).toEqual(command);
    expect(client.sent[0]?.[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });

    const cluster = fake('OK');
    const clusterClient = Object.assign(cluster.client, { getSlotMaster: () => undefined });
    await createRedisReplayStore(clusterClient as RedisLikeClient, { prefix: 'p:' }).claim(SIGN, 330);
    expect(cluster.sent[0]?.slice(0, 3)).toEqual([`p:${SIGN}`, false, command]);

    const sentinel = fake('OK');
    const sentinelClient = Object.assign(sentinel.client, { getMasterNode: () => undefined });
    await createRedisReplayStore(sentinelClient as RedisLikeClient, { prefix: 'p:' }).claim(SIGN, 330);
    expect(sentinel.sent[0]?.slice(0, 2)).toEqual([false, command]);

    const calls: unknown[][] = [];
    const io = {
      call: (...args: (string | number)[]) => {
        calls.push(args);
        return Promise.resolve(null);
      },
      sendCommand: () => Promise.reject(new Error('not this one')),
    };
    expect(await createRedisReplayStore(io, { prefix: 'p:' }).claim(SIGN, 330)).toBe(false);
    expect(calls).toEqual([command]);
  });

  it('reads OK as true, null as false, and anything else as unavailable', async () => {
    const claim = (reply: unknown) => createRedisReplayStore(fake(reply).client).claim(SIGN, 60);
    expect(await claim('OK')).toBe(true);
    expect(await claim(new TextEncoder().encode('OK'))).toBe(true);
    expect(await claim(null)).toBe(false);
    for (const reply of [undefined, 'QUEUED', 1, 0, true, {}, ['OK']]) {
      await expect(claim(reply)).rejects.toBeInstanceOf(ReplayStoreUnavailableError);
    }
  });

  it('turns a client that throws or rejects into ReplayStoreUnavailableError, keeping the cause, hiding passwords', async () => {
    const cause = new Error('Connection to redis://default:hunter2@10.0.0.7:6379 is closed');
    const rejecting = createRedisReplayStore(fake(() => Promise.reject(cause)).client);
    const rejected = (await settle(rejecting.claim(SIGN, 60))).error as ReplayStoreUnavailableError;
    expect(rejected).toBeInstanceOf(ReplayStoreUnavailableError);
    expect(rejected.cause).toBe(cause);
    expect(rejected.message).toContain('redis://***@10.0.0.7:6379');
    expect(rejected.message).not.toContain('hunter2');
    expect(rejected.message).not.toContain(SIGN);

    const throwing = createRedisReplayStore(
      fake(() => {
        throw new TypeError('boom');
      }).client,
    );
    const thrown = (await settle(throwing.claim(SIGN, 60))).error as ReplayStoreUnavailableError;
    expect(thrown).toBeInstanceOf(ReplayStoreUnavailableError);
    expect(thrown.message).toMatch(/TypeError: boom/);
  });

  it('withdraws a command that timed out from node-redis (aborts its signal)', async () => {
    const client = fake(() => new Promise(() => {}));
    const result = await settle(createRedisReplayStore(client.client, { timeoutMs: 50 }).claim(SIGN, 60));
    expect(result.error).toBeInstanceOf(ReplayStoreUnavailableError);
    expect((client.sent[0]?.[1] as { abortSignal: AbortSignal } | undefined)?.abortSignal.aborted).toBe(true);
  });

  it('checks its client, options and arguments, naming the bad one', async () => {
    for (const client of [undefined, null, 'redis://localhost', {}, { sendCommand: 'no' }, { call: 1 }]) {
      expect(() => createRedisReplayStore(client as unknown as RedisLikeClient)).toThrow(
        /createRedisReplayStore\(client\) needs a connected Redis client/,
      );
    }
    const client = fake('OK').client;
    for (const prefix of [null, 5, ['a']]) {
      expect(() => createRedisReplayStore(client, { prefix: prefix as unknown as string })).toThrow(
        new TypeError('vk-miniapp-auth: options.prefix must be a string.'),
      );
    }
    expect(() => createRedisReplayStore(client, { prefix: '' })).not.toThrow();
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '100']) {
      expect(() => createRedisReplayStore(client, { timeoutMs: timeoutMs as number })).toThrow(/options\.timeoutMs/);
    }
    expect(() => createRedisReplayStore(client, 'x' as never)).toThrow(TypeError);

    const recorded = fake('OK');
    const store = createRedisReplayStore(recorded.client);
    for (const key of [undefined, 42, '']) {
      await expect(store.claim(key as string, 60)).rejects.toThrow(/key must be a non-empty string/);
    }
    for (const ttl of [0, 0.5, -1, '60']) {
      await expect(store.claim(SIGN, ttl as number)).rejects.toThrow(/ttlSeconds must be a whole number/);
    }
    expect(recorded.sent).toEqual([]); // nothing reached Redis
  });
});
