import type { OptionSpec } from './args.js';
import type { Command } from './command.js';

/** The program's name, as installed by package.json `bin`. */
export const PROGRAM = 'vk-miniapp-auth';

/** The help shown by `vk-miniapp-auth --help`. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `${PROGRAM}: sign, verify and explain VK Mini App launch params.`,
    '',
    'Usage:',
    `  ${PROGRAM} <command> [options] [INPUT]`,
    `  ${PROGRAM} <command> --help`,
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help, or a command\'s with "<command> --help".',
    '  -v, --version  Print the version.',
    '',
    'The secret is the app\'s Secure key ("Защищённый ключ" in the app\'s settings). Give it in the',
    'VK_APP_SECRET environment variable: --secret also works, but an argument stays in shell',
    'history and shows in the process list. The secret is never printed.',
    '',
    'Exit codes: 0 done or valid, 1 invalid launch params, 2 usage error (including no secret).',
    'A usage error names an option, or an argument by its position: never what was typed, which may be the secret.',
    '--json prints one JSON document on stdout, errors included.',
    '',
  ].join('\n');
}

/** The help shown by `vk-miniapp-auth <command> --help`. */
export function commandHelp(command: Command): string {
  return [
    `${PROGRAM} ${command.name}: ${command.summary}`,
    '',
    'Usage:',
    ...command.usage.map((usage) => `  ${PROGRAM} ${usage}`),
    '',
    ...command.description,
    '',
    'Options:',
    ...optionLines(command.options),
    '',
    'Environment:',
    "  VK_APP_SECRET  The app's Secure key (recommended over --secret).",
    '  NO_COLOR       Turn colour off; FORCE_COLOR=1 turns it on even when not on a terminal.',
    '',
    'Examples:',
    ...command.examples.flatMap(([comment, line]) => [`  # ${comment}`, `  ${line}`]),
    '',
  ].join('\n');
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const heads = options.map((option) => {
    const short = option.short === undefined ? '    ' : `-${option.short}, `;
    const value = option.value === undefined ? '' : ` ${option.value}`;
    return `${short}--${option.name}${value}`;
  });
  const width = Math.max(...heads.map((head) => head.length));
  return options.map((option, i) => `  ${(heads[i] as string).padEnd(width)}  ${option.description}`);
}
