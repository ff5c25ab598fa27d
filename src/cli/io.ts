/** Where a command writes, and what it reads from its environment. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** The environment (`VK_APP_SECRET`, `NO_COLOR`, `FORCE_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdin is a terminal: then nothing is piped in, and there is no input to read. */
  readonly stdinIsTTY: boolean;
  /** All of stdin as UTF-8 text. */
  readonly readStdin: () => Promise<string>;
  /** The current time in milliseconds. */
  readonly now: () => number;
}

/** One output stream. */
export interface Output {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
}

/** The real process: stdout, stderr, the environment and stdin. */
export function processIo(): Io {
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    stdinIsTTY: process.stdin.isTTY === true,
    readStdin,
    now: Date.now,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
