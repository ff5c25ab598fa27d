// The demo's sessions end to end, with fake clocks on both sides: the demo app
// (buildApp, in this process, its `now` driven by the test) and its page in a
// real headless Chromium (Playwright's clock, driving the page's refresh timer).
// The page opens with a launch, keeps refreshing the user for two hours — an
// hour past the launch's maxAge — on the session token the server renews, and
// is refused once the session reaches maxLifetime (a day after the launch).
//
// Needs Debian's Chromium: skipped with a warning when it is missing locally,
// failed under CI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../examples/demo/server/app.mjs';
import { loadConfig } from '../../examples/demo/server/config.mjs';
import { openStore } from '../../examples/demo/server/store.mjs';
import { signLaunchParams } from '../../src/index.js';
import { launchChromium, skipWithoutChromium } from '../chromium.js';
import { ROOT, requireBuild, tempDir } from './server-harness.js';

const skip = skipWithoutChromium('demo sessions');
const MINUTE = 60_000;
/** The launch's time, on both clocks: a whole second. */
const LAUNCHED_MS = Math.floor(Date.now() / 1000) * 1000;

describe.skipIf(skip)('the demo page on a session that outlives its launch (Chromium, fake clocks)', () => {
  const temp = tempDir('vk-demo-sessions-');
  const clock = { ms: LAUNCHED_MS };
  let close: (() => Promise<void>) | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base = '';
  let query = '';
  /** Every /api/me exchange: what the page sent, what it got. */
  const exchanges: { authorization: string; status: number; code: unknown; session: string | undefined }[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    requireBuild();
    const config = loadConfig({ SQLITE_PATH: join(temp.dir, 'demo.sqlite') });
    const store = await openStore(config.database);
    const app = await buildApp({ config, store, now: () => clock.ms });
    // Recorded where it is answered: the browser may drop a body nobody reads (a refused session's).
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url !== '/api/me') return payload;
      exchanges.push({
        authorization: request.headers.authorization ?? '',
        status: reply.statusCode,
        code: typeof payload === 'string' ? (JSON.parse(payload) as { code?: unknown }).code : undefined,
        session: reply.getHeader('vk-session') as string | undefined,
      });
      return payload;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = async () => {
      await app.close();
      await store.close();
    };
    query = await signLaunchParams(
      {
        vk_app_id: config.appId,
        vk_user_id: 494075,
        vk_ts: LAUNCHED_MS / 1000,
        vk_platform: 'mobile_android',
        vk_language: 'ru',
        vk_is_app_user: 1,
      },
      config.secret,
    );

    context = await launchChromium(join(temp.dir, 'profile'), { locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.clock.install({ time: LAUNCHED_MS });
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await close?.();
    temp.remove();
  }, 20_000);

  /** Moves both clocks on by `ms` (the page's refresh timer fires) and waits for the /api/me it sends. */
  async function later(ms: number): Promise<void> {
    const before = exchanges.length;
    clock.ms += ms;
    await page.clock.fastForward(ms);
    await expect.poll(() => exchanges.length, { timeout: 10_000 }).toBeGreaterThan(before);
    await page.locator('body:not([data-state="loading"])').waitFor();
  }

  it('opens with the launch params and gets a session token', async () => {
    await page.goto(`${base}/?${query}`);
    await page.locator('body[data-state="user"]').waitFor();
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]?.authorization).toBe(`Bearer ${query}`);
    expect(exchanges[0]?.status).toBe(200);
    expect(exchanges[0]?.session).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('still loads the user two hours after the launch, on renewed session tokens', async () => {
    for (let minutes = 5; minutes <= 120; minutes += 5) {
      await later(5 * MINUTE);
      expect(await page.locator('body').getAttribute('data-state'), `${minutes} min`).toBe('user');
    }
    const refreshes = exchanges.slice(1);
    expect(refreshes.length).toBeGreaterThanOrEqual(24);
    expect(refreshes.every((exchange) => exchange.status === 200)).toBe(true);
    // Every refresh went on a session token, never the (long expired) launch params.
    expect(refreshes.every((exchange) => /^Bearer eyJ/.test(exchange.authorization))).toBe(true);
    expect(new Set(refreshes.map((exchange) => exchange.authorization)).size).toBeGreaterThan(5); // renewed
    expect(await page.getByTestId('verified-age').textContent()).toMatch(/^2 hours ago/);
    expect(await page.getByTestId('user-id').textContent()).toBe('494075');
    await page.screenshot({ path: join(ROOT, 'test-results/demo-session-2h.png'), fullPage: true });
  }, 120_000);

  it('the Refresh button asks again, on the session', async () => {
    const before = exchanges.length;
    await page.getByTestId('refresh').click();
    await expect.poll(() => exchanges.length).toBe(before + 1);
    expect(exchanges.at(-1)).toMatchObject({ status: 200 });
    expect(exchanges.at(-1)?.authorization).toMatch(/^Bearer eyJ/);
  });

  it('is refused once the session reaches maxLifetime: the token, then the launch params once', async () => {
    // Jump the server to a day after the launch; the page's timer fires once.
    clock.ms = LAUNCHED_MS + 86_400_000 + MINUTE;
    const before = exchanges.length;
    await page.clock.fastForward(5 * MINUTE);
    await expect.poll(() => exchanges.length, { timeout: 10_000 }).toBe(before + 2);
    await page.locator('body[data-state="error"]').waitFor();
    const [token, fallback] = exchanges.slice(before);
    expect(token).toMatchObject({ status: 401, code: 'SESSION_EXPIRED' });
    expect(token?.authorization).toMatch(/^Bearer eyJ/);
    expect(fallback).toMatchObject({ status: 401, code: 'EXPIRED', authorization: `Bearer ${query}` });
    expect(await page.getByTestId('error-code').textContent()).toBe('EXPIRED');
    expect(problems).toEqual([]);
  });
});
