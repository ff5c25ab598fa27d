/** The process exit codes, shared by every command. */
export const EXIT = {
  /** Done: signed, or the launch params are valid. */
  ok: 0,
  /** The launch params are invalid (the library refused them). */
  invalid: 1,
  /** A usage error: unknown command or option, bad or missing value, no secret. */
  usage: 2,
} as const;

/** An exit code the CLI returns. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A mistake in how the CLI was called. Its message names the option at fault
 * but never echoes an option's value: one of them may be the secret.
 */
export class UsageError extends Error {
  /** The command whose `--help` the hint points to, when there is one. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
