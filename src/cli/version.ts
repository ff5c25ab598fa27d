import { readFileSync } from 'node:fs';

/**
 * The package's version, read at run time from the `package.json` two folders
 * up from the built file (`dist/cli/vk-miniapp-auth.mjs`), so it is always
 * the installed one.
 */
export function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    if (manifest.name === 'vk-miniapp-auth' && typeof manifest.version === 'string') return manifest.version;
  } catch {
    // Fall through: a version is not worth failing for.
  }
  return 'unknown';
}
