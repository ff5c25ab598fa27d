/**
 * A required option with no value: `undefined`, `null`, `''`, or `NaN` (what
 * `Number(process.env.VK_APP_ID)` gives when the variable is unset). A
 * `TypeError`, like every other bad option: a server's misconfiguration, never
 * a client's fault. The adapters throw it on the requests they guard, not when
 * they are created (see docs/adapters.md, "A secret that is not there yet").
 *
 * @example
 * ```ts
 * try {
 *   await verifyLaunchParams(authorization, { secret: process.env.VK_APP_SECRET! });
 * } catch (error) {
 *   if (error instanceof MissingOptionError) console.error(`configure ${error.option}`);
 * }
 * ```
 */
export class MissingOptionError extends TypeError {
  /** The option's name, such as `secret`, `secret[6736218]` or `appId` (never its value). */
  readonly option: string;

  /** `environment` names the variables the option is usually read from, for the message. */
  constructor(option: string, environment = 'VK_APP_SECRET, VK_APP_ID') {
    super(
      `vk-miniapp-auth: options.${option} has no value. It is usually read from the environment ` +
        `(${environment}): set it where the server runs. Until it is set, every request this ` +
        'check guards is answered 500.',
    );
    this.name = 'MissingOptionError';
    this.option = option;
  }
}

/** Whether an option's value is absent in one of the ways an unset environment variable shows up. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || Number.isNaN(value);
}

/**
 * Compiles an adapter's options now, or, when a required one has no value yet,
 * on each request until it has one.
 *
 * Why: Next.js loads every route module while it builds, usually without the
 * production secrets, and an app's options are read from `process.env` when its
 * module loads. Throwing then would break every build that gets its secrets only
 * at run time. So a missing value waits for the first request, which fails
 * loudly: the error (a 500 from the framework) and, once, the same message
 * through `console.error`. Any other bad option still throws at once.
 */
export function compileWhenConfigured<Compiled>(compile: () => Compiled): () => Compiled {
  let compiled: Compiled | undefined;
  try {
    compiled = compile();
  } catch (error) {
    if (!(error instanceof MissingOptionError)) throw error;
  }
  let reported = false;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      compiled = compile();
      return compiled;
    } catch (error) {
      if (error instanceof MissingOptionError && !reported) {
        reported = true;
        console.error(error.message);
      }
      throw error;
    }
  };
}
