// What the demo server's tests share: the stores under test (SQLite in a temp
// folder; PostgreSQL in a schema of its own per run), and a real `node
// examples/demo/server/main.mjs` process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'examples/demo/server/main.mjs');

/** The demo imports the library by name, i.e. the build: say so plainly when it is missing. */
export function requireBuild(): void {
  for (const entry of ['dist/node/index.mjs', 'dist/node/fastify.mjs']) {
    if (!existsSync(join(ROOT, entry))) {
      throw new Error(
        `${entry} is missing: the demo runs on the built library; run \`npm run build\` (npm test does).`,
      );
    }
  }
}

/** `DATABASE_URL` of the PostgreSQL server to test on, if any. */
export const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;
/** Under CI the PostgreSQL tests must run; locally they may be skipped. */
export const IN_CI = Boolean(process.env.CI);

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How many rows the users table holds for one VK user, read with a connection of the test's own. */
export type RowCounter = (vkUserId: number) => Promise<number>;

/** A fresh SQLite file in a temp folder, and a row counter reading it directly. */
export function sqliteDatabase(): { path: string; countRows: RowCounter; remove: () => void } {
  const temp = tempDir('vk-demo-sqlite-');
  const path = join(temp.dir, 'demo.sqlite');
  return {
    path,
    countRows: async (vkUserId) => {
      const db = new Database(path, { readonly: true });
      try {
        const row = db.prepare('SELECT count(*) AS n FROM demo_users WHERE vk_user_id = ?').get(vkUserId) as {
          n: number;
        };
        return row.n;
      } finally {
        db.close();
      }
    },
    remove: temp.remove,
  };
}

/**
 * A schema of its own on the PostgreSQL server of `DATABASE_URL`, so reruns
 * start clean: `url` points at it through `search_path`, `drop` removes it.
 */
export async function postgresSchema(baseUrl: string): Promise<{
  url: string;
  countRows: RowCounter;
  drop: () => Promise<void>;
}> {
  const schema = `vk_demo_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Cannot connect to DATABASE_URL (${(error as Error).message}); is the PostgreSQL server up?`);
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    countRows: async (vkUserId) => {
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.demo_users WHERE vk_user_id = $1`, [
        vkUserId,
      ]);
      return (rows[0] as { n: number }).n;
    },
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

export { freePort } from '../ports.js';

/** A running `node examples/demo/server/main.mjs`, with what it printed so far. */
export interface DemoProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Resolves to the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the demo as `npm start` does after its build: `node examples/demo/server/main.mjs`
 * from the repository's root, with `env` over a clean slate of the demo's variables.
 */
export function startDemo(env: Record<string, string>): DemoProcess {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '',
      HOST: '',
      VK_APP_ID: '',
      VK_APP_SECRET: '',
      DATABASE_URL: '',
      SQLITE_PATH: '',
      LOG_LEVEL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Polls `GET /health` until it answers 200 `{"ok":true}`, or fails after `timeoutMs` (or when the process ends). */
export async function waitForHealth(demo: DemoProcess, origin: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void demo.exited.then(() => {
    ended = true;
  });
  for (;;) {
    try {
      const response = await fetch(`${origin}/health`);
      if (response.status === 200 && (await response.json()).ok === true) return;
    } catch {
      // not listening yet
    }
    if (ended || Date.now() > deadline) {
      const { stdout, stderr } = demo.output();
      throw new Error(`The demo did not come up at ${origin}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ends a demo process that a failed test left running. */
export function killDemo(demo: DemoProcess | undefined): void {
  if (demo && demo.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
}

/**
 * Opens a store on first use rather than in `beforeAll`: a database that cannot
 * be reached then fails each test (and is counted so) instead of skipping them.
 * Closes it after the suite.
 */
export function lazyStore<Store extends { close(): Promise<void> }>(open: () => Promise<Store>): () => Promise<Store> {
  let opened: Promise<Store> | undefined;
  afterAll(async () => {
    await (await opened?.catch(() => undefined))?.close();
  });
  return () => {
    opened ??= open();
    return opened;
  };
}

/**
 * Whether the PostgreSQL suites run. Without DATABASE_URL they skip locally
 * (with a warning, once), and under CI a failing test says what is missing.
 */
export function postgresAvailable(suite: string): boolean {
  if (DATABASE_URL !== undefined) return true;
  if (IN_CI) {
    describe(suite, () => {
      it('runs under CI, where DATABASE_URL must be set', () => {
        throw new Error(
          'CI is set but DATABASE_URL is not: .ci/run must start PostgreSQL ' +
            '(export DATABASE_URL="$(bash examples/demo/scripts/start-postgres.sh DIR)") before npm test.',
        );
      });
    });
  } else {
    console.warn(
      `[demo] DATABASE_URL is not set: skipping "${suite}" (CI runs it). To run it: ` +
        'export DATABASE_URL="$(bash examples/demo/scripts/start-postgres.sh)"',
    );
  }
  return false;
}
