// Runs the built command-line tool as a child process, as a user's shell would.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(root, 'dist/cli/vk-miniapp-auth.mjs');
export const VERSION: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/** A secret distinctive enough that finding it anywhere in the output means it leaked. */
export const SECRET = 'Sec7-cli-DO-NOT-PRINT-9f3a1c';

/** Fails the suite with a clear message when the binary has not been built. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run \`npm run build\` first (\`npm test\` does it).`);
  }
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  readonly json: () => Record<string, unknown>;
}

export interface CliOptions {
  /** Extra environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Text piped to stdin; without it stdin is /dev/null. */
  readonly stdin?: string;
  /** Put `VK_APP_SECRET` in the environment (default true). */
  readonly secret?: string | false;
  /** Run the file itself through its shebang instead of `node file`. */
  readonly direct?: boolean;
}

// Variables of the test run that would change the tool's behaviour.
const SCRUBBED = ['VK_APP_SECRET', 'NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'TERM'];

/** Runs `vk-miniapp-auth ...args` and captures everything. */
export function cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !SCRUBBED.includes(key)) env[key] = value;
  }
  const secret = options.secret ?? SECRET;
  if (secret !== false) env.VK_APP_SECRET = secret;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const [command, commandArgs] = options.direct ? [BIN, args] : [process.execPath, [BIN, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin?.end(options.stdin);
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}

/** HMAC-SHA256 base64url: what VK puts in `sign`, computed here over any string, right or wrong. */
export function hmac(message: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(message).digest('base64url');
}

/** Now, in Unix seconds. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** PHP's urlencode, written out independently of the library, as the oracle for the canonical string. */
export function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical string of `vk_*` params: sorted by key, each side PHP-urlencoded. */
export function canonical(params: Readonly<Record<string, string | number>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${phpUrlencode(key)}=${phpUrlencode(String(params[key]))}`)
    .join('&');
}

/** Launch params for user 5 of app 6, signed now with {@link SECRET}; `overrides` replace or add keys. */
export function launch(overrides: Readonly<Record<string, string | number>> = {}, secret = SECRET): string {
  const message = canonical({
    vk_app_id: 6,
    vk_platform: 'desktop_web',
    vk_ts: nowSeconds(),
    vk_user_id: 5,
    ...overrides,
  });
  return `${message}&sign=${hmac(message, secret)}`;
}
