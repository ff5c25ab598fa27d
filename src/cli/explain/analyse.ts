import type { VkAuthErrorCode } from '../../errors.js';
import { checkFreshness } from '../../expiry.js';
import { type CanonicalStrings, canonicalStrings, isSignedKey, signedPairs } from '../../launch-params/canonical.js';
import { SIGN_SHAPE } from '../../launch-params/limits.js';
import { parsePositiveId } from '../../launch-params/numbers.js';
import { timestampTextMs } from '../../launch-params/typed.js';
import { type CompiledOptions, compileOptions } from '../../options.js';
import { matchSignature, signMessage } from '../../signature.js';
import { type LaunchParamsTrace, type TracedPair, type TraceStep, traceLaunchParams } from '../../trace.js';
import { duration } from '../output.js';
import { diagnoseSignature, type SignatureDiagnosis } from './pitfalls.js';
import type { AppReport, ExplainReport, InputReport, PairReport, SignatureReport, TimestampReport } from './report.js';

/** What `explain` checks against. */
export interface ExplainSettings {
  /** The secret; without it the sign is not checked and never an expected sign is shown. */
  readonly secret: string | undefined;
  /**
   * Put the expected signs in the report. Off unless asked for: each is a
   * valid sign for the params shown, which anyone could then use as a launch.
   */
  readonly showExpectedSign?: boolean;
  readonly appIds: readonly number[] | undefined;
  readonly maxAge: number;
  readonly clockSkew: number;
  /** The current time, in milliseconds. */
  readonly now: number;
  /** Whether the input came as a command-line argument (where a shell may have cut it at `&`). */
  readonly fromArgument: boolean;
}

type Cause = NonNullable<ExplainReport['cause']>;
type Steps = Omit<ExplainReport, 'cause' | 'warnings'>;

/**
 * Runs the library's trace of verification on `input` and turns it into the
 * report. The verdict and each step the pipeline ran are the trace's. The
 * library stops at the first failure, so what a later step would have said
 * (whether the sign matches when the app is refused, the age of vk_ts when the
 * sign is) is worked out here from the pairs the trace read, with the same
 * functions, for the report only; and when the sign does not match, the known
 * wrong computations are tried to name the likely cause.
 */
export async function explainLaunchParams(input: string, settings: ExplainSettings): Promise<ExplainReport> {
  const options = {
    ...(settings.appIds ? { appId: settings.appIds } : {}),
    secret: settings.secret,
    maxAge: settings.maxAge,
    clockSkew: settings.clockSkew,
    now: () => settings.now,
  };
  const trace = await traceLaunchParams(input, options);
  const pairs = trace.credential.pairs.map(describePair);
  const duplicates = [...new Set(pairs.filter((pair) => pair.duplicate).map((pair) => pair.key))];
  const canonical = canonicalOf(trace.credential.pairs);
  const { signature, signatureCause } = await describeSignature(trace, canonical, settings);
  const error = trace.error === undefined ? null : { code: trace.error.code, message: trace.error.message };
  const exitCode = error !== null ? 1 : settings.secret === undefined ? 2 : 0;

  const report: Steps = {
    command: 'explain',
    ok: exitCode === 0,
    exitCode,
    signChecked: settings.secret !== undefined,
    error,
    input: describeInput(input, trace),
    pairs,
    duplicates,
    canonical: canonical === undefined ? null : { php: canonical.php, uri: canonical.uri ?? null },
    signature,
    timestamp: describeTimestamp(trace, settings),
    app: describeApp(trace, settings.appIds),
    user: { id: idOf(trace.credential.pairs, 'vk_user_id') },
  };
  const cause = causeOf(report, signatureCause, settings);
  // The verdict first, then the steps: the documented order of the JSON keys.
  const { command, ok, signChecked, input: inputReport, ...steps } = report;
  const head = { command, ok, exitCode, signChecked, error, cause, input: inputReport };
  // The sign matched the signed pairs as they arrived, and they are not the canonical string.
  const asSentOnly = trace.signature?.matchedText === 'signed-run' && trace.credential.signedRun !== canonical?.php;
  return { ...head, ...steps, warnings: warningsOf(report, cause, asSentOnly) };
}

function describeInput(input: string, { credential }: LaunchParamsTrace): InputReport {
  const { form } = credential;
  return {
    length: input.length,
    form: form === 'query' || form === 'url' || form === 'base64' ? form : null,
    scheme: credential.scheme ?? null,
    base64Decoded: credential.base64Decoded ?? null,
    query: credential.query ?? null,
  };
}

function describePair(pair: TracedPair): PairReport {
  return {
    key: pair.key,
    value: pair.value,
    rawKey: pair.rawKey,
    rawValue: pair.rawValue ?? null,
    role: pair.role,
    duplicate: pair.duplicate,
    malformed: pair.malformed,
  };
}

/**
 * The string VK signs, built as the signature step builds it from the decoded
 * pairs; none when a signed key repeats or a pair does not decode (no one
 * string is then the right one), or when text that is not Unicode has none.
 */
function canonicalOf(pairs: readonly TracedPair[]): CanonicalStrings | undefined {
  if (pairs.length === 0 || pairs.some((pair) => pair.malformed || (pair.duplicate && isSignedKey(pair.key)))) {
    return undefined;
  }
  try {
    return canonicalStrings(signedPairs(pairs));
  } catch {
    return undefined;
  }
}

function firstValue(pairs: readonly TracedPair[], key: string): string | undefined {
  return pairs.find((pair) => pair.key === key)?.value;
}

function idOf(pairs: readonly TracedPair[], key: string): number | null {
  const value = firstValue(pairs, key);
  return (value === undefined ? undefined : parsePositiveId(value)) ?? null;
}

/** Whether the pipeline got to `step` and decided it (passed or failed). */
function ran(trace: LaunchParamsTrace, step: TraceStep): boolean {
  return trace.steps[step] === 'passed' || trace.steps[step] === 'failed';
}

async function describeSignature(
  trace: LaunchParamsTrace,
  canonical: CanonicalStrings | undefined,
  settings: ExplainSettings,
): Promise<{ signature: SignatureReport; signatureCause: Cause | undefined }> {
  const { pairs } = trace.credential;
  const received = firstValue(pairs, 'sign') ?? null;
  const wellFormed = received !== null && SIGN_SHAPE.test(received);
  const { secret } = settings;
  let matched: SignatureReport['matched'] = null;
  if (ran(trace, 'signature')) matched = trace.signature?.matched ?? null;
  else if (secret !== undefined && canonical !== undefined && received !== null) {
    // The pipeline stopped before the signature: whether it matches, all the same.
    matched = (await matchSignature(canonical, received, [secret])) ?? null;
  }
  const expected =
    secret === undefined || canonical === undefined
      ? undefined
      : {
          php: await signMessage(secret, canonical.php),
          uri: canonical.uri === undefined ? undefined : await signMessage(secret, canonical.uri),
        };
  let diagnosis: SignatureDiagnosis = { tried: [], cause: undefined };
  if (secret !== undefined && received !== null && matched === null && pairs.length > 0) {
    diagnosis = await diagnoseSignature(pairs, trace.credential.query ?? '', received, secret, canonical, expected);
  }
  // The expected signs served the diagnosis; they leave it only when asked for.
  const shown = settings.showExpectedSign === true && expected !== undefined ? expected : undefined;
  return {
    signature: {
      received,
      wellFormed,
      expected: shown === undefined ? null : { php: shown.php, uri: shown.uri ?? null },
      matched,
      tried: diagnosis.tried,
    },
    signatureCause: diagnosis.cause,
  };
}

function describeTimestamp(trace: LaunchParamsTrace, settings: ExplainSettings): TimestampReport {
  const base = { maxAge: settings.maxAge, clockSkew: settings.clockSkew };
  const value = firstValue(trace.credential.pairs, 'vk_ts');
  // The pipeline's verdict on vk_ts when it got that far; otherwise the same check, for the report.
  const verdict = trace.freshness?.status;
  const empty = { value: value ?? null, unixMs: null, iso: null, unit: null, ageSeconds: null };
  let unixMs: number | undefined;
  try {
    unixMs = timestampTextMs(value);
  } catch {
    return { ...base, ...empty, status: verdict ?? 'malformed' };
  }
  if (unixMs === undefined) return { ...base, ...empty, status: verdict ?? freshnessAhead(undefined, settings) };
  return {
    ...base,
    value: value ?? null,
    unixMs,
    iso: new Date(unixMs).toISOString(),
    unit: unixMs === Number(value) ? 'milliseconds' : 'seconds',
    ageSeconds: Math.floor((settings.now - unixMs) / 1000),
    status: verdict ?? freshnessAhead(unixMs, settings),
  };
}

/** What the freshness step would say of `timestampMs`, when the pipeline stopped before it. */
function freshnessAhead(timestampMs: number | undefined, settings: ExplainSettings): TimestampReport['status'] {
  if (settings.maxAge === 0) return 'not-checked';
  try {
    checkFreshness(timestampMs, checkOptions(settings));
    return 'fresh';
  } catch (error) {
    const code = (error as { code?: VkAuthErrorCode }).code;
    return code === 'TS_IN_FUTURE' ? 'future' : code === 'TS_MISSING' ? 'missing' : 'expired';
  }
}

function checkOptions(settings: ExplainSettings): CompiledOptions {
  // Only the age limits and the clock are read: the secret is a stand-in.
  return compileOptions({
    secret: 'unused',
    maxAge: settings.maxAge,
    clockSkew: settings.clockSkew,
    now: () => settings.now,
  });
}

function describeApp(trace: LaunchParamsTrace, expected: readonly number[] | undefined): AppReport {
  const value = firstValue(trace.credential.pairs, 'vk_app_id');
  const id = idOf(trace.credential.pairs, 'vk_app_id');
  let status: AppReport['status'];
  if (value === undefined || value === '') status = 'missing';
  else if (id === null) status = 'malformed';
  else if (expected === undefined) status = 'not-checked';
  // The app step's own verdict when it ran; the same comparison otherwise.
  else if (ran(trace, 'app')) status = trace.steps.app === 'passed' ? 'match' : 'mismatch';
  else status = expected.includes(id) ? 'match' : 'mismatch';
  return { id, expected: expected ?? null, status };
}

/** The likely cause of a failure, in plain words; each code has its own wording. */
function causeOf(report: Steps, signatureCause: Cause | undefined, settings: ExplainSettings): Cause | null {
  const { error } = report;
  if (error === null) {
    if (report.ok) return null;
    return {
      pitfall: null,
      message:
        "Everything but the sign checks out, and the sign cannot be checked without the secret: set VK_APP_SECRET to the app's Secure key and run again.",
    };
  }
  const cause = CAUSES[error.code as VkAuthErrorCode]?.({
    report,
    signatureCause,
    settings,
    signNote: signNote(report),
  });
  return cause ?? { pitfall: null, message: error.message };
}

/** Whether the sign matches, for a failure elsewhere. */
function signNote({ signChecked, signature }: Steps): string {
  if (!signChecked) return '';
  if (signature.matched !== null) return ' The sign itself matches.';
  return signature.received !== null ? ' The sign does not match either (see Signature).' : '';
}

interface CauseContext {
  readonly report: Steps;
  readonly signatureCause: Cause | undefined;
  readonly settings: ExplainSettings;
  readonly signNote: string;
}

/** The cause of each error code with more to say than its message; `undefined` falls back to the message. */
const CAUSES: { readonly [code in VkAuthErrorCode]?: (context: CauseContext) => Cause | undefined } = {
  SIGN_INVALID: ({ report: { signature }, signatureCause }) => {
    if (signatureCause) return signatureCause;
    if (!signature.wellFormed && signature.received !== null) {
      return {
        pitfall: null,
        message: `The sign is ${signature.received.length} characters, but VK's are always 43 base64url characters ([A-Za-z0-9_-]): it was cut, padded or altered on the way (a stale example from VK's docs has 44).`,
      };
    }
    return undefined;
  },
  DUPLICATE_PARAM: ({ report, signatureCause, signNote }) => {
    if (signatureCause?.pitfall === 'duplicate-key') return signatureCause;
    const names = report.duplicates.map((key) => `"${key}"`).join(', ');
    return {
      pitfall: 'duplicate-key',
      message: `${names || 'A key'} appears more than once. Parsers disagree on whether the first or the last value counts, so an attacker can append a second vk_user_id to a genuine query: any repeated key is refused.${signNote}`,
    };
  },
  EXPIRED: ({ report: { timestamp }, signNote }) => ({
    pitfall: 'expired',
    message: `vk_ts is ${duration(timestamp.ageSeconds ?? 0)} old, over --max-age ${timestamp.maxAge} s (plus ${timestamp.clockSkew} s of clock skew). VK signs launch params once, when it opens the app: the client must send fresh ones (reopen the app), or pass --max-age 0 to inspect old params.${signNote}`,
  }),
  TS_IN_FUTURE: ({ report: { timestamp }, signNote }) => ({
    pitfall: 'future-timestamp',
    message: `vk_ts is ${duration(timestamp.ageSeconds ?? 0)} in the future, beyond the ${timestamp.clockSkew} s of clock skew allowed: this machine's clock is behind, or vk_ts was edited.${signNote}`,
  }),
  TS_MISSING: ({ signNote }) => ({
    pitfall: 'missing-timestamp',
    message: `There is no vk_ts, so the age cannot be checked (very old launches lack it): pass --max-age 0 to accept params without one.${signNote}`,
  }),
  APP_ID_MISMATCH: ({ report: { app }, signNote }) => ({
    pitfall: 'wrong-app',
    message: `These launch params are for app ${app.id}, not ${(app.expected ?? []).join(' or ')}: check --app-id, or whether the client runs another app (a test copy of an app has its own id and Secure key).${signNote}`,
  }),
  SIGN_MISSING: ({ report, settings }) =>
    settings.fromArgument && report.pairs.length === 1
      ? {
          pitfall: 'truncated',
          message:
            'Only one parameter arrived and no sign: a URL pasted into a shell without quotes is cut at the first "&" (the rest runs as another command). Put INPUT in single quotes.',
        }
      : {
          pitfall: null,
          message:
            'There is no sign parameter: send the whole query VK gave the app (location.search), not a part of it.',
        },
  MALFORMED: ({ report }) => {
    const { query } = report.input;
    if (query !== null && !query.includes('=') && /%3D/i.test(query)) {
      return {
        pitfall: 'whole-query-encoded',
        message:
          'The whole query was percent-encoded once more ("=" arrived as "%3D", "&" as "%26"): send location.search as it is, without encodeURIComponent around it.',
      };
    }
    const bad = report.pairs.findIndex((pair) => pair.malformed);
    if (bad === -1) return undefined;
    return {
      pitfall: null,
      message: `Pair ${bad + 1} ("${report.pairs[bad]?.rawKey}") holds a malformed "%" escape or bytes that are not UTF-8: send location.search exactly as VK gave it.`,
    };
  },
};

function warningsOf(report: Steps, cause: Cause | null, asSentOnly: boolean): string[] {
  const warnings: string[] = [];
  if (cause?.pitfall !== 'double-encoded' && /%25[0-9A-Fa-f]{2}/.test(report.input.query ?? '')) {
    warnings.push(
      'The query holds "%25" followed by hex digits (an encoded "%"), the mark of a value encoded twice: VK never sends one.',
    );
  }
  const ignored = [...new Set(report.pairs.filter((pair) => pair.role === 'ignored').map((pair) => pair.key))];
  if (ignored.length > 0) {
    warnings.push(`Not signed, so never trust them: ${ignored.join(', ')} (only vk_* parameters are signed).`);
  }
  if (report.timestamp.unit === 'milliseconds') {
    warnings.push('vk_ts is in milliseconds (as some OK launches send); it was read as such.');
  }
  if (asSentOnly) {
    warnings.push(
      'The sign matches the vk_* pairs exactly as they arrived, which differ from the canonical string (a value VK left unencoded, or encoded its own way): accepted, since that is the very text VK signed.',
    );
  }
  if (report.signature.matched === 'uri') {
    warnings.push(
      'The sign matches the encodeURIComponent form of the canonical string (a space as "%20"), not PHP\'s urlencode; both are accepted.',
    );
  }
  return warnings;
}
