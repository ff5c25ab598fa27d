import { signLaunchParams } from '../../index.js';
import { isSignedKey } from '../../launch-params/canonical.js';
import { parseNonNegativeInteger } from '../../launch-params/numbers.js';
import { TYPICAL_LAUNCH_PARAMS } from '../../launch-params/typical.js';
import type { ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { HELP_OPTION, JSON_OPTION, positiveInteger, requireSecret, SECRET_OPTION } from '../options.js';
import { writeJson } from '../output.js';

/** The `--json` document of `sign`. */
export interface SignReport {
  readonly command: 'sign';
  readonly ok: true;
  readonly exitCode: 0;
  /** The signed query, without a leading `?`: the `vk_*` pairs in canonical order, then `sign`. */
  readonly query: string;
  /** `--url` with the query appended, or `null`. */
  readonly url: string | null;
  /** The value for an `Authorization` header: `Bearer <query>`. */
  readonly authorization: string;
  readonly sign: string;
  /** Every signed pair, as the text that was signed (before URL encoding). */
  readonly params: Readonly<Record<string, string>>;
}

const NAME = 'sign';

/** The keys `sign` sets itself: the only `--param` keys a message may name. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'vk_user_id',
  'vk_app_id',
  'vk_ts',
  'vk_platform',
  ...Object.keys(TYPICAL_LAUNCH_PARAMS),
]);

/** `vk-miniapp-auth sign`: signed launch params for local development and tests. */
export const signCommand: Command = {
  name: NAME,
  summary: 'Make signed launch params (a query or a URL) for local development and tests.',
  usage: ['sign --user-id ID --app-id ID [--platform P] [--ts SECONDS] [--param vk_x=y]… [--url BASE | --bearer]'],
  description: [
    'Signs vk_* launch params with the secret the way VK does and prints the query (the pairs in',
    'canonical order, then sign). Unless --minimal is given, the usual params are added with these',
    'defaults, each overridable with --param: vk_access_token_settings= (empty),',
    'vk_are_notifications_enabled=0, vk_is_app_user=1, vk_is_favorite=0, vk_language=ru,',
    'vk_platform=desktop_web, vk_ref=other. vk_ts defaults to now.',
    '',
    'The secret comes from VK_APP_SECRET (recommended) or --secret. For tests and local development',
    'only: in production, only VK signs launch params.',
  ],
  options: [
    SECRET_OPTION,
    { name: 'user-id', value: 'ID', description: 'vk_user_id: the user to sign for (required).' },
    { name: 'app-id', value: 'ID', description: 'vk_app_id: the app (required).' },
    { name: 'platform', value: 'NAME', description: 'vk_platform, such as mobile_android. Default desktop_web.' },
    { name: 'ts', value: 'SECONDS', description: 'vk_ts, Unix seconds. Default now.' },
    {
      name: 'param',
      value: 'vk_x=y',
      repeatable: true,
      description: 'Any other vk_* param, as plain (not URL-encoded) text; repeatable.',
    },
    { name: 'minimal', description: 'Sign only vk_user_id, vk_app_id, vk_ts and what is given explicitly.' },
    { name: 'url', value: 'BASE', description: 'Print BASE with the signed query appended, instead of the query.' },
    { name: 'bearer', description: 'Print an Authorization header value: "Bearer <query>".' },
    JSON_OPTION,
    HELP_OPTION,
  ],
  examples: [
    ['a query for user 494075 of app 6736218, signed now', 'vk-miniapp-auth sign --user-id 494075 --app-id 6736218'],
    [
      'a launch URL for a local front end',
      'vk-miniapp-auth sign --user-id 494075 --app-id 6736218 --platform mobile_iphone --url http://localhost:5173/',
    ],
    [
      'a launch two hours old, to test expiry',
      'vk-miniapp-auth sign --user-id 1 --app-id 6736218 --ts $(( $(date +%s) - 7200 ))',
    ],
    [
      'call your API as that user',
      'curl -H "Authorization: $(vk-miniapp-auth sign --user-id 1 --app-id 6736218 --bearer)" http://localhost:3000/api/me',
    ],
  ],
  run: runSign,
};

async function runSign(args: ParsedArgs, io: Io) {
  if (args.positionals.length > 0) {
    throw new UsageError('"sign" takes no arguments, only options.', NAME);
  }
  if (args.values.has('url') && args.flags.has('bearer')) {
    throw new UsageError('--url and --bearer cannot be used together.', NAME);
  }
  const params = readParams(args, io);
  const secret = requireSecret(args, io, NAME);
  const query = await signLaunchParams(params, secret);
  const base = args.values.get('url')?.[0];
  const url = base === undefined ? null : appendQuery(base, query);
  const authorization = `Bearer ${query}`;
  if (args.flags.has('json')) {
    const report: SignReport = {
      command: 'sign',
      ok: true,
      exitCode: 0,
      query,
      url,
      authorization,
      sign: query.slice(query.lastIndexOf('sign=') + 5),
      params: sortedParams(params),
    };
    writeJson(io.stdout, report);
  } else {
    io.stdout.write(`${url ?? (args.flags.has('bearer') ? authorization : query)}\n`);
  }
  return EXIT.ok;
}

/** The params to sign: defaults, then the named options, then `--param`s (a key given twice is an error). */
function readParams(args: ParsedArgs, io: Io): Record<string, string> {
  const userId = args.values.get('user-id')?.[0];
  const appId = args.values.get('app-id')?.[0];
  if (userId === undefined) throw new UsageError('--user-id is required.', NAME);
  if (appId === undefined) throw new UsageError('--app-id is required.', NAME);
  const explicit = new Map<string, string>();
  const set = (key: string, value: string, from: string) => {
    if (explicit.has(key)) {
      // A --param key is part of its value: it is named only when it is one the CLI itself knows.
      const name = KNOWN_KEYS.has(key) ? key : 'The same vk_* key';
      throw new UsageError(`${name} is given twice (again by ${from}).`, NAME);
    }
    explicit.set(key, value);
  };
  set('vk_user_id', String(positiveInteger(userId, 'user-id', NAME)), '--user-id');
  set('vk_app_id', String(positiveInteger(appId, 'app-id', NAME)), '--app-id');
  set('vk_ts', readTs(args.values.get('ts')?.[0], io), '--ts');
  const platform = args.values.get('platform')?.[0];
  if (platform !== undefined) {
    if (platform === '') throw new UsageError('--platform is empty.', NAME);
    set('vk_platform', platform, '--platform');
  }
  for (const param of args.values.get('param') ?? []) {
    const eq = param.indexOf('=');
    const key = eq === -1 ? param : param.slice(0, eq);
    if (eq === -1 || !isSignedKey(key) || key.length === 3) {
      throw new UsageError(
        '--param takes vk_name=value (only vk_* params are signed; add any other param to the URL yourself).',
        NAME,
      );
    }
    set(key, param.slice(eq + 1), '--param');
  }
  const params: Record<string, string> = args.flags.has('minimal') ? {} : { ...TYPICAL_LAUNCH_PARAMS };
  for (const [key, value] of explicit) params[key] = value;
  return params;
}

function readTs(text: string | undefined, io: Io): string {
  if (text === undefined) return String(Math.floor(io.now() / 1000));
  if (parseNonNegativeInteger(text) === undefined) {
    throw new UsageError('--ts must be Unix seconds, a whole number such as 1700000000.', NAME);
  }
  return text;
}

/** `base` with `query` appended: after `?` or `&` as needed, and before any `#fragment`. */
export function appendQuery(base: string, query: string): string {
  const hash = base.indexOf('#');
  const head = hash === -1 ? base : base.slice(0, hash);
  const fragment = hash === -1 ? '' : base.slice(hash);
  const separator = !head.includes('?') ? '?' : head.endsWith('?') || head.endsWith('&') ? '' : '&';
  return `${head}${separator}${query}${fragment}`;
}

function sortedParams(params: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(params).sort()) sorted[key] = params[key] as string;
  return sorted;
}
