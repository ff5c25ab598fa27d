import { UsageError } from './errors.js';
import type { Io } from './io.js';

/**
 * The launch params to check: the one positional argument, or stdin when it
 * is absent or `-`. A terminal on stdin with no argument is a usage error
 * rather than a wait for typing. Trailing line breaks from stdin are dropped.
 */
export async function readInput(positionals: readonly string[], io: Io, command: string): Promise<string> {
  if (positionals.length > 1) {
    // The arguments are not quoted back: a secret passed by mistake would be.
    throw new UsageError(
      `"${command}" takes one INPUT, but ${positionals.length} arguments were given; put INPUT in single quotes.`,
      command,
    );
  }
  const argument = positionals[0];
  if (argument !== undefined && argument !== '-') return argument;
  if (argument === undefined && io.stdinIsTTY) {
    throw new UsageError(
      `No INPUT: pass a launch URL, query, base64 token or Authorization value as an argument or on stdin.`,
      command,
    );
  }
  return (await io.readStdin()).replace(/[\r\n]+$/, '');
}
