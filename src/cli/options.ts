import { parseNonNegativeInteger, parsePositiveId } from '../launch-params/numbers.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

/** `--secret`, shared by every command. */
export const SECRET_OPTION: OptionSpec = {
  name: 'secret',
  value: 'KEY',
  description: "The app's Secure key. Prefer VK_APP_SECRET in the environment: an argument stays in shell history.",
};
/** `--json`, shared by every command. */
export const JSON_OPTION: OptionSpec = {
  name: 'json',
  description: 'Print one JSON document on stdout, errors included (its shape is in docs/cli.md).',
};
/** `--help`, shared by every command. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'Show this help.' };

/** The settings `verify` and `explain` share: the secret and what to check. */
export const CHECK_SETTING_OPTIONS: readonly OptionSpec[] = [
  SECRET_OPTION,
  {
    name: 'app-id',
    value: 'ID',
    repeatable: true,
    description: 'Accept only launches of this app (repeat for several apps).',
  },
  { name: 'max-age', value: 'SECONDS', description: 'Oldest accepted vk_ts; 0 turns expiry off. Default 3600.' },
  { name: 'clock-skew', value: 'SECONDS', description: 'Tolerated clock difference with VK. Default 30.' },
];

/** The options of `verify`. */
export const CHECK_OPTIONS: readonly OptionSpec[] = [...CHECK_SETTING_OPTIONS, JSON_OPTION, HELP_OPTION];

/** The environment variable the secret is read from. */
export const SECRET_ENV = 'VK_APP_SECRET';

/**
 * The secret from `--secret`, else from `VK_APP_SECRET`, else `undefined`.
 * An empty one is a usage error. Warns on stderr when it came from the command
 * line; never prints it.
 */
export function readSecret(args: ParsedArgs, io: Io, command: string): string | undefined {
  const option = args.values.get('secret')?.[0];
  if (option !== undefined) {
    if (option === '') throw new UsageError('--secret is empty.', command);
    io.stderr.write(
      `warning: --secret leaves the secret in shell history and the process list; prefer ${SECRET_ENV}=… in the environment.\n`,
    );
    return option;
  }
  const env = io.env[SECRET_ENV];
  if (env === undefined) return undefined;
  if (env === '') throw new UsageError(`${SECRET_ENV} is set but empty.`, command);
  return env;
}

/** The secret, or a usage error saying how to give it. */
export function requireSecret(args: ParsedArgs, io: Io, command: string): string {
  const secret = readSecret(args, io, command);
  if (secret === undefined) throw noSecret(command);
  return secret;
}

/** The usage error for a command that needs the secret and got none. */
export function noSecret(command: string): UsageError {
  return new UsageError(
    `No secret: set ${SECRET_ENV} to the app's Secure key (or pass --secret, which stays in shell history).`,
    command,
  );
}

/** A positive integer from `text`, or a usage error naming `--name` (the value itself is not echoed). */
export function positiveInteger(text: string, name: string, command: string): number {
  const value = parsePositiveId(text);
  if (value === undefined) throw new UsageError(`--${name} must be a positive integer, such as 6736218.`, command);
  return value;
}

/** A whole number of seconds, 0 or more, from option `--name`, or `fallback` when it is absent. */
export function seconds(args: ParsedArgs, name: string, fallback: number, command: string): number {
  const text = args.values.get(name)?.[0];
  if (text === undefined) return fallback;
  const value = parseNonNegativeInteger(text);
  if (value === undefined) {
    throw new UsageError(`--${name} must be a whole number of seconds, 0 or more.`, command);
  }
  return value;
}

/** The settings `verify` and `explain` share. */
export interface CheckSettings {
  readonly secret: string | undefined;
  readonly appIds: readonly number[] | undefined;
  readonly maxAge: number;
  readonly clockSkew: number;
}

/** Reads `--app-id`, `--max-age` and `--clock-skew`, and the secret (which may be absent). */
export function readCheckSettings(
  args: ParsedArgs,
  io: Io,
  command: string,
  defaults: { maxAge: number; clockSkew: number },
): CheckSettings {
  const ids = args.values.get('app-id');
  return {
    appIds: ids?.map((id) => positiveInteger(id, 'app-id', command)),
    maxAge: seconds(args, 'max-age', defaults.maxAge, command),
    clockSkew: seconds(args, 'clock-skew', defaults.clockSkew, command),
    // Read last: a bad option is reported before the --secret warning.
    secret: readSecret(args, io, command),
  };
}
