import type { Output } from './io.js';

/** Text styles; each is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly good: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly accent: (text: string) => string;
}

/**
 * Whether to colour a stream: `FORCE_COLOR` (anything but `0` or `false`)
 * forces it on, as in Node itself; otherwise `NO_COLOR` (non-empty) or
 * `NODE_DISABLE_COLORS` turn it off; otherwise only a terminal that is not
 * `TERM=dumb` gets colour.
 */
export function colorEnabled(stream: Output, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.NODE_DISABLE_COLORS !== undefined && env.NODE_DISABLE_COLORS !== '') return false;
  return stream.isTTY && env.TERM !== 'dumb';
}

/** The styles for a stream, coloured or plain. */
export function styleFor(stream: Output, env: Readonly<Record<string, string | undefined>>): Style {
  const on = colorEnabled(stream, env);
  const sgr = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    enabled: on,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    good: sgr(32, 39),
    bad: sgr(31, 39),
    warn: sgr(33, 39),
    accent: sgr(36, 39),
  };
}

/** Writes one JSON document and a newline. */
export function writeJson(stream: Output, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Text from the input as it may be shown on a terminal: control characters
 * (an escape sequence in a pasted URL could rewrite the screen) are written
 * as `\xNN`.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Pads `text` with spaces to `width` visible characters. */
export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A duration in seconds as a person says it: `42 s`, `12 min`, `3 h 5 min`, `812 days`. */
export function duration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** `12 min ago`, or `in 12 min` for a time in the future. */
export function age(seconds: number): string {
  return seconds < 0 ? `in ${duration(seconds)}` : `${duration(seconds)} ago`;
}
