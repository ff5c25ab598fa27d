// Every relative link and #anchor in the Markdown a reader meets (README.md,
// the project files beside it, docs/ with the generated API reference) must
// lead somewhere on a repository host: a file that exists, and a heading or id
// that exists in it.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, linksOf, slug } from './markdown-links.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = [
  'README.md',
  'CHANGELOG.md',
  'SECURITY.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
].sort();

describe('links in the docs', () => {
  it('finds the pages: the docs index, the API reference and every topic page', () => {
    expect(pages).toContain(join('docs', 'README.md'));
    expect(pages).toContain(join('docs', 'api', 'README.md'));
    expect(pages.length).toBeGreaterThan(25);
  });

  it.each(pages)('%s: every relative link and #anchor resolves', (page) => {
    expect(brokenLinks(root, page)).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Options (`VerifyOptions`)')).toBe('options-verifyoptions');
    expect(slug('In the browser: `vk-miniapp-auth/client`')).toBe('in-the-browser-vk-miniapp-authclient');
    expect(slug('clockSkew?')).toBe('clockskew');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n<a id="x"></a>')]).toEqual(['a', 'a-1', 'x']);
  });

  it('ignores links inside code, and reports a missing file and a missing anchor', () => {
    expect(linksOf('`[a](b.md)` and\n```\n[c](d.md)\n```\n[e](f.md)')).toEqual(['f.md']);
    const dir = mkdtempSync(join(tmpdir(), 'links-'));
    writeFileSync(
      join(dir, 'a.md'),
      '# Title\n[ok](#title) [gone](b.md) [no anchor](#nowhere) [web](https://x.example)',
    );
    expect(brokenLinks(dir, 'a.md')).toEqual([
      'a.md: b.md: b.md does not exist',
      'a.md: #nowhere: no heading or id "nowhere" in a.md',
    ]);
  });
});
