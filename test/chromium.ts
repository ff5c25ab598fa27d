import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium: `.ci/run` installs it; playwright-core never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, as root, and quiet on a machine whose network is closed. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether a browser test file skips: only where Chromium is missing outside CI
 * (with a warning). Under CI a missing Chromium fails, through {@link launchChromium}.
 */
export function skipWithoutChromium(label: string): boolean {
  const skip = !existsSync(CHROMIUM) && !process.env.CI;
  if (skip) console.warn(`[${label}] ${CHROMIUM} is missing: skipping the browser test (under CI this fails).`);
  return skip;
}

/** Starts Chromium with a fresh profile in `profileDir`. */
export function launchChromium(
  profileDir: string,
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser test needs it (apt-get install -y chromium; .ci/run does it).`,
    );
  }
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ...options,
  });
}
