import { checkFreshness } from '../../expiry.js';
import { VkAuthError, verifyLaunchParams } from '../../index.js';
import { canonicalStrings, isSignedKey, signedPairs } from '../../launch-params/canonical.js';
import { type Credential, readCredential } from '../../launch-params/input.js';
import { SIGN_SHAPE, SIGN_SHAPE_MESSAGE } from '../../launch-params/limits.js';
import { parseInteger, parsePositiveId } from '../../launch-params/numbers.js';
import { readIdentity, timestampMs, toMilliseconds } from '../../launch-params/typed.js';
import { compileOptions } from '../../options.js';
import { matchSignature, signMessage } from '../../signature.js';
import { duration } from '../output.js';
import { locate, type RawPair, splitPairs } from './locate.js';
import { normaliseSign, wrongComputations } from './pitfalls.js';
import type {
  AppReport,
  ExplainReport,
  InputReport,
  PairReport,
  Pitfall,
  SignatureReport,
  TimestampReport,
} from './report.js';

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

/**
 * Checks launch params step by step, as `verifyLaunchParams` does, and
 * records what each step saw. The verdict is the library's own (with the
 * secret, `verifyLaunchParams` itself decides); when the sign does not match,
 * known wrong computations are tried to name the likely cause.
 */
export async function explainLaunchParams(input: string, settings: ExplainSettings): Promise<ExplainReport> {
  const located = locate(input);
  let credential: Credential | undefined;
  try {
    credential = readCredential(input);
  } catch (error) {
    if (!VkAuthError.is(error)) throw error;
  }
  const query = credential?.query ?? located.query;
  const raw = query === null || (credential === undefined && !query.includes('=')) ? [] : splitPairs(query);
  const pairs = describePairs(raw);
  const duplicates = [...new Set(pairs.filter((pair) => pair.duplicate).map((pair) => pair.key))];
  const signedRepeat = duplicates.some((key) => isSignedKey(key));
  const malformed = pairs.some((pair) => pair.malformed);

  let canonical: ExplainReport['canonical'] = null;
  if (raw.length > 0 && !signedRepeat && !malformed) {
    try {
      const strings = canonicalStrings(signedPairs(raw));
      canonical = { php: strings.php, uri: strings.uri ?? null };
    } catch {
      // Text that is not Unicode has no canonical string.
    }
  }

  const { signature, signatureCause } = await checkSignature(raw, query ?? '', canonical, settings);
  const timestamp = describeTimestamp(raw, settings);
  const app = describeApp(raw, settings.appIds);
  const error = await verdict(input, settings);
  const exitCode = error !== null ? 1 : settings.secret === undefined ? 2 : 0;

  const report: Omit<ExplainReport, 'cause' | 'warnings'> = {
    command: 'explain',
    ok: exitCode === 0,
    exitCode,
    signChecked: settings.secret !== undefined,
    error,
    input: describeInput(input, located, credential),
    pairs,
    duplicates,
    canonical,
    signature,
    timestamp,
    app,
    user: { id: idOf(raw, 'vk_user_id') },
  };
  const cause = causeOf(report, signatureCause, raw, settings);
  // The verdict first, then the steps: the documented order of the JSON keys.
  const { command, ok, signChecked, input: inputReport, ...steps } = report;
  const head = { command, ok, exitCode, signChecked, error, cause, input: inputReport };
  return { ...head, ...steps, warnings: warningsOf(report, cause) };
}

function describeInput(input: string, located: ReturnType<typeof locate>, credential?: Credential): InputReport {
  const form = credential ? credential.form : located.form;
  return {
    length: input.length,
    form: form === 'query' || form === 'url' || form === 'base64' ? form : null,
    scheme: credential?.scheme === 'Bearer' || credential?.scheme === 'VK' ? credential.scheme : located.scheme,
    base64Decoded: located.decoded,
    query: credential?.query ?? located.query,
  };
}

function describePairs(raw: readonly RawPair[]): PairReport[] {
  const seen = new Set<string>();
  return raw.map((pair) => {
    const duplicate = seen.has(pair.key);
    seen.add(pair.key);
    return {
      key: pair.key,
      value: pair.value,
      rawKey: pair.rawKey,
      rawValue: pair.rawValue,
      role: pair.key === 'sign' ? 'sign' : isSignedKey(pair.key) ? 'signed' : 'ignored',
      duplicate,
      malformed: pair.malformed,
    };
  });
}

function firstValue(raw: readonly RawPair[], key: string): string | undefined {
  return raw.find((pair) => pair.key === key)?.value;
}

function idOf(raw: readonly RawPair[], key: string): number | null {
  const value = firstValue(raw, key);
  return (value === undefined ? undefined : parsePositiveId(value)) ?? null;
}

async function checkSignature(
  raw: readonly RawPair[],
  query: string,
  canonical: ExplainReport['canonical'],
  settings: ExplainSettings,
): Promise<{ signature: SignatureReport; signatureCause: Cause | undefined }> {
  const received = firstValue(raw, 'sign') ?? null;
  const wellFormed = received !== null && SIGN_SHAPE.test(received);
  const { secret } = settings;
  let expected: SignatureReport['expected'] = null;
  let matched: SignatureReport['matched'] = null;
  if (secret !== undefined && canonical !== null) {
    expected = {
      php: await signMessage(secret, canonical.php),
      uri: canonical.uri === null ? null : await signMessage(secret, canonical.uri),
    };
    if (received !== null) {
      const strings = canonical.uri === null ? { php: canonical.php } : { php: canonical.php, uri: canonical.uri };
      matched = (await matchSignature(strings, received, [secret])) ?? null;
    }
  }
  const tried: { pitfall: Pitfall; matched: boolean }[] = [];
  let signatureCause: Cause | undefined;
  if (secret !== undefined && received !== null && matched === null && raw.length > 0) {
    const tested = new Set<string>(canonical === null ? [] : [canonical.php, canonical.uri ?? canonical.php]);
    if (!wellFormed && expected !== null) {
      const normal = normaliseSign(received);
      const hit = normal === expected.php || normal === expected.uri;
      tried.push({ pitfall: 'sign-reformatted', matched: hit });
      if (hit) {
        signatureCause = {
          pitfall: 'sign-reformatted',
          message: `The sign is ${received.length} characters, not VK's 43 base64url ones, but once put back in that shape (padding dropped, "+" and "/" as "-" and "_") it matches: something re-encoded the sign. Pass it on exactly as VK sent it.`,
        };
      }
    }
    for (const computation of wrongComputations(raw, query)) {
      let hit = false;
      let fresh = false;
      for (const message of computation.messages) {
        if (tested.has(message)) continue;
        tested.add(message);
        fresh = true;
        if ((await signMessage(secret, message)) === received) hit = true;
      }
      if (!fresh) continue;
      const last = tried[tried.length - 1];
      if (last?.pitfall === computation.pitfall) last.matched ||= hit;
      else tried.push({ pitfall: computation.pitfall, matched: hit });
      if (hit && signatureCause === undefined) {
        signatureCause = { pitfall: computation.pitfall, message: computation.explanation };
      }
    }
    if (signatureCause === undefined && wellFormed) {
      const names = [...new Set(tried.map((entry) => entry.pitfall))];
      const alternatives = names.length > 0 ? ` Also tried, without a match: ${names.join(', ')}.` : '';
      signatureCause = {
        pitfall: 'wrong-secret',
        message: `The sign matches neither canonical string.${alternatives} So the secret is not this app's Secure key ("Защищённый ключ" in the app's settings, not the service token), or the params were changed after VK signed them.`,
      };
    }
  }
  // The expected signs served the diagnosis; they leave it only when asked for.
  const shown = settings.showExpectedSign === true ? expected : null;
  return { signature: { received, wellFormed, expected: shown, matched, tried }, signatureCause };
}

function describeTimestamp(raw: readonly RawPair[], settings: ExplainSettings): TimestampReport {
  const base = { maxAge: settings.maxAge, clockSkew: settings.clockSkew };
  const value = firstValue(raw, 'vk_ts');
  const empty = { value: value ?? null, unixMs: null, iso: null, unit: null, ageSeconds: null };
  if (value === undefined || value === '') {
    return { ...base, ...empty, status: settings.maxAge === 0 ? 'not-checked' : 'missing' };
  }
  const ts = parseInteger(value);
  if (ts === undefined) return { ...base, ...empty, status: 'malformed' };
  const unixMs = toMilliseconds(ts);
  const described = {
    value,
    unixMs,
    iso: new Date(unixMs).toISOString(),
    unit: unixMs === Number(value) ? 'milliseconds' : 'seconds',
    ageSeconds: Math.floor((settings.now - unixMs) / 1000),
  } as const;
  if (settings.maxAge === 0) return { ...base, ...described, status: 'not-checked' };
  try {
    checkFreshness(unixMs, {
      maxAgeMs: settings.maxAge * 1000,
      clockSkewMs: settings.clockSkew * 1000,
      now: () => settings.now,
      secretsFor: () => [],
    });
    return { ...base, ...described, status: 'fresh' };
  } catch (error) {
    return { ...base, ...described, status: VkAuthError.is(error, 'TS_IN_FUTURE') ? 'future' : 'expired' };
  }
}

function describeApp(raw: readonly RawPair[], expected: readonly number[] | undefined): AppReport {
  const value = firstValue(raw, 'vk_app_id');
  const id = idOf(raw, 'vk_app_id');
  const status: AppReport['status'] =
    value === undefined || value === ''
      ? 'missing'
      : id === null
        ? 'malformed'
        : expected === undefined
          ? 'not-checked'
          : expected.includes(id)
            ? 'match'
            : 'mismatch';
  return { id, expected: expected ?? null, status };
}

/**
 * The library's verdict. With the secret, `verifyLaunchParams` itself; without
 * it, the same pipeline minus the signature: read, identity, sign shape, app,
 * expiry, with the library's own functions and messages.
 */
async function verdict(input: string, settings: ExplainSettings): Promise<ExplainReport['error']> {
  const options = {
    ...(settings.appIds ? { appId: settings.appIds } : {}),
    maxAge: settings.maxAge,
    clockSkew: settings.clockSkew,
    now: () => settings.now,
  };
  try {
    if (settings.secret !== undefined) await verifyLaunchParams(input, { ...options, secret: settings.secret });
    else {
      // A placeholder secret only lets the options compile: nothing is signed or compared with it.
      const compiled = compileOptions({ ...options, secret: 'not-used' });
      const credential = readCredential(input);
      const identity = readIdentity(credential.pairs);
      if (!SIGN_SHAPE.test(identity.sign)) {
        throw new VkAuthError('SIGN_INVALID', SIGN_SHAPE_MESSAGE);
      }
      compiled.secretsFor(identity.appId);
      checkFreshness(timestampMs(credential.pairs), compiled);
    }
    return null;
  } catch (error) {
    if (!VkAuthError.is(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

function causeOf(
  report: Omit<ExplainReport, 'cause' | 'warnings'>,
  signatureCause: Cause | undefined,
  raw: readonly RawPair[],
  settings: ExplainSettings,
): Cause | null {
  const { error, timestamp, app, signature } = report;
  if (error === null) {
    if (report.ok) return null;
    return {
      pitfall: null,
      message:
        "Everything but the sign checks out, and the sign cannot be checked without the secret: set VK_APP_SECRET to the app's Secure key and run again.",
    };
  }
  const signNote = !report.signChecked
    ? ''
    : signature.matched !== null
      ? ' The sign itself matches.'
      : signature.received !== null
        ? ' The sign does not match either (see Signature).'
        : '';
  switch (error.code) {
    case 'SIGN_INVALID':
      if (signatureCause) return signatureCause;
      if (!signature.wellFormed && signature.received !== null) {
        return {
          pitfall: null,
          message: `The sign is ${signature.received.length} characters, but VK's are always 43 base64url characters ([A-Za-z0-9_-]): it was cut, padded or altered on the way (a stale example from VK's docs has 44).`,
        };
      }
      return { pitfall: null, message: error.message };
    case 'DUPLICATE_PARAM': {
      if (signatureCause?.pitfall === 'duplicate-key') return signatureCause;
      const names = report.duplicates.map((key) => `"${key}"`).join(', ');
      return {
        pitfall: 'duplicate-key',
        message: `${names || 'A key'} appears more than once. Parsers disagree on whether the first or the last value counts, so an attacker can append a second vk_user_id to a genuine query: any repeated key is refused.${signNote}`,
      };
    }
    case 'EXPIRED':
      return {
        pitfall: 'expired',
        message: `vk_ts is ${duration(timestamp.ageSeconds ?? 0)} old, over --max-age ${timestamp.maxAge} s (plus ${timestamp.clockSkew} s of clock skew). VK signs launch params once, when it opens the app: the client must send fresh ones (reopen the app), or pass --max-age 0 to inspect old params.${signNote}`,
      };
    case 'TS_IN_FUTURE':
      return {
        pitfall: 'future-timestamp',
        message: `vk_ts is ${duration(timestamp.ageSeconds ?? 0)} in the future, beyond the ${timestamp.clockSkew} s of clock skew allowed: this machine's clock is behind, or vk_ts was edited.${signNote}`,
      };
    case 'TS_MISSING':
      return {
        pitfall: 'missing-timestamp',
        message: `There is no vk_ts, so the age cannot be checked (very old launches lack it): pass --max-age 0 to accept params without one.${signNote}`,
      };
    case 'APP_ID_MISMATCH':
      return {
        pitfall: 'wrong-app',
        message: `These launch params are for app ${app.id}, not ${(app.expected ?? []).join(' or ')}: check --app-id, or whether the client runs another app (a test copy of an app has its own id and Secure key).${signNote}`,
      };
    case 'SIGN_MISSING':
      if (settings.fromArgument && raw.length === 1) {
        return {
          pitfall: 'truncated',
          message:
            'Only one parameter arrived and no sign: a URL pasted into a shell without quotes is cut at the first "&" (the rest runs as another command). Put INPUT in single quotes.',
        };
      }
      return {
        pitfall: null,
        message:
          'There is no sign parameter: send the whole query VK gave the app (location.search), not a part of it.',
      };
    case 'MALFORMED': {
      if (report.input.query !== null && !report.input.query.includes('=') && /%3D/i.test(report.input.query)) {
        return {
          pitfall: 'whole-query-encoded',
          message:
            'The whole query was percent-encoded once more ("=" arrived as "%3D", "&" as "%26"): send location.search as it is, without encodeURIComponent around it.',
        };
      }
      const bad = report.pairs.findIndex((pair) => pair.malformed);
      if (bad !== -1) {
        return {
          pitfall: null,
          message: `Pair ${bad + 1} ("${report.pairs[bad]?.rawKey}") holds a malformed "%" escape or bytes that are not UTF-8: send location.search exactly as VK gave it.`,
        };
      }
      return { pitfall: null, message: error.message };
    }
    default:
      return { pitfall: null, message: error.message };
  }
}

function warningsOf(report: Omit<ExplainReport, 'cause' | 'warnings'>, cause: Cause | null): string[] {
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
  if (report.signature.matched === 'uri') {
    warnings.push(
      'The sign matches the encodeURIComponent form of the canonical string (a space as "%20"), not PHP\'s urlencode; both are accepted.',
    );
  }
  return warnings;
}
