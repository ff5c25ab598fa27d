import type { OptionSpec, ParsedArgs } from './args.js';
import type { ExitCode } from './errors.js';
import type { Io } from './io.js';

/** One sub-command of the CLI. */
export interface Command {
  readonly name: string;
  /** One line for the global help. */
  readonly summary: string;
  /** The usage line(s), after the program name. */
  readonly usage: readonly string[];
  /** Paragraphs shown in `--help` after the usage. */
  readonly description: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Complete example command lines, each with a comment. */
  readonly examples: readonly (readonly [comment: string, line: string])[];
  /** Runs the command; returns the exit code. Throws `UsageError` for a usage mistake. */
  readonly run: (args: ParsedArgs, io: Io) => Promise<ExitCode>;
}
