import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, type ReplayStore, ReplayStoreUnavailableError } from '../../src/replay.js';

const SIGN = 'zC0ZTtYy3nyK9BNx7sS7FmjuU8LwWZv1Tre4SCvVsXU';

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('createMemoryReplayStore', () => {
  it('accepts a key once, then refuses it until its ttl is over', async () => {
    const time = clock();
    const store = createMemoryReplayStore({ now: time.now });
    expect(await store.claim(SIGN, 60)).toBe(true);
    expect(await store.claim(SIGN, 60)).toBe(false);
    time.advance(59_999);
    expect(await store.claim(SIGN, 60)).toBe(false);
    time.advance(1);
    expect(await store.claim(SIGN, 60)).toBe(true);
    expect(await store.claim(SIGN, 60)).toBe(false);
  });

  it('does not extend a key a replay claims again', async () => {
    const time = clock();
    const store = createMemoryReplayStore({ now: time.now });
    expect(await store.claim(SIGN, 10)).toBe(true);
    time.advance(9_000);
    expect(await store.claim(SIGN, 3600)).toBe(false);
    time.advance(1_000);
    expect(await store.claim(SIGN, 10)).toBe(true);
  });

  it('keeps keys as given: distinct strings are distinct keys', async () => {
    const store = createMemoryReplayStore();
    const long = `${SIGN}:${'x'.repeat(500)}`;
    expect(await store.claim(long, 60)).toBe(true);
    expect(await store.claim(`${long}y`, 60)).toBe(true);
    expect(await store.claim(SIGN.toLowerCase(), 60)).toBe(true);
    expect(await store.claim(SIGN, 60)).toBe(true);
    expect(await store.claim(long, 60)).toBe(false);
  });

  it('answers concurrent claims of one key with exactly one true', async () => {
    const store = createMemoryReplayStore();
    const answers = await Promise.all(Array.from({ length: 50 }, () => store.claim(SIGN, 60)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('fails closed when full: rejects new keys, and forgets none of the old', async () => {
    const time = clock();
    const store = createMemoryReplayStore({ maxEntries: 3, now: time.now });
    for (const key of ['a', 'b', 'c']) expect(await store.claim(key, 60)).toBe(true);

    const refusal = await store.claim('d', 60).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ReplayStoreUnavailableError);
    expect(refusal).toMatchObject({
      name: 'ReplayStoreUnavailableError',
      status: 503,
      statusCode: 503,
      expose: false,
    });
    expect((refusal as Error).message).toMatch(/full.*maxEntries \(3\).*requests a second × maxAge/s);

    // Still full, and every key it held is still a replay.
    await expect(store.claim('d', 60)).rejects.toBeInstanceOf(ReplayStoreUnavailableError);
    for (const key of ['a', 'b', 'c']) expect(await store.claim(key, 60)).toBe(false);
  });

  it('makes room by purging expired keys when full', async () => {
    const time = clock();
    const store = createMemoryReplayStore({ maxEntries: 3, now: time.now });
    expect(await store.claim('short', 1)).toBe(true);
    expect(await store.claim('long-1', 60)).toBe(true);
    expect(await store.claim('long-2', 60)).toBe(true);
    await expect(store.claim('new', 60)).rejects.toBeInstanceOf(ReplayStoreUnavailableError);

    time.advance(1_000); // 'short' has expired: its place is free
    expect(await store.claim('new', 60)).toBe(true);
    await expect(store.claim('newer', 60)).rejects.toBeInstanceOf(ReplayStoreUnavailableError);
    expect(await store.claim('long-1', 60)).toBe(false);
    expect(await store.claim('long-2', 60)).toBe(false);
    expect(await store.claim('new', 60)).toBe(false);

    time.advance(60_000); // everything has expired
    for (const key of ['x', 'y', 'z']) expect(await store.claim(key, 60)).toBe(true);
    // Full again, with x, y and z: long-1 (expired, purged) is a new key, and there is no room for it.
    await expect(store.claim('long-1', 60)).rejects.toBeInstanceOf(ReplayStoreUnavailableError);
  });

  it('reuses the place of an expired key claimed again, even when full', async () => {
    const time = clock();
    const store = createMemoryReplayStore({ maxEntries: 2, now: time.now });
    expect(await store.claim('a', 1)).toBe(true);
    expect(await store.claim('b', 60)).toBe(true);
    time.advance(1_000);
    expect(await store.claim('a', 60)).toBe(true);
    expect(await store.claim('a', 60)).toBe(false);
  });

  it('checks its options and arguments, naming the bad one', async () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expect(() => createMemoryReplayStore({ maxEntries: maxEntries as number })).toThrow(
        new TypeError('vk-miniapp-auth: options.maxEntries must be a whole number, 1 or more.'),
      );
    }
    expect(() => createMemoryReplayStore({ now: 5 as unknown as () => number })).toThrow(/options\.now/);
    expect(() => createMemoryReplayStore(null as unknown as undefined)).toThrow(TypeError);

    const store = createMemoryReplayStore();
    for (const key of [undefined, null, 42, '', { toString: () => SIGN }]) {
      await expect(store.claim(key as string, 60)).rejects.toThrow(/key must be a non-empty string/);
    }
    for (const ttl of [0, -5, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '60', undefined]) {
      await expect(store.claim(SIGN, ttl as number)).rejects.toThrow(/ttlSeconds must be a whole number/);
    }
    // A refused argument records nothing.
    expect(await store.claim(SIGN, 60)).toBe(true);

    const broken = createMemoryReplayStore({ now: () => Number.NaN });
    await expect(broken.claim(SIGN, 60)).rejects.toThrow(/options\.now must return/);
  });

  it('equals a reference model for any sequence of claims and clock moves', async () => {
    type Step = { kind: 'claim'; key: string; ttl: number } | { kind: 'wait'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant('claim' as const),
        key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        ttl: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({
        kind: fc.constant('wait' as const),
        // Half-second steps land exactly on expiries (the boundary), the others anywhere.
        ms: fc.oneof(
          fc.integer({ min: 0, max: 6 }).map((n) => n * 500),
          fc.integer({ min: 0, max: 3_000 }),
        ),
      }),
    );

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 60 }), async (max, steps) => {
        const time = clock();
        const store: ReplayStore = createMemoryReplayStore({ maxEntries: max, now: time.now });
        // The model: every key ever claimed with its expiry, nothing purged, full counted afresh each time.
        const model = new Map<string, number>();
        for (const s of steps) {
          if (s.kind === 'wait') {
            time.advance(s.ms);
            continue;
          }
          const at = time.now();
          const held = model.get(s.key);
          let expected: boolean | 'full';
          if (held !== undefined && held > at) expected = false;
          else {
            const live = [...model.entries()].filter(([key, expiry]) => key !== s.key && expiry > at).length;
            expected = live >= max ? 'full' : true;
          }
          const actual = await store.claim(s.key, s.ttl).then(
            (value) => value,
            (error: unknown) => (error instanceof ReplayStoreUnavailableError ? ('full' as const) : error),
          );
          expect(actual).toBe(expected);
          if (expected === true) model.set(s.key, at + s.ttl * 1000);
        }
      }),
      { numRuns: 300 },
    );
  });
});
