import { fail } from './errors.js';
import type { CompiledOptions } from './options.js';

/**
 * Refuses a signature time that is too old or too far in the future. With
 * `maxAge: 0` nothing is checked, so even a launch without `vk_ts` passes.
 */
export function checkFreshness(
  timestampMs: number | undefined,
  options: Pick<CompiledOptions, 'maxAgeMs' | 'clockSkewMs' | 'now'>,
  field = 'vk_ts',
): void {
  if (options.maxAgeMs === 0) return;
  if (timestampMs === undefined) {
    fail(
      'TS_MISSING',
      `The signed data carry no ${field}, so their age cannot be checked; set maxAge: 0 to accept them.`,
    );
  }
  const age = options.now() - timestampMs;
  if (age > options.maxAgeMs + options.clockSkewMs) {
    fail(
      'EXPIRED',
      `The signed data are ${Math.floor(age / 1000)} s old, over maxAge (${options.maxAgeMs / 1000} s); the client should relaunch the app or fetch fresh launch params.`,
    );
  }
  if (-age > options.clockSkewMs) {
    fail('TS_IN_FUTURE', `${field} is ${Math.ceil(-age / 1000)} s in the future; check this server's clock.`);
  }
}
