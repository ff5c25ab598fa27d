// The command-line tool as users run it: the built binary in a child process.
// `sign`, `verify`, arguments, help, exit codes, --json, colour and secrets.
import { beforeAll, describe, expect, it } from 'vitest';
import { vectors } from '../vectors.js';
import { assertBuilt, canonical, cli, hmac, launch, nowSeconds, SECRET, VERSION } from './run-cli.js';

beforeAll(assertBuilt);

const ESCAPE = '\u001b[';

describe.concurrent('the binary', () => {
  it('runs as an executable through its shebang', async () => {
    const result = await cli(['--version'], { direct: true });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it('prints the version from package.json with -v', async () => {
    const result = await cli(['-v']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it.each([['--help'], ['-h']])('prints the global help on %s, recommending VK_APP_SECRET', async (flag) => {
    const result = await cli([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Commands:\n\s+sign .*\n\s+verify .*\n\s+explain /);
    expect(result.stdout).toContain('VK_APP_SECRET environment variable');
    expect(result.stdout).toContain('Exit codes: 0');
  });

  it('prints the help on stderr and exits 2 with no command', async () => {
    const result = await cli([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:');
  });

  it.each([
    ['sign', '--help'],
    ['help', 'verify'],
    ['explain', '--nope', '-h'],
  ])('has a help of its own per command: %s %s', async (...args) => {
    const command = args[0] === 'help' ? args[1] : args[0];
    const result = await cli(args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`vk-miniapp-auth ${command}`);
    expect(result.stdout).toMatch(/Options:[\s\S]*--secret KEY[\s\S]*--json[\s\S]*VK_APP_SECRET[\s\S]*Examples:/);
  });
});

describe.concurrent('usage errors exit 2 with a clear message and a hint to --help', () => {
  const query = `vk_app_id=1&vk_user_id=2&sign=${'a'.repeat(43)}`;
  const id = ['--user-id', '1', '--app-id', '1'];
  it.each([
    [
      'an unknown command',
      ['frobnicate'],
      /Unknown command at argument 1; the commands are sign, verify, explain\.\n/,
      '',
    ],
    ['a misspelt command', ['verfy', query], /Did you mean "verify"\?/, ''],
    ['an option before the command', ['--nope', 'verify'], /A command comes first/, ''],
    [
      'an unknown option',
      ['verify', '--max-agee', '5', query],
      /Unknown option at argument 2 for "verify"\. Did you mean --max-age\?/,
      'verify ',
    ],
    ['a missing value', ['verify', query, '--app-id'], /--app-id needs a value/, 'verify '],
    ['a value that looks like an option', ['verify', '--max-age', '-5', query], /--max-age needs a value/, 'verify '],
    ['a value given to a flag', ['verify', '--json=yes', query], /--json does not take a value/, 'verify '],
    ['a non-numeric app id', ['verify', '--app-id', '12ab', query], /--app-id must be a positive integer/, 'verify '],
    [
      'a non-numeric max-age',
      ['explain', '--max-age', '1h', query],
      /--max-age must be a whole number of seconds/,
      'explain ',
    ],
    [
      'an option given twice',
      ['verify', '--clock-skew', '1', '--clock-skew', '2', query],
      /--clock-skew is given more than once/,
      'verify ',
    ],
    ['two inputs', ['verify', query, query], /takes one INPUT, but 2 arguments were given/, 'verify '],
    [
      'a non-numeric user id',
      ['sign', '--user-id', 'durov', '--app-id', '1'],
      /--user-id must be a positive integer/,
      'sign ',
    ],
    ['a missing user id', ['sign', '--app-id', '1'], /--user-id is required/, 'sign '],
    ['a non-numeric ts', ['sign', ...id, '--ts', 'now'], /--ts must be Unix seconds/, 'sign '],
    ['a --param that is not vk_*', ['sign', ...id, '--param', 'ref=x'], /only vk_\* params are signed/, 'sign '],
    ['a key given twice', ['sign', ...id, '--param', 'vk_user_id=3'], /vk_user_id is given twice/, 'sign '],
    ['--url with --bearer', ['sign', ...id, '--url', 'http://x/', '--bearer'], /cannot be used together/, 'sign '],
    ['an argument to sign', ['sign', ...id, 'extra'], /takes no arguments/, 'sign '],
    ['no secret', ['verify', query], /No secret: set VK_APP_SECRET to the app's Secure key/, 'verify ', false],
    ['an empty VK_APP_SECRET', ['sign', ...id], /VK_APP_SECRET is set but empty/, 'sign ', ''],
    ['an empty --secret', ['explain', '--secret=', query], /--secret is empty/, 'explain '],
  ] as const)('%s', async (_, args, message, help, secret?: string | false) => {
    const result = await cli(args, secret === undefined ? {} : { secret });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`Run "vk-miniapp-auth ${help}--help" for usage.`);
  });

  it('prints one JSON document on stdout too with --json', async () => {
    const result = await cli(['verify', '--json', '--app-id', 'x', query]);
    expect(result.status).toBe(2);
    expect(result.json()).toEqual({
      command: 'verify',
      ok: false,
      exitCode: 2,
      error: { code: 'USAGE', message: '--app-id must be a positive integer, such as 6736218.' },
    });
  });
});

describe.concurrent('sign', () => {
  it('prints a query with the documented defaults and vk_ts now, which verify accepts', async () => {
    const before = nowSeconds();
    const signed = await cli(['sign', '--user-id', '494075', '--app-id', '6736218']);
    expect(signed.status).toBe(0);
    expect(signed.stderr).toBe('');
    const query = signed.stdout.trim();
    const params = Object.fromEntries(new URLSearchParams(query));
    expect(params).toMatchObject({
      vk_access_token_settings: '',
      vk_app_id: '6736218',
      vk_are_notifications_enabled: '0',
      vk_is_app_user: '1',
      vk_is_favorite: '0',
      vk_language: 'ru',
      vk_platform: 'desktop_web',
      vk_ref: 'other',
      vk_user_id: '494075',
    });
    expect(Number(params.vk_ts)).toBeGreaterThanOrEqual(before);
    expect(Number(params.vk_ts)).toBeLessThanOrEqual(nowSeconds());
    const verified = await cli(['verify', query, '--app-id', '6736218']);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^VALID launch params of user 494075, app 6736218\n/);
  });

  it('signs exactly what VK signs: the sorted vk_* pairs, PHP-urlencoded; --param overrides', async () => {
    const result = await cli([
      'sign',
      '--minimal',
      ...['--user-id', '7', '--app-id', '9', '--ts', '1700000000', '--platform', 'mobile_iphone'],
      ...['--param', 'vk_access_token_settings=friends,photos', '--param', 'vk_ref=a b'],
      ...['--param', 'vk_experiment={"1":0}'],
    ]);
    expect(result.status).toBe(0);
    const message =
      'vk_access_token_settings=friends%2Cphotos&vk_app_id=9&vk_experiment=%7B%221%22%3A0%7D&vk_platform=mobile_iphone&vk_ref=a+b&vk_ts=1700000000&vk_user_id=7';
    expect(result.stdout).toBe(`${message}&sign=${hmac(message)}\n`);
  });

  it('appends the query to --url, before a #fragment', async () => {
    const args = ['sign', '--minimal', '--user-id', '1', '--app-id', '2', '--ts', '1700000000'];
    const message = canonical({ vk_app_id: 2, vk_ts: 1700000000, vk_user_id: 1 });
    const query = `${message}&sign=${hmac(message)}`;
    const cases = [
      ['http://localhost:5173/', `http://localhost:5173/?${query}`],
      ['http://localhost:5173/?page=1#/home', `http://localhost:5173/?page=1&${query}#/home`],
    ];
    for (const [base, expected] of cases) {
      expect((await cli([...args, '--url', base as string])).stdout).toBe(`${expected}\n`);
    }
  });

  it('prints an Authorization value with --bearer, which verify accepts', async () => {
    const result = await cli(['sign', '--user-id', '1', '--app-id', '2', '--bearer']);
    expect(result.stdout).toMatch(/^Bearer vk_access_token_settings=&.*&sign=[\w-]{43}\n$/);
    expect((await cli(['verify', result.stdout.trim()])).status).toBe(0);
  });

  it('has a documented --json shape', async () => {
    const result = await cli([
      'sign',
      '--json',
      '--minimal',
      ...['--user-id', '1', '--app-id', '2', '--ts', '1700000000', '--url', 'https://a.example/'],
    ]);
    expect(result.status).toBe(0);
    const message = 'vk_app_id=2&vk_ts=1700000000&vk_user_id=1';
    const sign = hmac(message);
    expect(result.json()).toEqual({
      command: 'sign',
      ok: true,
      exitCode: 0,
      query: `${message}&sign=${sign}`,
      url: `https://a.example/?${message}&sign=${sign}`,
      authorization: `Bearer ${message}&sign=${sign}`,
      sign,
      params: { vk_app_id: '2', vk_ts: '1700000000', vk_user_id: '1' },
    });
  });

  it('takes the secret from --secret, with a warning on stderr that does not repeat it', async () => {
    const result = await cli(['sign', '--user-id', '1', '--app-id', '2', '--secret', 'other-secret'], {
      secret: false,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: --secret leaves the secret in shell history/);
    expect(result.stderr + result.stdout).not.toContain('other-secret');
    const query = result.stdout.trim();
    expect((await cli(['verify', query], { secret: 'other-secret' })).status).toBe(0);
  });
});

describe.concurrent('verify', () => {
  it.each(vectors.launchParams)('agrees with the known-answer vector $id', async (vector) => {
    const result = await cli(['verify', '--json', '--max-age', '0', vector.input], { secret: vector.secret });
    expect(result.status).toBe(vector.valid ? 0 : 1);
    const report = result.json();
    expect(report.ok).toBe(vector.valid);
    if (vector.valid) {
      const params = new URLSearchParams(vector.input.slice(vector.input.indexOf('?') + 1));
      expect((report.params as Record<string, unknown>).vk_user_id).toBe(Number(params.get('vk_user_id')));
    } else {
      expect((report.error as { code: string }).code).toBe('SIGN_INVALID');
    }
  });

  it('reads INPUT from stdin: a URL when INPUT is absent, an Authorization value for "-"', async () => {
    const query = launch();
    const url = await cli(['verify'], { stdin: `https://example.com/?${query}\n` });
    expect(url.status).toBe(0);
    expect(url.stdout).toContain('user 5, app 6');
    const base64 = Buffer.from(`?${query}`).toString('base64');
    expect((await cli(['verify', '-'], { stdin: `VK ${base64}\n` })).status).toBe(0);
  });

  it('refuses empty input as MISSING_CREDENTIALS (exit 1)', async () => {
    const result = await cli(['verify'], { stdin: '' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID MISSING_CREDENTIALS: /);
  });

  it('prints the code and message for invalid params, and points to explain', async () => {
    const result = await cli(['verify', launch().replace('vk_user_id=5', 'vk_user_id=50')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID SIGN_INVALID: The sign does not match/);
    expect(result.stdout).toContain('vk-miniapp-auth explain');
  });

  it('checks --max-age', async () => {
    const old = launch({ vk_ts: nowSeconds() - 7200 });
    const expired = await cli(['verify', '--json', old]);
    expect(expired.status).toBe(1);
    expect(expired.json()).toEqual({
      command: 'verify',
      ok: false,
      exitCode: 1,
      error: { code: 'EXPIRED', message: expect.stringMatching(/^The signed data are 7\d{3} s old/) },
    });
    expect((await cli(['verify', '--max-age', '86400', old])).status).toBe(0);
  });

  it('checks --app-id, which may be repeated', async () => {
    const wrongApp = await cli(['verify', '--json', '--app-id', '7', launch()]);
    expect(wrongApp.status).toBe(1);
    expect(wrongApp.json()).toMatchObject({ error: { code: 'APP_ID_MISMATCH' } });
    expect((await cli(['verify', '--app-id', '7', '--app-id', '6', launch()])).status).toBe(0);
  });

  it('checks --clock-skew', async () => {
    const future = launch({ vk_ts: nowSeconds() + 600 });
    expect((await cli(['verify', '--json', future])).json()).toMatchObject({ error: { code: 'TS_IN_FUTURE' } });
    expect((await cli(['verify', '--clock-skew', '900', future])).status).toBe(0);
  });

  it('has a documented --json shape on success', async () => {
    const query = launch({ vk_access_token_settings: 'friends,photos', vk_is_app_user: 1 });
    const report = (await cli(['verify', '--json', query])).json();
    expect(Object.keys(report)).toEqual(['command', 'ok', 'exitCode', 'params', 'ageSeconds']);
    expect(report).toMatchObject({ command: 'verify', ok: true, exitCode: 0 });
    expect(report.params).toEqual({
      vk_user_id: 5,
      vk_app_id: 6,
      sign: expect.stringMatching(/^[\w-]{43}$/),
      vk_access_token_settings: ['friends', 'photos'],
      vk_is_app_user: true,
      vk_platform: 'desktop_web',
      vk_ts: expect.any(Number),
    });
    expect(report.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(report.ageSeconds).toBeLessThan(60);
  });
});

describe.concurrent('secrets and colour', () => {
  it('never prints the secret: not in output, --json, warnings or errors', async () => {
    const fresh = launch();
    const bad = fresh.replace('vk_user_id=5', 'vk_user_id=6');
    const env = { secret: false } as const;
    const runs = await Promise.all([
      cli(['sign', '--json', '--user-id', '5', '--app-id', '6']),
      cli(['sign', '--secret', SECRET, '--user-id', 'x', '--app-id', '6'], env),
      cli(['sign', `--secret=${SECRET}`, '--sekret', SECRET], env),
      cli(['sign', `--secrte=${SECRET}`], env),
      cli(['verify', '--json', fresh]),
      cli(['verify', bad]),
      cli(['verify', '--json', '--secret', SECRET, SECRET, fresh], env),
      cli(['explain', '--json', fresh]),
      cli(['explain', bad]),
      cli(['explain', '--json', '--secret', SECRET, bad], env),
      cli([SECRET]),
    ]);
    for (const run of runs) {
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stderr).not.toContain(SECRET);
    }
    // The runs did fail and succeed as meant, so the check above saw real output.
    expect(runs.map((run) => run.status)).toEqual([0, 2, 2, 2, 0, 1, 2, 0, 1, 1, 2]);
  });

  it('writes no colour when the output is not a terminal, or with NO_COLOR or FORCE_COLOR=0', async () => {
    const query = launch();
    const runs = await Promise.all(
      [{}, { NO_COLOR: '1' }, { FORCE_COLOR: '0' }].flatMap((env) => [
        cli(['verify', query], { env }),
        cli(['explain', query], { env }),
      ]),
    );
    for (const run of runs) {
      expect(run.status).toBe(0);
      expect(run.stdout).not.toContain(ESCAPE);
    }
  });

  it('writes colour when FORCE_COLOR asks for it, and never into --json', async () => {
    const query = launch();
    const forced = { env: { FORCE_COLOR: '1' } };
    expect((await cli(['explain', query], forced)).stdout).toContain(`${ESCAPE}32m`);
    expect((await cli(['explain', '--json', query], forced)).stdout).not.toContain(ESCAPE);
  });
});
