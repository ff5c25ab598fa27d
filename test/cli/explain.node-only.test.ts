// `vk-miniapp-auth explain` on the built binary: every step it reports, its
// --json shape, and its diagnosis of each known pitfall. Broken inputs are
// built by hand with node:crypto over the wrong strings, as the broken code
// that made them would have.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExplainReport } from '../../src/cli/explain/report.js';
import { vectors } from '../vectors.js';
import { assertBuilt, canonical, cli, hmac, launch, nowSeconds, SECRET } from './run-cli.js';

beforeAll(assertBuilt);

const explain = async (input: string, args: string[] = [], secret: string | false = SECRET) => {
  const result = await cli(['explain', '--json', ...args, input], { secret });
  return { status: result.status, report: result.json() as unknown as ExplainReport, stderr: result.stderr };
};

describe.concurrent('explain, step by step', () => {
  it('reports a valid launch, with the human sections in order', async () => {
    const query = launch({ vk_ref: 'other' });
    const human = await cli(['explain', `https://app.example/?${query}&odr_enabled=1#top`]);
    expect(human.status).toBe(0);
    const headings = human.stdout.match(/^\d\. .*$/gm) ?? [];
    expect(headings.map((line) => line.slice(0, 2))).toEqual(['1.', '2.', '3.', '4.', '5.', '6.']);
    expect(human.stdout).toContain('recognised as a full URL');
    expect(human.stdout).toMatch(/odr_enabled\s+1\s+ignored: not vk_\*, not signed/);
    expect(human.stdout).toContain('✓ matches: the PHP urlencode variant');
    expect(human.stdout).toMatch(/\nVALID these launch params pass verification\.\n$/);
  });

  it('has a documented --json shape', async () => {
    const query = launch({ vk_ref: 'a b' });
    const { status, report } = await explain(`Bearer ${query}&q=1`, ['--app-id', '6']);
    expect(status).toBe(0);
    const sign = query.slice(query.indexOf('sign=') + 5);
    const message = query.slice(0, query.indexOf('&sign='));
    expect(report).toEqual({
      command: 'explain',
      ok: true,
      exitCode: 0,
      signChecked: true,
      error: null,
      cause: null,
      input: { length: query.length + 11, form: 'query', scheme: 'Bearer', base64Decoded: null, query: `${query}&q=1` },
      pairs: [
        ...message.split('&').map((pair) => {
          const [key, rawValue] = pair.split('=') as [string, string];
          const value = rawValue.replace('+', ' ');
          return { key, value, rawKey: key, rawValue, role: 'signed', duplicate: false, malformed: false };
        }),
        { key: 'sign', value: sign, rawKey: 'sign', rawValue: sign, role: 'sign', duplicate: false, malformed: false },
        { key: 'q', value: '1', rawKey: 'q', rawValue: '1', role: 'ignored', duplicate: false, malformed: false },
      ],
      duplicates: [],
      canonical: { php: message, uri: message.replace('a+b', 'a%20b') },
      signature: {
        received: sign,
        wellFormed: true,
        // Only --show-expected-sign fills it: an expected sign is a valid sign for the params shown.
        expected: null,
        matched: 'php',
        tried: [],
      },
      timestamp: {
        value: expect.stringMatching(/^\d{10}$/),
        unixMs: expect.any(Number),
        iso: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        unit: 'seconds',
        ageSeconds: expect.any(Number),
        status: 'fresh',
        maxAge: 3600,
        clockSkew: 30,
      },
      app: { id: 6, expected: [6], status: 'match' },
      user: { id: 5 },
      warnings: ['Not signed, so never trust them: q (only vk_* parameters are signed).'],
    });
  });

  it('recognises base64 of a URL behind the VK scheme', async () => {
    const url = `https://app.example/?${launch()}`;
    const { status, report } = await explain(`VK ${Buffer.from(url).toString('base64')}`);
    expect(status).toBe(0);
    expect(report.input).toMatchObject({ form: 'base64', scheme: 'VK', base64Decoded: url });
  });

  it('reads stdin like verify', async () => {
    const result = await cli(['explain', '--json'], { stdin: `?${launch()}\n` });
    expect(result.status).toBe(0);
    expect(result.json()).toMatchObject({ ok: true, input: { form: 'query' } });
  });

  it('shows both canonical variants when they differ, and says which one the sign matches', async () => {
    const message = canonical({ vk_app_id: 6, vk_ref: "it's (new)", vk_ts: nowSeconds(), vk_user_id: 5 });
    const uri = message.replace('it%27s+%28new%29', "it's%20(new)");
    const { status, report } = await explain(`${message}&sign=${hmac(uri)}`);
    expect(status).toBe(0);
    expect(report.canonical).toEqual({ php: message, uri });
    expect(report.signature.matched).toBe('uri');
    expect(report.warnings).toContainEqual(expect.stringContaining('encodeURIComponent form'));
  });

  it('without a secret explains everything but the sign, never showing an expected sign, and exits 2', async () => {
    const query = launch({ vk_ts: nowSeconds() - 60 });
    const expectedSign = query.slice(query.indexOf('sign=') + 5);
    const tampered = query.replace('vk_user_id=5', 'vk_user_id=7');
    const json = await explain(tampered, [], false);
    expect(json.status).toBe(2);
    expect(json.report).toMatchObject({
      ok: false,
      exitCode: 2,
      signChecked: false,
      error: null,
      cause: { pitfall: null, message: expect.stringContaining('cannot be checked without the secret') },
      signature: { received: expectedSign, wellFormed: true, expected: null, matched: null, tried: [] },
      timestamp: { status: 'fresh' },
    });
    const human = await cli(['explain', tampered], { secret: false });
    expect(human.status).toBe(2);
    expect(human.stdout).toContain('not checked: no secret. Set VK_APP_SECRET');
    expect(human.stdout).toContain('NOT CHECKED');
    // The real sign of the tampered params would let anyone forge them: it is never shown.
    const forged = hmac(
      canonical({ vk_app_id: 6, vk_platform: 'desktop_web', vk_ts: nowSeconds() - 60, vk_user_id: 7 }),
    );
    expect(human.stdout + JSON.stringify(json.report)).not.toContain(forged);
  });

  it('without a secret still fails what it can check (exit 1)', async () => {
    const { status, report } = await explain(launch({ vk_ts: nowSeconds() - 7200 }), [], false);
    expect(status).toBe(1);
    expect(report).toMatchObject({ error: { code: 'EXPIRED' }, cause: { pitfall: 'expired' }, signChecked: false });
  });

  it('escapes control characters from the input on the terminal', async () => {
    const human = await cli(['explain', launch({ vk_ref: '\u001b[2J' })]);
    expect(human.status).toBe(0);
    expect(human.stdout).not.toContain('\u001b');
    expect(human.stdout).toContain('\\x1b[2J');
  });

  it.each(vectors.launchParams)('agrees with verify on the known-answer vector $id', async (vector) => {
    const { status, report } = await explain(vector.input, ['--max-age', '0'], vector.secret);
    expect(status).toBe(vector.valid ? 0 : 1);
    expect(report.ok).toBe(vector.valid);
    expect(report.error?.code ?? null).toBe(vector.valid ? null : 'SIGN_INVALID');
  });
});

const ts = nowSeconds();
const base = { vk_access_token_settings: 'friends,photos', vk_app_id: 6, vk_ts: ts, vk_user_id: 5 };
// The canonical string of `base`, as VK signs it: `friends%2Cphotos`.
const right = canonical(base);

describe.concurrent('explain names the likely cause', () => {
  it.each([
    {
      pitfall: 'double-encoded',
      why: 'a value encoded twice on the way (%252C arrives)',
      input: `${right.replace('%2C', '%252C')}&sign=${hmac(right)}`,
      code: 'SIGN_INVALID',
      says: /encoded the query again/,
    },
    {
      pitfall: 'double-encoded',
      why: 'the signer re-encoded the raw values (signed %252C)',
      input: `${right}&sign=${hmac(right.replace('%2C', '%252C'))}`,
      code: 'SIGN_INVALID',
      says: /skipped decoding/,
    },
    {
      pitfall: 'whole-string-decoded',
      why: 'the signer decoded the whole string before splitting it',
      input: `vk_app_id=6&vk_platform=andr%26oid&vk_ts=${ts}&vk_user_id=5&sign=${hmac(`vk_app_id=6&vk_platform=andr&vk_ts=${ts}&vk_user_id=5`)}`,
      code: 'SIGN_INVALID',
      says: /inside a value \(vk_platform\) split it/,
    },
    {
      pitfall: 'extra-params-signed',
      why: 'the signer included a parameter that is not vk_*',
      input: `${right}&ref=ad&sign=${hmac(`ref=ad&${right}`)}`,
      code: 'SIGN_INVALID',
      says: /not vk_\* \(ref\)/,
    },
    {
      pitfall: 'not-reencoded',
      why: 'the signer joined decoded values without encoding them',
      input: `${right}&sign=${hmac(right.replace('%2C', ','))}`,
      code: 'SIGN_INVALID',
      says: /without encoding them again/,
    },
    {
      pitfall: 'not-sorted',
      why: 'the signer did not sort the pairs',
      input: `vk_user_id=5&vk_app_id=6&vk_ts=${ts}&sign=${hmac(`vk_user_id=5&vk_app_id=6&vk_ts=${ts}`)}`,
      code: 'SIGN_INVALID',
      says: /not sorted by key/,
    },
    {
      pitfall: 'wrong-secret',
      why: 'another secret',
      input: `${right}&sign=${hmac(right, 'not-the-secure-key')}`,
      code: 'SIGN_INVALID',
      says: /not this app's Secure key/,
    },
    {
      pitfall: 'sign-reformatted',
      why: 'the sign padded',
      input: `${right}&sign=${hmac(right)}%3D`,
      code: 'SIGN_INVALID',
      says: /something re-encoded the sign/,
    },
    {
      pitfall: 'duplicate-key',
      why: 'a second vk_user_id appended to a genuine query',
      input: `${right}&sign=${hmac(right)}&vk_user_id=1`,
      code: 'DUPLICATE_PARAM',
      says: /only the first value of each: the later one was appended/,
    },
    {
      pitfall: 'expired',
      why: 'an old vk_ts',
      input: launch({ vk_ts: ts - 7200 }),
      code: 'EXPIRED',
      says: /vk_ts is 2 h old, over --max-age 3600 s .* The sign itself matches\./,
    },
    {
      pitfall: 'future-timestamp',
      why: 'a vk_ts in the future',
      input: launch({ vk_ts: ts + 3600 }),
      code: 'TS_IN_FUTURE',
      says: /in the future/,
    },
    {
      pitfall: 'missing-timestamp',
      why: 'no vk_ts',
      input: `vk_app_id=6&vk_user_id=5&sign=${hmac('vk_app_id=6&vk_user_id=5')}`,
      code: 'TS_MISSING',
      says: /There is no vk_ts.* The sign itself matches\./,
    },
    {
      pitfall: 'wrong-app',
      why: 'another app',
      input: launch(),
      args: ['--app-id', '7'],
      code: 'APP_ID_MISMATCH',
      says: /for app 6, not 7/,
    },
    {
      pitfall: 'truncated',
      why: 'a URL cut at the first & by the shell',
      input: 'https://app.example/?vk_user_id=5',
      code: 'SIGN_MISSING',
      says: /Put INPUT in single quotes/,
    },
    {
      pitfall: 'whole-query-encoded',
      why: 'the whole query encoded again',
      input: encodeURIComponent(launch()),
      code: 'MALFORMED',
      says: /without encodeURIComponent around it/,
    },
  ])('$pitfall: $why', async ({ pitfall, input, args = [], code, says }) => {
    const verified = await cli(['verify', '--json', ...args, input]);
    const { status, report } = await explain(input, args);
    expect(status).toBe(1);
    expect(verified.status).toBe(1);
    // explain's verdict is verify's own.
    expect(report.error?.code).toBe((verified.json().error as { code: string }).code);
    expect(report.error?.code).toBe(code);
    expect(report.cause?.pitfall).toBe(pitfall);
    expect(report.cause?.message).toMatch(says);
    if (code === 'SIGN_INVALID' && pitfall !== 'wrong-secret') {
      expect(report.signature.tried).toContainEqual({ pitfall, matched: true });
    }
    // The diagnosis computes expected signs, and keeps them to itself.
    expect(report.signature.expected).toBeNull();
  });

  it('says so on the terminal, with the tries it made', async () => {
    const input = `vk_app_id=6&vk_platform=andr%26oid&vk_ts=${ts}&vk_user_id=5&sign=${hmac(`vk_app_id=6&vk_platform=andr&vk_ts=${ts}&vk_user_id=5`)}`;
    const human = await cli(['explain', input]);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('✗ does not match');
    expect(human.stdout).toMatch(/tried the known wrong computations: .*whole-string-decoded ✓/);
    expect(human.stdout).toMatch(
      /INVALID SIGN_INVALID: .*\nLikely cause \(whole-string-decoded\): The sign was made after decoding/,
    );
  });

  it('flags a repeated key and an encoded "%" even without a secret', async () => {
    const { status, report } = await explain(
      `${right.replace('%2C', '%252C')}&sign=${hmac(right)}&vk_user_id=1`,
      [],
      false,
    );
    expect(status).toBe(1);
    expect(report.duplicates).toEqual(['vk_user_id']);
    expect(report.pairs.at(-1)).toMatchObject({ key: 'vk_user_id', value: '1', duplicate: true });
    expect(report.canonical).toBeNull();
    expect(report.cause?.pitfall).toBe('duplicate-key');
    expect(report.warnings).toContainEqual(expect.stringContaining('"%25" followed by hex digits'));
  });
});

describe.concurrent('explain is not a signing oracle', () => {
  // A genuine launch of user 5, edited to user 7: the sign VK would give user 7 is a forgery.
  const wanted = { vk_app_id: 6, vk_platform: 'desktop_web', vk_ref: 'a b', vk_ts: nowSeconds(), vk_user_id: 7 };
  const edited = launch({ ...wanted, vk_user_id: 5 }).replace('vk_user_id=5', 'vk_user_id=7');
  const forged = { php: hmac(canonical(wanted)), uri: hmac(canonical(wanted).replace('a+b', 'a%20b')) };
  const received = edited.slice(edited.indexOf('sign=') + 5);

  it('says whether the sign matches, never what it should be: not in text, --json or stderr', async () => {
    const [text, json, verified] = await Promise.all([
      cli(['explain', edited]),
      cli(['explain', '--json', edited]),
      cli(['verify', '--json', edited]),
    ]);
    for (const result of [text, json, verified]) {
      expect(result.status).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(forged.php);
      expect(result.stdout + result.stderr).not.toContain(forged.uri);
    }
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('✗ does not match');
    expect(text.stdout).toContain('expected   not shown (pass --show-expected-sign to print it)');
    expect(text.stdout).toMatch(/Likely cause \(wrong-secret\): /);
    expect(json.stderr).toBe('');
    expect(json.json()).toMatchObject({
      error: { code: 'SIGN_INVALID' },
      cause: { pitfall: 'wrong-secret' },
      signature: { received, wellFormed: true, expected: null, matched: null },
    });
  });

  it('prints the expected sign with --show-expected-sign, and warns on stderr that it is a valid signature', async () => {
    const [text, json] = await Promise.all([
      cli(['explain', '--show-expected-sign', edited]),
      cli(['explain', '--json', '--show-expected-sign', edited]),
    ]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      `   expected   ${forged.php} (PHP urlencode)\n${' '.repeat(14)}${forged.uri} (encodeURIComponent)`,
    );
    expect(json.status).toBe(1);
    expect((json.json() as unknown as ExplainReport).signature.expected).toEqual(forged);
    for (const result of [text, json]) {
      expect(result.stderr).toBe(
        'warning: the expected sign printed by --show-expected-sign is a valid signature for these launch params: ' +
          'in the wrong hands it is a forged launch. Keep it out of tickets, chats and CI logs.\n',
      );
    }
  });

  it('has no expected sign to show without the secret, so --show-expected-sign prints none and warns of none', async () => {
    const { status, report, stderr } = await explain(edited, ['--show-expected-sign'], false);
    expect(status).toBe(2);
    expect(report.signature.expected).toBeNull();
    expect(stderr).toBe('');
  });

  it('documents --show-expected-sign in its help, and only explain has it', async () => {
    const [help, verify] = await Promise.all([
      cli(['explain', '--help']),
      cli(['verify', '--show-expected-sign', edited]),
    ]);
    expect(help.stdout).toMatch(/--show-expected-sign +Also print the expected sign/);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toContain('Unknown option at argument 2 for "verify".');
  });
});
