// The trace of a verification (src/trace.ts), which `explain` renders: it runs
// verification's own pipeline, so its verdict must be verifyLaunchParams's on
// any input, and it must report each step and what the reader saw before a
// refusal. Also holds the display reader (readQueryPairs) to parseQuery.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type VerifyOptions, VkAuthError, type VkAuthErrorCode, verifyLaunchParams } from '../src/index.js';
import { parseQuery, readQueryPairs } from '../src/launch-params/query.js';
import { type LaunchParamsTrace, TRACE_STEPS, type TraceStep, traceLaunchParams } from '../src/trace.js';
import { base64, launch, NOW_S, now, SECRET } from './helpers.js';
import { vectors } from './vectors.js';

const options = { secret: SECRET, now };

/** What verification decides: the params, or the code and message of its refusal. */
async function verdictOf(input: unknown, opts: VerifyOptions) {
  return verifyLaunchParams(input as string, opts).then(
    (params) => ({ params }),
    (error: unknown) => {
      if (!VkAuthError.is(error)) throw error;
      return { code: error.code, message: error.message };
    },
  );
}

/** The trace's verdict, in the same terms. */
function traced(trace: LaunchParamsTrace) {
  if (trace.error !== undefined) return { code: trace.error.code, message: trace.error.message };
  expect(trace.verified).toBe(true);
  return { params: trace.params };
}

function handSigned(canonical: string, extra = '') {
  return `${canonical}${extra}&sign=${createHmac('sha256', SECRET).update(canonical).digest('base64url')}`;
}

describe('the trace reaches verification’s verdict', () => {
  it.each(vectors.launchParams)('on the known-answer vector $id', async (vector) => {
    const opts = { secret: vector.secret, maxAge: 0 };
    expect(traced(await traceLaunchParams(vector.input, opts))).toEqual(await verdictOf(vector.input, opts));
  });

  const fragments = fc.constantFrom(
    '&',
    '=',
    '%',
    '%2',
    '%2C',
    '%2c',
    '%E0',
    '+',
    'vk_user_id=1&',
    'vk_ts=1&',
    'sign=x&',
    'utm=1&',
    '__proto__=1&',
    '?',
    '#',
    'Bearer ',
    'https://app.example/?',
  );
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 3 }),
    insert: fc.oneof(fragments, fc.string({ maxLength: 3 })),
  });

  it('on a genuine launch with random edits, with and without app ids and expiry', async () => {
    const genuine = await launch({ vk_ref: 'a b', vk_access_token_settings: 'friends,photos' });
    const settings = fc.constantFrom<VerifyOptions>(
      options,
      { ...options, appId: 6736218 },
      { ...options, appId: 7 },
      { ...options, maxAge: 0 },
      { ...options, now: () => (NOW_S + 7200) * 1000 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { maxLength: 3 }), settings, async (edits, opts) => {
        const input = edits.reduce((query, { at, remove, insert }) => {
          const i = at % (query.length + 1);
          return query.slice(0, i) + insert + query.slice(i + remove);
        }, genuine);
        expect(traced(await traceLaunchParams(input, opts))).toEqual(await verdictOf(input, opts));
      }),
      { numRuns: 500 },
    );
  });

  it('on structured input too', async () => {
    const query = await launch();
    for (const input of [
      new URLSearchParams(query),
      Object.fromEntries(new URLSearchParams(query)),
      { ...Object.fromEntries(new URLSearchParams(query)), vk_user_id: ['1', '2'] },
      null,
      42,
    ]) {
      expect(traced(await traceLaunchParams(input, options))).toEqual(await verdictOf(input, options));
    }
  });
});

describe('the trace reports each step', () => {
  it('of a valid launch: the form, the pairs, the run matched as sent, the age, the params', async () => {
    const query = await launch({ vk_ts: NOW_S - 60 });
    const trace = await traceLaunchParams(`Bearer ${query}&utm=1`, { ...options, appId: 6736218 });
    expect(trace.verified).toBe(true);
    expect(trace.failedStep).toBeUndefined();
    expect(Object.values(trace.steps)).toEqual(TRACE_STEPS.map(() => 'passed'));
    expect(trace.credential).toMatchObject({ form: 'query', scheme: 'Bearer', query: `${query}&utm=1` });
    expect(trace.credential.signedRun).toBe(query.slice(0, query.indexOf('&sign=')));
    expect(trace.credential.pairs.at(0)).toEqual({
      rawKey: 'vk_access_token_settings',
      rawValue: 'friends%2Cphotos',
      key: 'vk_access_token_settings',
      value: 'friends,photos',
      malformed: false,
      duplicate: false,
      role: 'signed',
    });
    expect(trace.credential.pairs.map((pair) => pair.role).slice(-2)).toEqual(['sign', 'ignored']);
    expect(trace.identity).toMatchObject({ userId: 494075, appId: 6736218, ts: String(NOW_S - 60) });
    expect(trace.app).toEqual({ appId: 6736218, secrets: 1 });
    expect(trace.signature).toMatchObject({ matched: 'php', matchedText: 'signed-run', canonical: undefined });
    expect(trace.freshness).toMatchObject({ ageMs: 60_000, status: 'fresh', maxAgeMs: 3_600_000 });
    expect(trace.params).toEqual(await verifyLaunchParams(query, options));
  });

  it('builds the canonical strings when the pairs came out of order', async () => {
    const query = await launch();
    const [first, ...rest] = query.split('&');
    const trace = await traceLaunchParams([...rest, first].join('&'), options);
    expect(trace.verified).toBe(true);
    expect(trace.credential.signedRun).toBeUndefined();
    expect(trace.signature).toMatchObject({ matched: 'php', matchedText: 'canonical' });
    expect(trace.signature?.canonical?.php).toBe(query.slice(0, query.indexOf('&sign=')));
  });

  const stops: [TraceStep, VkAuthErrorCode, () => Promise<string>][] = [
    ['credential', 'DUPLICATE_PARAM', async () => `${await launch()}&vk_user_id=1`],
    ['identity', 'SIGN_MISSING', async () => 'vk_user_id=1&vk_app_id=2'],
    ['sign-shape', 'SIGN_INVALID', async () => `${await launch()}=`],
    ['app', 'APP_ID_MISMATCH', async () => launch({ vk_app_id: 7 })],
    ['signature', 'SIGN_INVALID', async () => launch({}, 'another-secret')],
    ['freshness', 'EXPIRED', async () => launch({ vk_ts: NOW_S - 7200 })],
    ['params', 'MALFORMED', async () => handSigned(`vk_app_id=6736218&vk_is_app_user=2&vk_ts=${NOW_S}&vk_user_id=1`)],
  ];
  it.each(stops)('stops at %s, with %s', async (step, code, make) => {
    const trace = await traceLaunchParams(await make(), { ...options, appId: 6736218 });
    expect(trace.verified).toBe(false);
    expect(trace.error?.code).toBe(code);
    expect(trace.failedStep).toBe(step);
    const at = TRACE_STEPS.indexOf(step);
    expect(Object.values(trace.steps)).toEqual(
      TRACE_STEPS.map((_, i) => (i < at ? 'passed' : i === at ? 'failed' : 'not-reached')),
    );
  });

  it('reports what the signature step tried when it refuses', async () => {
    const trace = await traceLaunchParams(await launch({}, 'another-secret'), {
      ...options,
      secret: [SECRET, 'old'],
    });
    expect(trace.signature).toMatchObject({ matched: undefined, matchedText: undefined, secrets: 2 });
    expect(trace.freshness).toBeUndefined();
  });

  it('reports vk_ts and its verdict when freshness refuses', async () => {
    const trace = await traceLaunchParams(await launch({ vk_ts: NOW_S + 3600 }), options);
    expect(trace.freshness).toMatchObject({ ageMs: -3_600_000, status: 'future' });
    const malformed = await traceLaunchParams(handSigned(`vk_app_id=6&vk_ts=soon&vk_user_id=1`), options);
    expect(malformed).toMatchObject({ failedStep: 'freshness', freshness: { status: 'malformed' } });
  });
});

describe('the trace shows what was read before a refusal', () => {
  it('every pair, the ones after a repeated key and a bad escape included', async () => {
    const query = await launch();
    const trace = await traceLaunchParams(`vk_user_id=1&${query}&vk_x=%E0&q=2`, options);
    expect(trace.failedStep).toBe('credential');
    expect(trace.error?.code).toBe('DUPLICATE_PARAM');
    const { pairs } = trace.credential;
    expect(pairs).toHaveLength(query.split('&').length + 3);
    expect(pairs.filter((pair) => pair.duplicate).map((pair) => pair.key)).toEqual(['vk_user_id']);
    expect(pairs.at(-2)).toMatchObject({ rawKey: 'vk_x', rawValue: '%E0', value: '%E0', malformed: true });
    expect(pairs.at(-1)).toMatchObject({ key: 'q', role: 'ignored' });
  });

  it('the form, the scheme and the query of a query that is refused whole', async () => {
    const encoded = encodeURIComponent(await launch());
    const trace = await traceLaunchParams(`Bearer ${encoded}`, options);
    expect(trace.error?.code).toBe('MALFORMED');
    expect(trace.credential).toMatchObject({ form: 'query', scheme: 'Bearer', query: encoded, pairs: [] });
  });

  it('the decoded text of base64', async () => {
    const url = `https://app.example/?${await launch()}`;
    const trace = await traceLaunchParams(`VK ${base64(url)}`, options);
    expect(trace.verified).toBe(true);
    expect(trace.credential).toMatchObject({ form: 'base64', scheme: 'VK', base64Decoded: url });
  });
});

describe('the trace without a secret', () => {
  it('skips the signature, runs the rest, and never says verified', async () => {
    const tampered = (await launch()).replace('vk_user_id=494075', 'vk_user_id=1');
    const trace = await traceLaunchParams(tampered, { now });
    expect(trace).toMatchObject({ verified: false, error: undefined, failedStep: undefined });
    expect(trace.steps.signature).toBe('skipped');
    expect(trace.signature).toBeUndefined();
    expect(trace.app).toEqual({ appId: 6736218, secrets: 0 });
    expect(trace.steps.params).toBe('passed');
  });

  it('still refuses what it can check', async () => {
    const old = await traceLaunchParams(await launch({ vk_ts: NOW_S - 7200 }), { now });
    expect(old).toMatchObject({ failedStep: 'freshness', error: { code: 'EXPIRED' } });
    expect(old.steps.signature).toBe('skipped');
    const app = await traceLaunchParams(await launch(), { now, appId: 7 });
    expect(app).toMatchObject({ failedStep: 'app', error: { code: 'APP_ID_MISMATCH' } });
  });
});

describe('readQueryPairs, the reader a trace shows, agrees with parseQuery', () => {
  const piece = fc.oneof(
    fc.constantFrom('vk_a', 'vk_b', 'vk_user_id', 'sign', 'q', '=', '&', '%', '%2C', '%2c', '%E0', '%C3%A9', '+', ''),
    fc.constantFrom('__proto__', 'constructor', 'a b', 'ж', '%25', '%3D', '%26'),
    fc.string({ maxLength: 4 }),
  );
  const queries = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));

  it('on the pairs of every query parseQuery accepts, and marks a reason in every one it refuses', () => {
    fc.assert(
      fc.property(queries, (query) => {
        const shown = readQueryPairs(query);
        let parsed: ReturnType<typeof parseQuery> | undefined;
        try {
          parsed = parseQuery(query);
        } catch (error) {
          expect(VkAuthError.is(error)).toBe(true);
        }
        if (parsed !== undefined) {
          expect(shown.map(({ key, value }) => ({ key, value }))).toEqual(parsed.pairs);
          expect(shown.some((pair) => pair.malformed || pair.duplicate)).toBe(false);
        } else {
          const forbidden = shown.some((pair) => ['__proto__', 'constructor', 'prototype'].includes(pair.key));
          expect(forbidden || shown.some((pair) => pair.malformed || pair.duplicate)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
