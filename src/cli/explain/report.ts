// The `--json` document of `explain`: a stable shape, documented in docs/cli.md.
// Fields are only ever added, never renamed or given another meaning.

/** A named, known cause of failure that `explain` can recognise. */
export type Pitfall =
  /** A value was percent-encoded twice: in transit (`%252C` arrives), or by the signer (raw values re-encoded). */
  | 'double-encoded'
  /** The signer decoded the whole query before splitting it on `&` and `=`. */
  | 'whole-string-decoded'
  /** The whole query was percent-encoded once more (`vk_user_id%3D…`), so it has no `=` left. */
  | 'whole-query-encoded'
  /** The signer included parameters that are not `vk_*`. */
  | 'extra-params-signed'
  /** The signer joined the values without re-encoding them, or signed the text as it arrived. */
  | 'not-reencoded'
  /** The signer did not sort the pairs by key. */
  | 'not-sorted'
  /** A key appears more than once. */
  | 'duplicate-key'
  /** The sign was re-written: padded, in standard base64, or its `+` decoded as a space. */
  | 'sign-reformatted'
  /** Only the first pair arrived: the URL was pasted into a shell without quotes and cut at `&`. */
  | 'truncated'
  /** No computation matches: not this app's Secure key, or the params were changed after signing. */
  | 'wrong-secret'
  | 'expired'
  | 'future-timestamp'
  | 'missing-timestamp'
  | 'wrong-app';

/** Everything `explain` found, in the order it checks things. */
export interface ExplainReport {
  readonly command: 'explain';
  /** True only when the launch params verified, which needs the secret. */
  readonly ok: boolean;
  /** 0 valid, 1 invalid, 2 the sign could not be checked (no secret) and nothing else failed. */
  readonly exitCode: 0 | 1 | 2;
  /** Whether a secret was given, so the sign was checked. */
  readonly signChecked: boolean;
  /** The library's verdict when it refused the params: its stable code and message. */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Why, in plain words, with the recognised pitfall when there is one; `null` when valid. */
  readonly cause: { readonly pitfall: Pitfall | null; readonly message: string } | null;
  readonly input: InputReport;
  /** Every pair, in the order received. */
  readonly pairs: readonly PairReport[];
  /** Keys that appear more than once. */
  readonly duplicates: readonly string[];
  /** The string VK signs, when the pairs allow one (no duplicate, no malformed escape). */
  readonly canonical: { readonly php: string; readonly uri: string | null } | null;
  readonly signature: SignatureReport;
  readonly timestamp: TimestampReport;
  readonly app: AppReport;
  readonly user: { readonly id: number | null };
  /** Things worth knowing that are not failures by themselves. */
  readonly warnings: readonly string[];
}

/** How the input was recognised. */
export interface InputReport {
  readonly length: number;
  /** `query` (bare or `?query`), `url`, `base64`, or `null` when it was not recognised. */
  readonly form: 'query' | 'url' | 'base64' | null;
  /** The Authorization scheme that was stripped, if any. */
  readonly scheme: 'Bearer' | 'VK' | null;
  /** For base64, the text it decoded to. */
  readonly base64Decoded: string | null;
  /** The query the pairs were read from (no `?`, no `#fragment`). */
  readonly query: string | null;
}

/** One `key=value` pair of the query. */
export interface PairReport {
  /** Decoded key and value (form semantics: `+` is a space). */
  readonly key: string;
  readonly value: string;
  /** The key and value as they arrived; `rawValue` is `null` when the pair had no `=`. */
  readonly rawKey: string;
  readonly rawValue: string | null;
  /** `signed` for `vk_*`, `sign` for the signature, `ignored` for anything else (not signed: never trust it). */
  readonly role: 'signed' | 'sign' | 'ignored';
  /** A later occurrence of a key seen before. */
  readonly duplicate: boolean;
  /** A malformed `%` escape or bytes that are not UTF-8: `key`/`value` then hold the raw text. */
  readonly malformed: boolean;
}

/** The sign: received, expected (only with the secret and `--show-expected-sign`) and what matched. */
export interface SignatureReport {
  readonly received: string | null;
  /** 43 base64url characters, the only shape VK's signs take. */
  readonly wellFormed: boolean;
  /**
   * The signs of both canonical strings under the given secret, only with
   * `--show-expected-sign` (each is a valid sign for these params: a forged
   * launch in the wrong hands); `null` otherwise, and always without a secret.
   */
  readonly expected: { readonly php: string; readonly uri: string | null } | null;
  /**
   * The canonical encoding the received sign matches, or `null`. `php` also
   * when it matched the signed pairs exactly as sent (the library hashes them
   * so first), even where they are not the canonical string: a note says so.
   */
  readonly matched: 'php' | 'uri' | null;
  /** When the sign did not match: each known wrong computation tried, and whether it matched. */
  readonly tried: readonly { readonly pitfall: Pitfall; readonly matched: boolean }[];
}

/** `vk_ts` and the expiry check. */
export interface TimestampReport {
  readonly value: string | null;
  readonly unixMs: number | null;
  readonly iso: string | null;
  /** VK sends seconds; some OK launches send milliseconds (a value above 10^12). */
  readonly unit: 'seconds' | 'milliseconds' | null;
  /** Seconds between `vk_ts` and now; negative in the future. */
  readonly ageSeconds: number | null;
  /** `not-checked` when `--max-age 0`. */
  readonly status: 'fresh' | 'expired' | 'future' | 'missing' | 'malformed' | 'not-checked';
  readonly maxAge: number;
  readonly clockSkew: number;
}

/** `vk_app_id` and the `--app-id` check. */
export interface AppReport {
  readonly id: number | null;
  /** The `--app-id` values, or `null` when not given. */
  readonly expected: readonly number[] | null;
  /** `not-checked` without `--app-id`. */
  readonly status: 'match' | 'mismatch' | 'not-checked' | 'missing' | 'malformed';
}
