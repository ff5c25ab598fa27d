// The verified-credential cache must be bounded by what it holds, whatever the
// input: a client with one genuine launch of its own sends 1024 spellings of it,
// each padded to the size limit with thousands of tiny unsigned pairs
// (`&0&1&2…`). Every one verifies (padding is not signed) and is remembered.
// The heap one adapter instance then holds must stay within the worst case
// documented in docs/adapters.md ("The verified-credential cache"). Each flood
// runs in a fresh process (cache-flood.mjs, against the built package), so
// nothing else the test process allocates or frees blurs the figure.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The documented worst case of one adapter instance with the default 1024 entries. */
const BOUND_MIB = 24;
const script = fileURLToPath(new URL('./cache-flood.mjs', import.meta.url));

function flood(text: 'one-byte' | 'two-byte'): Promise<{ accepted: number; grownMiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, text], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${script} ${text} failed: ${error.message}\n${stderr}`));
      const { accepted, grownBytes } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      resolve({ accepted, grownMiB: grownBytes / 2 ** 20 });
    });
  });
}

describe('the verified-credential cache under a flood of padded spellings of one launch', () => {
  it.each([
    // Header values are one byte a character: 1024 × 8 KiB of text.
    ['one-byte', 8],
    // A custom getCredentials may hand over two-byte text: 1024 × 16 KiB, the worst case.
    ['two-byte', 16],
  ] as const)(`%s text: every spelling accepted, the instance holds under ${BOUND_MIB} MiB`, async (text, textMiB) => {
    const { accepted, grownMiB } = await flood(text);
    expect(accepted, 'padding is not signed: every spelling verifies, and is remembered').toBe(1024);
    // At least the text it remembers: less would mean the flood missed the cache.
    expect(grownMiB, `grew ${grownMiB.toFixed(1)} MiB`).toBeGreaterThan(textMiB);
    expect(grownMiB, `grew ${grownMiB.toFixed(1)} MiB`).toBeLessThan(BOUND_MIB);
  });
});
