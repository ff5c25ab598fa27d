import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opensAnotherPair } from '../../src/max/pairs.js';
import { signMaxInitData, verifyMaxInitData } from '../../src/max.js';

// MAX publishes its algorithm in prose and code (dev.max.ru/docs/webapps/validation);
// Python's hmac and urllib, run on thousands of random sets both ways, check our reading
// of it against an implementation that shares none of our code: Python signs and we
// verify, we sign and Python verifies.
const PYTHON = String.raw`
import hashlib, hmac, json, sys
from urllib.parse import parse_qsl, quote, quote_plus

job = json.load(sys.stdin)
secret_key = hmac.new(b"WebAppData", job["token"].encode("utf-8"), hashlib.sha256).digest()

def check_string(pairs):
    return "\n".join(k + "=" + v for k, v in sorted(pairs) if k != "hash")

def sign(pairs, plus):
    digest = hmac.new(secret_key, check_string(pairs).encode("utf-8"), hashlib.sha256).hexdigest()
    encode = (lambda v: quote_plus(v, safe="")) if plus else (lambda v: quote(v, safe=""))
    return "&".join(k + "=" + encode(v) for k, v in pairs) + "&hash=" + digest

def verify(init_data):
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)) or keys.count("hash") != 1:
        return None
    received = dict(pairs)["hash"]
    expected = hmac.new(secret_key, check_string(pairs).encode("utf-8"), hashlib.sha256).hexdigest()
    return [[k, v] for k, v in pairs if k != "hash"] if hmac.compare_digest(expected, received) else None

if job["mode"] == "sign":
    out = [sign([tuple(p) for p in pairs], i % 2 == 1) for i, pairs in enumerate(job["sets"])]
else:
    out = [verify(s) for s in job["sets"]]
json.dump(out, sys.stdout)
`;

const SETS = 1500;
const TOKEN = 'differential:токен-🤖';
const NOW_SECONDS = 1_771_409_719;

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = python.status === 0;
const requirePython = Boolean(process.env.CI);
if (!hasPython && !requirePython) {
  console.warn('python3 not found: skipping the MAX differential test (CI runs it).');
}

function runPython(job: object): unknown[] {
  const result = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}): ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

// Any Unicode but lone surrogates (which have no UTF-8 form), with the characters that
// encoders treat differently: "+", spaces, "!'()*~" (left alone by encodeURIComponent).
const special = fc.constantFrom(...` +&=%#?!'()*~\n"\\/:,;`, 'ё', '🐈', '\u00a0', '\u2028');
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: fc.oneof(special, fc.constantFrom(...'aZ9_-')), maxLength: 12 }),
);
const keyName = fc
  .string({ unit: fc.constantFrom(...'abcxyzAZ09_.-'), minLength: 1, maxLength: 10 })
  .map((k) => `x_${k}`);
const user = fc.record(
  {
    id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    first_name: text,
    last_name: fc.oneof(text, fc.constant(null)),
    username: fc.oneof(text, fc.constant(null)),
    language_code: fc.constantFrom('ru', 'en', null),
  },
  { requiredKeys: ['id', 'first_name'] },
);
const dataSet = fc
  .record(
    {
      user,
      chat: fc.record({
        id: fc.integer({ min: -1e15, max: 1e15 }),
        type: fc.constantFrom('DIALOG', 'CHAT', 'CHANNEL'),
      }),
      query_id: text,
      start_param: text,
      extra: fc.dictionary(keyName, text, { maxKeys: 4 }),
      auth_date: fc.integer({ min: NOW_SECONDS - 3000, max: NOW_SECONDS }),
    },
    { requiredKeys: ['auth_date', 'extra'] },
  )
  .filter(({ query_id, start_param, extra }) =>
    [query_id, start_param, ...Object.values(extra)].every((v) => v === undefined || !opensAnotherPair(v)),
  );

type DataSet = typeof dataSet extends fc.Arbitrary<infer T> ? T : never;

/** The decoded pairs of a set, in an order `seed` picks (the order sent must not matter). */
function pairsOf({ extra, user, chat, ...rest }: DataSet, seed: number): [string, string][] {
  const pairs: [string, string][] = Object.entries({ ...rest, ...extra })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, String(v)]);
  if (user !== undefined) pairs.push(['user', JSON.stringify(user)]);
  if (chat !== undefined) pairs.push(['chat', JSON.stringify(chat)]);
  const shift = Math.abs(seed) % pairs.length;
  const rotated = [...pairs.slice(shift), ...pairs.slice(0, shift)];
  return seed % 2 === 0 ? rotated : rotated.reverse();
}

function expectedData(set: DataSet, hash: string): Record<string, unknown> {
  const { extra, auth_date, ...rest } = set;
  return { ...rest, ...extra, auth_date: new Date(auth_date * 1000), hash };
}

const options = { botToken: TOKEN, now: () => NOW_SECONDS * 1000 };

describe('MAX init data agree with Python (hmac, hashlib, urllib.parse)', () => {
  it.skipIf(!hasPython && !requirePython)(`Python signs ${SETS} random sets; the library verifies them`, async () => {
    if (!hasPython) throw new Error('python3 is required on CI');
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const sets = fc.sample(dataSet, { numRuns: SETS, seed });
    // Odd sets are written with quote_plus (a space as "+"), even ones with quote (as "%20").
    const signed = runPython({ mode: 'sign', token: TOKEN, sets: sets.map((set, i) => pairsOf(set, seed + i)) });
    expect(signed).toHaveLength(SETS);
    for (const [i, set] of sets.entries()) {
      const initData = signed[i] as string;
      const context = `seed ${seed}, set ${i}: ${initData}`;
      const data = await verifyMaxInitData(initData, options);
      expect(data, context).toEqual(expectedData(set, initData.slice(-64)));
    }
  });

  it.skipIf(!hasPython && !requirePython)(`the library signs ${SETS} random sets; Python verifies them`, async () => {
    if (!hasPython) throw new Error('python3 is required on CI');
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const sets = fc.sample(dataSet, { numRuns: SETS, seed });
    const signed: string[] = [];
    for (const set of sets) {
      const { extra, ...fields } = set;
      signed.push(await signMaxInitData({ ...fields, ...extra }, TOKEN));
    }
    // And a few tampered ones, which Python must refuse too.
    const tampered = signed
      .slice(0, 50)
      .map((s) => s.replace(/auth_date=(\d)/, (_, d) => `auth_date=${(Number(d) + 1) % 10}`));
    const verdicts = runPython({ mode: 'verify', token: TOKEN, sets: [...signed, ...tampered] });
    for (const [i, set] of sets.entries()) {
      const context = `seed ${seed}, set ${i}: ${signed[i]}`;
      const decoded = verdicts[i] as [string, string][] | null;
      expect(decoded, context).not.toBeNull();
      expect(Object.fromEntries(decoded as [string, string][]), context).toEqual(Object.fromEntries(pairsOf(set, 0)));
    }
    expect(verdicts.slice(SETS)).toEqual(tampered.map(() => null));
  });
});
