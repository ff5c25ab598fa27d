import { closest, hasOption, parseArgs } from './args.js';
import type { Command } from './command.js';
import { explainCommand } from './commands/explain.js';
import { signCommand } from './commands/sign.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, type ExitCode, UsageError } from './errors.js';
import { commandHelp, globalHelp, PROGRAM } from './help.js';
import type { Io } from './io.js';
import { writeJson } from './output.js';
import { packageVersion } from './version.js';

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [signCommand, verifyCommand, explainCommand];

/** The `--json` document printed for a usage error. */
export interface UsageErrorReport {
  readonly command: string | null;
  readonly ok: false;
  readonly exitCode: 2;
  readonly error: { readonly code: 'USAGE'; readonly message: string };
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the
 * exit code. Usage errors are reported here: on stderr with a hint to
 * `--help`, and as JSON on stdout too when `--json` was asked for.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2), processIo());
 * ```
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let command: Command | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(globalHelp(COMMANDS));
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const named = topic === undefined ? undefined : findCommand(topic);
      io.stdout.write(named ? commandHelp(named) : globalHelp(COMMANDS));
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) {
      throw new UsageError(`A command comes first (${COMMANDS.map((c) => c.name).join(', ')}), before any option.`);
    }
    command = findCommand(first);
    if (hasOption(rest, '--help', '-h')) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    // rest[0] is the second argument on the command line: messages count from there.
    return await command.run(parseArgs(rest, command.options, command.name, 2), io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const topic = error.command ?? command?.name;
    const help = topic === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${topic} --help`;
    io.stderr.write(`${PROGRAM}: ${error.message}\nRun "${help}" for usage.\n`);
    if (hasOption(argv, '--json')) {
      const report: UsageErrorReport = {
        command: topic ?? null,
        ok: false,
        exitCode: EXIT.usage,
        error: { code: 'USAGE', message: error.message },
      };
      writeJson(io.stdout, report);
    }
    return EXIT.usage;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  // What was typed is never quoted back: it may be the secret, put first by mistake.
  const suggestion = closest(
    name.toLowerCase(),
    COMMANDS.map((candidate) => candidate.name),
  );
  const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
  return usage(`Unknown command at argument 1; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.${hint}`);
}

function usage(message: string): never {
  throw new UsageError(message);
}
