import {
  DEFAULT_CLOCK_SKEW,
  DEFAULT_MAX_AGE,
  type LaunchParams,
  VkAuthError,
  verifyLaunchParams,
} from '../../index.js';
import type { ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT } from '../errors.js';
import { readInput } from '../input.js';
import type { Io } from '../io.js';
import { CHECK_OPTIONS, noSecret, readCheckSettings } from '../options.js';
import { age, pad, printable, styleFor, writeJson } from '../output.js';

/** The `--json` document of `verify`. */
export type VerifyReport =
  | {
      readonly command: 'verify';
      readonly ok: true;
      readonly exitCode: 0;
      /** The verified params, typed as `verifyLaunchParams` returns them (numbers, booleans, lists). */
      readonly params: LaunchParams;
      /** Seconds since `vk_ts`, or `null` without one. */
      readonly ageSeconds: number | null;
    }
  | {
      readonly command: 'verify';
      readonly ok: false;
      readonly exitCode: 1;
      /** The library's stable error code and its message. */
      readonly error: { readonly code: string; readonly message: string };
    };

const NAME = 'verify';

/** `vk-miniapp-auth verify`: the library's verdict, as an exit code. */
export const verifyCommand: Command = {
  name: NAME,
  summary: 'Check launch params; exit 0 when valid, 1 when invalid.',
  usage: ['verify [INPUT] [--app-id ID]… [--max-age SECONDS] [--clock-skew SECONDS]'],
  description: [
    'INPUT is a launch URL, a query (with or without "?"), a base64 token, or an Authorization',
    'value ("Bearer …", "VK …"). Without INPUT, or with "-", it is read from stdin. Put it in',
    'single quotes: an unquoted "&" ends the command in the shell.',
    '',
    'The secret comes from VK_APP_SECRET (recommended) or --secret. Exit codes: 0 valid, 1 invalid',
    '(the error code and message are printed), 2 usage error (including no secret).',
    'For why launch params fail, run "explain" with the same arguments.',
  ],
  options: CHECK_OPTIONS,
  examples: [
    [
      'check a launch URL',
      "vk-miniapp-auth verify 'https://example.com/?vk_user_id=494075&vk_app_id=6736218&…&sign=…'",
    ],
    [
      'check an Authorization header value from stdin, for one app',
      'pbpaste | vk-miniapp-auth verify --app-id 6736218',
    ],
    ['check old launch params, with expiry off', "vk-miniapp-auth verify --max-age 0 '?vk_user_id=…&sign=…'"],
  ],
  run: runVerify,
};

async function runVerify(args: ParsedArgs, io: Io) {
  const settings = readCheckSettings(args, io, NAME, { maxAge: DEFAULT_MAX_AGE, clockSkew: DEFAULT_CLOCK_SKEW });
  if (settings.secret === undefined) throw noSecret(NAME);
  const { secret } = settings;
  const input = await readInput(args.positionals, io, NAME);
  const json = args.flags.has('json');
  try {
    const params = await verifyLaunchParams(input, {
      secret,
      ...(settings.appIds ? { appId: settings.appIds } : {}),
      maxAge: settings.maxAge,
      clockSkew: settings.clockSkew,
      now: io.now,
    });
    const ageSeconds = params.vk_ts === undefined ? null : Math.floor((io.now() - toMs(params.vk_ts)) / 1000);
    if (json) writeJson(io.stdout, { command: 'verify', ok: true, exitCode: 0, params, ageSeconds } as VerifyReport);
    else printValid(io, params, ageSeconds);
    return EXIT.ok;
  } catch (error) {
    if (!VkAuthError.is(error)) throw error;
    if (json) {
      const report: VerifyReport = {
        command: 'verify',
        ok: false,
        exitCode: 1,
        error: { code: error.code, message: error.message },
      };
      writeJson(io.stdout, report);
    } else {
      const style = styleFor(io.stdout, io.env);
      io.stdout.write(`${style.bad(style.bold('INVALID'))} ${style.bold(error.code)}: ${error.message}\n`);
      const hint = CLI_HINTS[error.code];
      if (hint !== undefined) io.stdout.write(`${hint}\n`);
      io.stdout.write(style.dim('Run "vk-miniapp-auth explain" with the same arguments for the likely cause.\n'));
    }
    return EXIT.invalid;
  }
}

// The library's messages name the option (`maxAge`); on the command line it is a flag.
const CLI_HINTS: Partial<Record<string, string>> = {
  TS_MISSING: 'Pass --max-age 0 to accept launch params without vk_ts.',
  EXPIRED: 'Pass --max-age 0 (expiry off) or a larger --max-age to check old launch params anyway.',
  TS_IN_FUTURE: "Pass a larger --clock-skew if this machine's clock is behind.",
};

function toMs(ts: number): number {
  return ts > 1e12 ? ts : ts * 1000;
}

function printValid(io: Io, params: LaunchParams, ageSeconds: number | null): void {
  const style = styleFor(io.stdout, io.env);
  io.stdout.write(
    `${style.good(style.bold('VALID'))} launch params of user ${params.vk_user_id}, app ${params.vk_app_id}\n`,
  );
  const keys = Object.keys(params).filter((key) => key !== 'sign');
  const width = Math.min(28, Math.max(...keys.map((key) => key.length)));
  for (const key of keys) {
    const value = (params as unknown as Record<string, unknown>)[key];
    let text = printable(Array.isArray(value) ? value.join(',') : String(value));
    if (text === '') text = style.dim('(empty)');
    if (key === 'vk_ts' && ageSeconds !== null) text += style.dim(` (${age(ageSeconds)})`);
    io.stdout.write(`  ${pad(printable(key), width)}  ${text}\n`);
  }
}
