import { DEFAULT_CLOCK_SKEW, DEFAULT_MAX_AGE } from '../../index.js';
import type { OptionSpec, ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { explainLaunchParams } from '../explain/analyse.js';
import { renderExplanation } from '../explain/render.js';
import { readInput } from '../input.js';
import type { Io } from '../io.js';
import { CHECK_SETTING_OPTIONS, HELP_OPTION, JSON_OPTION, readCheckSettings } from '../options.js';
import { writeJson } from '../output.js';

const NAME = 'explain';

/** `--show-expected-sign`: off by default, because an expected sign is a valid sign for the params shown. */
const SHOW_EXPECTED_SIGN = 'show-expected-sign';

const SHOW_EXPECTED_SIGN_OPTION: OptionSpec = {
  name: SHOW_EXPECTED_SIGN,
  description:
    'Also print the expected sign. It is a valid sign for these params, a forged launch in the wrong hands: keep it out of tickets and logs.',
};

/** Written on stderr whenever an expected sign was printed. */
export const EXPECTED_SIGN_WARNING =
  'warning: the expected sign printed by --show-expected-sign is a valid signature for these launch params: in the wrong hands it is a forged launch. Keep it out of tickets, chats and CI logs.\n';

/** `vk-miniapp-auth explain`: what `verify` does, step by step, and why it fails. */
export const explainCommand: Command = {
  name: NAME,
  summary: 'Check launch params step by step and name the likely cause of a failure.',
  usage: ['explain [INPUT] [--app-id ID]… [--max-age SECONDS] [--clock-skew SECONDS] [--show-expected-sign]'],
  description: [
    'Does everything "verify" does and shows each step: the input form recognised, the decoded',
    'pairs (signed, ignored, repeated), the string VK signs, the received sign and whether it',
    'matches, the age of vk_ts and the app check. When the sign does not match, it tries the known',
    'wrong computations (double encoding, decoding the whole string, signing non-vk_* params, no',
    're-encoding, no sorting) to name the likely cause; when none matches, the secret is wrong.',
    '',
    'It does not print the expected sign: that is a valid sign for whatever params it is shown,',
    'so pasted into a ticket or a CI log it is a forged launch. --show-expected-sign prints it,',
    'with a warning on stderr. Without a secret it explains everything but the sign.',
    'INPUT is read as by "verify" (argument, or stdin when absent or "-").',
    'Exit codes: 0 valid, 1 invalid, 2 usage error, or no secret and nothing else wrong.',
  ],
  options: [...CHECK_SETTING_OPTIONS, SHOW_EXPECTED_SIGN_OPTION, JSON_OPTION, HELP_OPTION],
  examples: [
    ['why does this launch URL fail?', "vk-miniapp-auth explain 'https://example.com/?vk_user_id=494075&…&sign=…'"],
    ['without the secret: everything but the sign', "env -u VK_APP_SECRET vk-miniapp-auth explain '?vk_user_id=…'"],
    ['the whole analysis as JSON', "vk-miniapp-auth explain --json 'Bearer vk_user_id=…' | jq .cause"],
  ],
  run: runExplain,
};

async function runExplain(args: ParsedArgs, io: Io) {
  const settings = readCheckSettings(args, io, NAME, { maxAge: DEFAULT_MAX_AGE, clockSkew: DEFAULT_CLOCK_SKEW });
  const fromArgument = args.positionals.length === 1 && args.positionals[0] !== '-';
  const input = await readInput(args.positionals, io, NAME);
  const showExpectedSign = args.flags.has(SHOW_EXPECTED_SIGN);
  const report = await explainLaunchParams(input, { ...settings, now: io.now(), fromArgument, showExpectedSign });
  if (args.flags.has('json')) writeJson(io.stdout, report);
  else renderExplanation(report, io);
  if (report.signature.expected !== null) io.stderr.write(EXPECTED_SIGN_WARNING);
  return report.exitCode;
}
