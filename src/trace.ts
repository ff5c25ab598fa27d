import { VkAuthError, type VkAuthErrorCode } from './errors.js';
import { isSignedKey } from './launch-params/canonical.js';
import type { Credential, CredentialForm, CredentialReading } from './launch-params/input.js';
import { type QueryPair, readQueryPairs } from './launch-params/query.js';
import type { Identity } from './launch-params/typed.js';
import type { LaunchParams } from './launch-params/types.js';
import { type CompiledOptions, compileOptions, type SecretOption, type VerifyOptions } from './options.js';
import { type PipelineObserver, type SignatureAttempt, verifyWithCompiledOptions } from './verify.js';

// The trace of one verification, step by step, for the CLI's `explain`. It is
// not a second pipeline: it runs verifyWithCompiledOptions itself, as its
// observer, so its verdict is verification's by construction. Internal: the
// package does not export it (its shape follows what `explain` shows, and
// `explain --json` is the public form of it).

/** The steps of verification, in the order they run. */
export const TRACE_STEPS = ['credential', 'identity', 'sign-shape', 'app', 'signature', 'freshness', 'params'] as const;

export type TraceStep = (typeof TRACE_STEPS)[number];

/**
 * How a step went: `failed` is the trace's `error`; `skipped` is the signature
 * when no secret was given; `not-reached`, a step after the one that failed.
 */
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'not-reached';

/** The options of verification, where the secret may be left out. */
export interface TraceOptions extends Omit<VerifyOptions, 'secret'> {
  /** Without it, every step runs but the signature, and the trace is never `verified`. */
  secret?: SecretOption | undefined;
}

/** One pair of the query, as sent and decoded, and its part in the signature. */
export interface TracedPair extends QueryPair {
  /** `signed` for `vk_*`, `sign` for the signature, `ignored` for the rest (not signed). */
  readonly role: 'signed' | 'sign' | 'ignored';
}

/** Step 1: what the credential reader found, as far as it got. */
export interface CredentialTrace {
  readonly form: CredentialForm | undefined;
  readonly scheme: 'Bearer' | 'VK' | undefined;
  readonly base64Decoded: string | undefined;
  /** The query the pairs were read from, once found (no `?`, no `#fragment`). */
  readonly query: string | undefined;
  /**
   * Every pair, in the order received, repeated and malformed ones included
   * (the reader refuses them, but the pairs after them are shown too): read
   * for display once the reader has a query to split, or the credential's
   * own pairs for a URLSearchParams or an object.
   */
  readonly pairs: readonly TracedPair[];
  /** The raw text of the signed pairs when the query holds them as one sorted run. */
  readonly signedRun: string | undefined;
}

/** Step 6: `vk_ts` and the expiry check. */
export interface FreshnessTrace {
  /** `vk_ts` in Unix milliseconds; `undefined` without one, or when it is not an integer. */
  readonly timestampMs: number | undefined;
  /** `now − vk_ts`; negative in the future. */
  readonly ageMs: number | undefined;
  readonly maxAgeMs: number;
  readonly clockSkewMs: number;
  /** The verdict; `not-checked` when `maxAge` is 0. */
  readonly status: 'fresh' | 'not-checked' | 'expired' | 'future' | 'missing' | 'malformed';
}

/** Everything one verification did, step by step. */
export interface LaunchParamsTrace {
  /** Every step passed, the signature checked: what verifyLaunchParams resolves for. */
  readonly verified: boolean;
  /** The first failure, the very error verification rejects with; `undefined` when none. */
  readonly error: VkAuthError | undefined;
  /** The step that failed. */
  readonly failedStep: TraceStep | undefined;
  readonly steps: Readonly<Record<TraceStep, StepStatus>>;
  readonly credential: CredentialTrace;
  /** Step 2: `sign`, `vk_user_id`, `vk_app_id`, `vk_ts`, once read. */
  readonly identity: Identity | undefined;
  /** Step 4: the app accepted, and how many keys its options give to try (0 without a secret). */
  readonly app: { readonly appId: number; readonly secrets: number } | undefined;
  /** Step 5: what the signature step tried and what matched; `undefined` when skipped or not reached. */
  readonly signature: SignatureAttempt | undefined;
  readonly freshness: FreshnessTrace | undefined;
  /** Step 7: the typed params, once built (verified only when `verified`). */
  readonly params: LaunchParams | undefined;
}

/**
 * Runs verification on `input` and reports each step: what it found, and the
 * first failure. The verdict is verifyLaunchParams's own (the same function
 * runs). Without `options.secret` the signature step is skipped and the rest
 * still runs, so the trace can say everything but the sign.
 *
 * Throws what verification throws for a misconfiguration (a `TypeError`).
 */
export async function traceLaunchParams(input: unknown, options: TraceOptions): Promise<LaunchParamsTrace> {
  const withoutSecret = options.secret === undefined;
  const compiled = withoutSecret ? compileWithoutSecret(options) : compileOptions(options as VerifyOptions);
  const tracer = new Tracer(compiled, withoutSecret);
  try {
    await verifyWithCompiledOptions(input, compiled, tracer);
  } catch (error) {
    if (!VkAuthError.is(error)) throw error;
    return tracer.result(error);
  }
  return tracer.result(undefined);
}

const NO_SECRETS: readonly string[] = Object.freeze([]);

/**
 * The options without a secret: every other option compiled and checked as
 * verification checks it (a stand-in secret lets them compile), and no key to
 * try, so a signature step would refuse rather than match anything.
 */
function compileWithoutSecret(options: TraceOptions): CompiledOptions {
  const compiled = compileOptions({ ...options, secret: 'no secret: the signature step is skipped' });
  return {
    ...compiled,
    secretsFor: (appId) => {
      compiled.secretsFor(appId);
      return NO_SECRETS;
    },
  };
}

/** Records what the pipeline reports; `result` turns it into the trace. */
class Tracer implements PipelineObserver {
  readonly reading: CredentialReading = {};
  private passed = 0;
  private read: Credential | undefined;
  private identityRead: Identity | undefined;
  private secretCount: number | undefined;
  private attempt: SignatureAttempt | undefined;
  private timestampRead: { readonly ms: number | undefined; readonly now: number } | undefined;
  private typed: LaunchParams | undefined;

  constructor(
    private readonly options: CompiledOptions,
    readonly withoutSecret: boolean,
  ) {}

  credential(credential: Credential): void {
    this.read = credential;
    this.passed = 1;
  }

  identity(identity: Identity): void {
    this.identityRead = identity;
    this.passed = 2;
  }

  signShape(): void {
    this.passed = 3;
  }

  app(secrets: readonly string[]): void {
    this.secretCount = secrets.length;
    // Without a secret, the signature step is skipped: the next to run is freshness.
    this.passed = this.withoutSecret ? 5 : 4;
  }

  signature(attempt: SignatureAttempt): void {
    this.attempt = attempt;
    if (attempt.matched !== undefined) this.passed = 5;
  }

  timestamp(timestampMs: number | undefined): void {
    this.timestampRead = { ms: timestampMs, now: this.options.now() };
  }

  fresh(): void {
    this.passed = 6;
  }

  params(params: LaunchParams): void {
    this.typed = params;
    this.passed = 7;
  }

  result(error: VkAuthError | undefined): LaunchParamsTrace {
    const failedStep = error === undefined ? undefined : TRACE_STEPS[this.passed];
    const steps = {} as Record<TraceStep, StepStatus>;
    TRACE_STEPS.forEach((step, i) => {
      steps[step] =
        step === 'signature' && this.withoutSecret && i < this.passed
          ? 'skipped'
          : i < this.passed
            ? 'passed'
            : step === failedStep
              ? 'failed'
              : 'not-reached';
    });
    const identity = this.identityRead;
    return {
      verified: error === undefined && !this.withoutSecret,
      error,
      failedStep,
      steps,
      credential: this.credentialTrace(),
      identity,
      app:
        identity === undefined || this.secretCount === undefined
          ? undefined
          : { appId: identity.appId, secrets: this.withoutSecret ? 0 : this.secretCount },
      signature: this.attempt,
      freshness: this.freshnessTrace(steps.freshness, error?.code),
      params: this.typed,
    };
  }

  private credentialTrace(): CredentialTrace {
    const { reading, read } = this;
    const { query } = reading;
    let pairs: QueryPair[];
    if (query !== undefined) {
      // The reader splits only a query that holds an "=": any other is refused whole.
      pairs = query.indexOf('=') === -1 ? [] : readQueryPairs(query);
    } else {
      pairs = (read?.pairs ?? []).map(({ key, value }) => ({
        rawKey: key,
        rawValue: value,
        key,
        value,
        malformed: false,
        duplicate: false,
      }));
    }
    return {
      form: read?.form ?? reading.form,
      scheme: reading.scheme,
      base64Decoded: reading.base64Decoded,
      query,
      pairs: pairs.map((pair) => ({ ...pair, role: roleOf(pair.key) })),
      signedRun: read?.signedRun,
    };
  }

  private freshnessTrace(status: StepStatus, code: VkAuthErrorCode | undefined): FreshnessTrace | undefined {
    if (status !== 'passed' && status !== 'failed') return undefined;
    const { maxAgeMs, clockSkewMs } = this.options;
    const read = this.timestampRead;
    const timestampMs = read?.ms;
    const ageMs = read === undefined || timestampMs === undefined ? undefined : read.now - timestampMs;
    return { timestampMs, ageMs, maxAgeMs, clockSkewMs, status: freshnessStatus(status, maxAgeMs, code) };
  }
}

function freshnessStatus(status: 'passed' | 'failed', maxAgeMs: number, code: VkAuthErrorCode | undefined) {
  if (status === 'passed') return maxAgeMs === 0 ? 'not-checked' : 'fresh';
  if (code === 'EXPIRED') return 'expired';
  if (code === 'TS_IN_FUTURE') return 'future';
  if (code === 'TS_MISSING') return 'missing';
  return 'malformed';
}

function roleOf(key: string): TracedPair['role'] {
  return key === 'sign' ? 'sign' : isSignedKey(key) ? 'signed' : 'ignored';
}
