import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signLaunchParams, verifyLaunchParams } from '../src/index.js';
import { TYPED_KEYS } from './typed-keys.js';

// VK's reference code signs with PHP (docs/protocol.md, "The canonical string"); running PHP itself on
// thousands of random sets checks our canonical string against the real thing, not our reading of it.
const PHP_SIGN = `
$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$out = [];
foreach ($input['sets'] as $p) {
  ksort($p, SORT_STRING);
  // The defaults, spelt out so that a php.ini cannot change the separator.
  $q = http_build_query($p, '', '&', PHP_QUERY_RFC1738);
  $sign = rtrim(strtr(base64_encode(hash_hmac('sha256', $q, $input['secret'], true)), '+/', '-_'), '=');
  $out[] = [$q, $sign];
}
echo json_encode($out, JSON_THROW_ON_ERROR);
`;

const SECRET = 'php-differential-Защищённый-ключ';
const SETS = 3000;

const php = spawnSync('php', ['--version'], { encoding: 'utf8' });
const hasPhp = php.status === 0;
const requirePhp = Boolean(process.env.CI);
if (!hasPhp && !requirePhp) {
  console.warn('php-cli not found: skipping the PHP differential test (CI installs it and runs it).');
}

// Keys stay ASCII: PHP's ksort compares bytes and we compare UTF-16 code units, which agree
// only there (VK's own keys are ASCII). Every key starts with vk_, so none is numeric and
// json_decode keeps them all as string keys.
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-');
const punctuation = fc.constantFrom(...` !'()*~%+&=[]#?/,:;"`);
const key = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: nameChar, minLength: 1, maxLength: 12 }) },
    fc.string({ unit: fc.oneof(nameChar, punctuation), minLength: 1, maxLength: 8 }),
  )
  .map((name) => `vk_${name}`)
  // Typed keys would come back converted (and refuse a random value); this test is about the signature.
  .filter((name) => !TYPED_KEYS.has(name));

// 'binary' is any code point but a lone surrogate (no UTF-8 form, so nothing PHP could receive).
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...` !'()*~%+&=.-_абвгдеёжЖЩЯ`), maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String);
const paramSet = fc
  .tuple(id, id, fc.dictionary(key, value, { maxKeys: 6 }))
  .map(([userId, appId, extra]): Record<string, string> => ({ ...extra, vk_user_id: userId, vk_app_id: appId }));

function signWithPhp(sets: readonly Record<string, string>[]): [query: string, sign: string][] {
  const result = spawnSync('php', ['-r', PHP_SIGN], {
    input: JSON.stringify({ secret: SECRET, sets }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`php failed (${result.status}): ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

describe('signing agrees with PHP (http_build_query + hash_hmac)', () => {
  it.skipIf(!hasPhp && !requirePhp)(`signs ${SETS} random sets exactly as PHP does`, async () => {
    if (!hasPhp) throw new Error('php-cli is required; .ci/run installs it');
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const sets = fc.sample(paramSet, { numRuns: SETS, seed });
    const signed = signWithPhp(sets);
    expect(signed).toHaveLength(SETS);

    for (const [i, params] of sets.entries()) {
      const [query, sign] = signed[i] as [string, string];
      const context = `seed ${seed}, set ${i}: ${JSON.stringify(params)}`;
      expect(await signLaunchParams(params, SECRET), context).toBe(`${query}&sign=${sign}`);
      const verified = await verifyLaunchParams(`${query}&sign=${sign}`, { secret: SECRET, maxAge: 0 });
      expect({ ...verified }, context).toEqual({
        ...params,
        vk_user_id: Number(params.vk_user_id),
        vk_app_id: Number(params.vk_app_id),
        sign,
      });
    }
  });
});
