// No spelling of any option, right or wrong, makes the CLI print its value:
// one of them may be the secret. A marker stands for it, in every spelling a
// hurried hand might type (`-secret=KEY`, `-s=KEY`, `--secKEY`, `-KEY`, a value
// after an unknown flag, KEY where the command goes, …), and must appear
// nowhere in stdout or stderr, as text or as --json. The property runs
// in-process against `run` (many cases), then against the built binary.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import type { Io } from '../../src/cli/io.js';
import { COMMANDS, run } from '../../src/cli/run.js';
import { assertBuilt, cli, launch, SECRET } from './run-cli.js';

/** The secret to keep out of the output, in the shapes a Secure key, a word or a token may take. */
const marker = fc.oneof(
  // Letters only: reads like a command or an option name.
  fc.stringMatching(/^[a-z]{8,16}$/).map((tail) => `zq${tail}`),
  // Like a Secure key.
  fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((tail) => `Zq7${tail}`),
  // With the characters of options themselves.
  fc.stringMatching(/^[A-Za-z0-9_=-]{8,16}$/).map((tail) => `Zq-${tail}`),
);

const OPTION_NAMES = [
  ...new Set(COMMANDS.flatMap((command) => command.options.flatMap((o) => (o.short ? [o.name, o.short] : [o.name])))),
];

/** What goes between the option's name and the secret: `=`, nothing (glued), or a space (two arguments). */
type Joiner = '=' | '' | ' ';

/** One way to type the secret on the command line. */
type Spelling =
  | { readonly kind: 'option'; readonly dashes: string; readonly name: string; readonly joiner: Joiner }
  /** The secret alone: where the command goes, or as an argument `sign` does not take. */
  | { readonly kind: 'bare' }
  /** `--param vk_KEY=…` twice: the key is part of --param's value. */
  | { readonly kind: 'param-key' };

const spelling: fc.Arbitrary<Spelling> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('option' as const),
      dashes: fc.constantFrom('-', '--', '---', ''),
      name: fc.oneof(
        fc.constantFrom(...OPTION_NAMES, 'v', 'version', 's', 'S', 'k', 'sec', 'secr', 'secrte', 'sekret'),
        fc.constantFrom('SECRET', 'Secret', 'key', 'app_id', 'max-agee', 'foo', ''),
        fc.stringMatching(/^[a-z][a-z-]{0,12}$/),
      ),
      joiner: fc.constantFrom<Joiner>('=', '', ' '),
    }),
  },
  // The secret given right, which is never printed either, even when the command succeeds.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('option' as const),
      dashes: fc.constant('--'),
      name: fc.constant('secret'),
      joiner: fc.constantFrom<Joiner>('=', ' '),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'bare' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'param-key' as const }) },
);

function tokens(spelt: Spelling, secret: string): string[] {
  if (spelt.kind === 'bare') return [secret];
  if (spelt.kind === 'param-key') return ['--param', `vk_${secret}=1`, '--param', `vk_${secret}=2`];
  const head = `${spelt.dashes}${spelt.name}`;
  return spelt.joiner === ' ' ? [head, secret] : [`${head}${spelt.joiner}${secret}`];
}

/**
 * Whether the command prints the marker by design, so the case says nothing:
 * `sign` prints the --platform and --url it is given.
 */
function shownByDesign(command: Command | undefined, spelt: Spelling): boolean {
  if (command?.name !== 'sign' || spelt.kind !== 'option' || spelt.joiner === '') return false;
  const head = `${spelt.dashes}${spelt.name}`;
  return head === '--platform' || head === '--url';
}

/**
 * Whether the marker may end up as an argument rather than an option or its
 * value: `verify` and `explain` show their INPUT, so the launch is then given
 * as an argument too, and two arguments are a usage error.
 */
const mayBeArgument = (spelt: Spelling): boolean =>
  spelt.kind === 'bare' || (spelt.kind === 'option' && (spelt.dashes === '' || spelt.joiner === ' '));

const scenario = fc.record({
  command: fc.constantFrom('sign', 'verify', 'explain', null),
  spellings: fc.array(spelling, { minLength: 1, maxLength: 2 }),
  at: fc.nat(),
  input: fc.constantFrom('argument', 'stdin'),
  envSecret: fc.boolean(),
  showExpected: fc.boolean(),
  secret: marker,
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The command line of a scenario, or `undefined` when it would print the marker by design. */
function commandLine(s: Scenario, query: string): string[] | undefined {
  const command = COMMANDS.find((candidate) => candidate.name === s.command);
  if (s.spellings.some((spelt) => shownByDesign(command, spelt))) return undefined;
  const hostile = s.spellings.flatMap((spelt) => tokens(spelt, s.secret));
  if (command === undefined) return [...hostile, 'verify', query];
  const rest =
    command.name === 'sign'
      ? ['--user-id', '5', '--app-id', '6']
      : [
          ...(s.input === 'argument' || s.spellings.some(mayBeArgument) ? [query] : []),
          ...(command.name === 'explain' && s.showExpected ? ['--show-expected-sign'] : []),
        ];
  const at = s.at % (rest.length + 1);
  return [command.name, ...rest.slice(0, at), ...hostile, ...rest.slice(at)];
}

/** The same command line asking for --json: right after the command, before any `--`. */
const withJson = (argv: readonly string[]): string[] => [argv[0] as string, '--json', ...argv.slice(1)];

function memoryIo(env: Record<string, string>, stdin: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
      },
      isTTY: false,
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY: false,
    },
    env,
    stdinIsTTY: false,
    readStdin: async () => stdin,
    now: Date.now,
  };
  return { io, output: () => ({ stdout, stderr }) };
}

// A launch with a sign that does not match, so `explain` works through every step and its pitfalls.
const tampered = launch().replace('vk_user_id=5', 'vk_user_id=7');

describe('no spelling of an option echoes its value', () => {
  it('in-process: in text and --json, for every command', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const argv = commandLine(s, tampered);
        fc.pre(argv !== undefined);
        for (const line of [argv, withJson(argv)]) {
          const { io, output } = memoryIo(s.envSecret ? { VK_APP_SECRET: SECRET } : {}, tampered);
          await run(line, io);
          const { stdout, stderr } = output();
          expect(stdout, line.join(' ')).not.toContain(s.secret);
          expect(stderr, line.join(' ')).not.toContain(s.secret);
        }
      }),
      { numRuns: 3000 },
    );
  });

  describe('the built binary', () => {
    beforeAll(assertBuilt);

    it('in text and --json, for every command', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          const argv = commandLine(s, tampered);
          fc.pre(argv !== undefined);
          const options = { secret: s.envSecret ? SECRET : false, stdin: tampered } as const;
          for (const result of await Promise.all([cli(argv, options), cli(withJson(argv), options)])) {
            expect(result.stdout, argv.join(' ')).not.toContain(s.secret);
            expect(result.stderr, argv.join(' ')).not.toContain(s.secret);
            // A bug in the CLI would print its message (exit 70): none of these may reach one.
            expect(result.status, argv.join(' ')).not.toBe(70);
          }
        }),
        // Each case spawns two processes: no shrinking, the failing command line is in the message.
        { numRuns: 30, endOnFailure: true },
      );
    }, 120_000);
  });
});

describe.concurrent('the spellings the review found, on the built binary', () => {
  beforeAll(assertBuilt);

  const KEY = 'Zq7reviewKEY4d2b';
  const query = launch();
  const glued = 'Did you mean --secret? Its value goes after a space or "=": --secret KEY or --secret=KEY.';
  it.each([
    [[`-secret=${KEY}`], 'Unknown option -secret at argument 2 for "verify". Did you mean --secret?'],
    [[`---secret=${KEY}`], 'Unknown option ---secret at argument 2 for "verify". Did you mean --secret?'],
    [[`-SECRET=${KEY}`], 'Unknown option -SECRET at argument 2 for "verify". Did you mean --secret?'],
    [[`-s=${KEY}`], 'Unknown option at argument 2 for "verify". Did you mean --secret?'],
    [[`--sec=${KEY}`], 'Unknown option at argument 2 for "verify". Did you mean --secret?'],
    [[`--secrte=${KEY}`], 'Unknown option at argument 2 for "verify". Did you mean --secret?'],
    [[`-h=${KEY}`], '--help does not take a value.'],
    [[`--json=${KEY}`], '--json does not take a value.'],
    [[`-secret${KEY}`], `Unknown option at argument 2 for "verify". ${glued}`],
    [[`--secret${KEY}`], `Unknown option at argument 2 for "verify". ${glued}`],
    [[`-s${KEY}`], 'Unknown option at argument 2 for "verify".'],
    [[`-h${KEY}`], 'Unknown option at argument 2 for "verify". Did you mean --help?'],
    [[`--foo=${KEY}`], 'Unknown option at argument 2 for "verify".'],
    [['--foo', KEY], 'Unknown option at argument 2 for "verify".'],
    [['-s', KEY], 'Unknown option at argument 2 for "verify". Did you mean --secret?'],
    [[`--${KEY}`], 'Unknown option at argument 2 for "verify".'],
    [[`-${KEY}`], 'Unknown option at argument 2 for "verify".'],
    [[`--=${KEY}`], 'Unknown option at argument 2 for "verify".'],
    [['--secret', KEY, KEY], '"verify" takes one INPUT, but 2 arguments were given; put INPUT in single quotes.'],
  ])('verify %j', async (spelt, message) => {
    const [text, json] = await Promise.all([
      cli(['verify', ...spelt, query], { secret: false }),
      cli(['verify', ...spelt, query, '--json'], { secret: false }),
    ]);
    expect(text.status).toBe(2);
    expect(text.stdout).toBe('');
    // After the --secret warning, when a --secret was read.
    expect(text.stderr).toMatch(/^(?:warning: --secret .*\n)?vk-miniapp-auth: /);
    expect(text.stderr).toContain(`vk-miniapp-auth: ${message}\nRun "vk-miniapp-auth verify --help" for usage.\n`);
    expect(text.stderr + json.stdout).not.toContain(KEY);
    expect(json.status).toBe(2);
    expect(json.json()).toEqual({ command: 'verify', ok: false, exitCode: 2, error: { code: 'USAGE', message } });
    expect(json.stderr).toBe(text.stderr);
  });

  it('names neither an unknown command nor a --param key it does not know', async () => {
    const [command, param] = await Promise.all([
      cli([KEY.toLowerCase().replace(/\d/g, 'x'), 'verify', '--json']),
      cli(['sign', '--user-id', '1', '--app-id', '2', '--param', `vk_${KEY}=1`, '--param', `vk_${KEY}=2`]),
    ]);
    expect(command.json()).toMatchObject({
      command: null,
      error: { message: 'Unknown command at argument 1; the commands are sign, verify, explain.' },
    });
    expect(param.stderr).toMatch(/^vk-miniapp-auth: The same vk_\* key is given twice \(again by --param\)\.\n/);
    for (const result of [command, param]) {
      expect(result.status).toBe(2);
      expect(result.stdout + result.stderr).not.toMatch(new RegExp(KEY, 'i'));
    }
  });
});
