// `explain` renders the library's trace of verification (src/trace.ts): its
// verdict is verify's on every input, including the ones where a copy of the
// pipeline once drifted from it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExplainReport } from '../../src/cli/explain/report.js';
import { assertBuilt, cli, hmac, launch, nowSeconds } from './run-cli.js';

beforeAll(assertBuilt);

const explain = async (input: string, args: string[] = [], secret?: false) => {
  const result = await cli(['explain', '--json', ...args, input], secret === false ? { secret } : {});
  return { status: result.status, report: result.json() as unknown as ExplainReport };
};

const verify = async (input: string, args: string[] = []) => {
  const result = await cli(['verify', '--json', ...args, input]);
  return { status: result.status, code: (result.json().error as { code?: string } | undefined)?.code ?? null };
};

const ts = nowSeconds();

describe.concurrent('explain renders the trace', () => {
  it('says the sign matches when the signed pairs match as sent, though they are not the canonical string', async () => {
    // VK signed the text as it sent it, with a raw ",": the library accepts it, and so does explain.
    const signed = `vk_app_id=6&vk_experiment=a,b&vk_ts=${ts}&vk_user_id=5`;
    const input = `${signed}&sign=${hmac(signed)}`;
    const [{ status, report }, verified] = await Promise.all([explain(input), verify(input)]);
    expect(verified.status).toBe(0);
    expect(status).toBe(0);
    expect(report).toMatchObject({ ok: true, error: null, cause: null });
    expect(report.signature).toMatchObject({ matched: 'php', tried: [] });
    expect(report.canonical?.php).toBe(signed.replace('a,b', 'a%2Cb'));
    expect(report.warnings).toContainEqual(expect.stringContaining('exactly as they arrived'));
  });

  it('without a secret, refuses a value of the wrong type, as verify does after the sign', async () => {
    const signed = `vk_app_id=6&vk_is_app_user=2&vk_ts=${ts}&vk_user_id=5`;
    const input = `${signed}&sign=${hmac(signed)}`;
    const [{ status, report }, verified] = await Promise.all([explain(input, [], false), verify(input)]);
    expect(verified).toEqual({ status: 1, code: 'MALFORMED' });
    expect(status).toBe(1);
    expect(report).toMatchObject({ signChecked: false, error: { code: 'MALFORMED' } });
  });

  it('shows every pair of a query refused for a key repeated in the middle', async () => {
    const query = launch();
    const { status, report } = await explain(`vk_user_id=1&${query}&utm=1`);
    expect(status).toBe(1);
    expect(report.error?.code).toBe('DUPLICATE_PARAM');
    expect(report.pairs).toHaveLength(query.split('&').length + 2);
    expect(report.pairs.at(-1)).toMatchObject({ key: 'utm', role: 'ignored', duplicate: false });
    expect(report.duplicates).toEqual(['vk_user_id']);
    // With the secret, it tells which of the two values the sign covers.
    expect(report.cause?.pitfall).toBe('duplicate-key');
    expect(report.cause?.message).toMatch(/only the last value of each/);
  });

  it.each([
    ['a valid launch', launch(), []],
    ['another app', launch(), ['--app-id', '7']],
    ['a sign of another shape', `${launch()}x`, []],
    ['a broken escape', `${launch()}&vk_x=%E0`, []],
    ['no vk_user_id', `vk_app_id=6&vk_ts=${ts}&sign=${hmac('x')}`, []],
    ['base64 of nothing', 'aGVsbG8=', []],
    ['a vk_ts in milliseconds', launch({ vk_ts: ts * 1000 }), []],
    ['an old launch, expiry off', launch({ vk_ts: ts - 7200 }), ['--max-age', '0']],
  ])('reaches the verdict of verify: %s', async (_, input, args) => {
    const [{ status, report }, verified] = await Promise.all([explain(input, args), verify(input, args)]);
    expect(status).toBe(verified.status);
    expect(report.error?.code ?? null).toBe(verified.code);
  });
});
