import { UsageError } from './errors.js';

/** One option a command accepts. */
export interface OptionSpec {
  /** The long name, without the leading `--`. */
  readonly name: string;
  /** A one-letter alias, without the leading `-`. */
  readonly short?: string;
  /** The placeholder shown in help for an option that takes a value; absent for a flag. */
  readonly value?: string;
  /** Whether the option may be given several times. */
  readonly repeatable?: boolean;
  /** One line for `--help`. */
  readonly description: string;
}

/** What {@link parseArgs} read. */
export interface ParsedArgs {
  /** The values of options that take one, in the order given. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** The flags that were given. */
  readonly flags: ReadonlySet<string>;
  /** Everything that is not an option, in order. */
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` against `specs`: `--name value`, `--name=value`, `-x`, flags,
 * and `--` to end the options; a lone `-` is a positional (stdin). Throws
 * {@link UsageError} for an unknown option, a missing value, a value given to
 * a flag or an option repeated that may not be.
 *
 * Messages never quote what was typed, which may hold the secret in any
 * spelling (`-secret=KEY`, `-sKEY`, `--secretKEY`, `--KEY`): they name an
 * option by its own name, and an unknown one by its position, as
 * `argument N` counting from `position` for `argv[0]`. The one exception is
 * an option's own name written with the wrong dashes or case (`-secret`),
 * which holds nothing else.
 *
 * @example
 * ```ts
 * const args = parseArgs(['--app-id', '1', 'query'], [{ name: 'app-id', value: 'ID', description: '' }], 'verify');
 * args.values.get('app-id'); // ['1']
 * ```
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
  position = 1,
): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-' || !token.startsWith('-')) {
      positionals.push(token);
      continue;
    }
    // The name is what comes before the first "=", whatever the dashes: `-h=KEY` is `-h` given a value.
    const eq = token.indexOf('=');
    const written = eq === -1 ? token : token.slice(0, eq);
    const spec = findSpec(written, specs);
    if (spec === undefined) throw unknownOption(written, position + i, specs, command);
    const label = `--${spec.name}`;
    if (spec.value === undefined) {
      if (eq !== -1) throw new UsageError(`${label} does not take a value.`, command);
      flags.add(spec.name);
      continue;
    }
    let value: string;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        throw new UsageError(
          `${label} needs a value (${spec.value}); write ${label}=VALUE when the value starts with "-".`,
          command,
        );
      }
      value = next;
      i++;
    }
    const list = values.get(spec.name);
    if (list === undefined) values.set(spec.name, [value]);
    else if (spec.repeatable) list.push(value);
    else throw new UsageError(`${label} is given more than once.`, command);
  }
  return { values, flags, positionals };
}

/**
 * Whether `name` (`--help`, `-h`, …) is among the options of `argv`, before any `--`.
 * Used to honour `--help` and `--json` even when the rest of the line is wrong.
 */
export function hasOption(argv: readonly string[], ...names: string[]): boolean {
  for (const token of argv) {
    if (token === '--') return false;
    if (names.includes(token)) return true;
  }
  return false;
}

function findSpec(written: string, specs: readonly OptionSpec[]): OptionSpec | undefined {
  if (written.startsWith('--')) return specs.find((spec) => spec.name === written.slice(2));
  if (written.length === 2) return specs.find((spec) => spec.short === written.slice(1));
  return undefined;
}

/**
 * The error for an option not in `specs`, `written` being what came before
 * any `=`. What was typed is shown only when it is one of the names in
 * `specs` with the wrong dashes or case (`-secret`, `---json`, `--Help`);
 * anything else may hold a value (`-sKEY` is `-s` and `KEY` to some
 * parsers, `--secretKEY` is `--secret` and `KEY` run together), so it is
 * named by its position only, with a suggestion taken from `specs`.
 */
function unknownOption(written: string, position: number, specs: readonly OptionSpec[], command: string): UsageError {
  const bare = written.replace(/^-+/, '');
  const lower = bare.toLowerCase();
  const where = `at argument ${position} for "${command}"`;
  const same = specs.find((spec) => spec.name === lower || spec.short === lower);
  if (same !== undefined) {
    const right = same.name === lower ? `--${same.name}` : `-${same.short}`;
    return new UsageError(`Unknown option ${written} ${where}. Did you mean ${right}?`, command);
  }
  // An option's name with more after it: a value run into it, or a longer name.
  const glued = specs
    .filter(
      (spec) =>
        lower.startsWith(spec.name) ||
        (spec.short !== undefined && written.length === bare.length + 1 && lower[0] === spec.short),
    )
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (glued !== undefined) {
    const label = `--${glued.name}`;
    const how =
      glued.value === undefined
        ? ''
        : ` Its value goes after a space or "=": ${label} ${glued.value} or ${label}=${glued.value}.`;
    return new UsageError(`Unknown option ${where}. Did you mean ${label}?${how}`, command);
  }
  // One letter (`-s`) is taken as the start of a name; anything longer as a misspelling.
  const suggestion =
    lower.length <= 1
      ? specs.find((spec) => lower !== '' && spec.name.startsWith(lower))?.name
      : closest(
          lower,
          specs.map((spec) => spec.name),
        );
  const hint = suggestion === undefined ? '' : ` Did you mean --${suggestion}?`;
  return new UsageError(`Unknown option ${where}.${hint}`, command);
}

/** The candidate nearest to `word` (edit distance at most 2, or a prefix), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(word) && word.length >= 2 ? 1 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
