// Reads Markdown the way a repository host renders it, as far as links go:
// which relative links a page makes, and which #anchors its headings create.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A page's text with fenced code blocks and inline code spans blanked out (links there are not links). */
export function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
}

/**
 * The anchor GitHub gives a heading: its text as rendered (code, links and
 * emphasis reduced to their text), lower-cased, punctuation other than `-`
 * and `_` removed, spaces turned into `-`.
 */
export function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page defines: heading slugs (repeats numbered -1, -2, …) and explicit `id`/`name` attributes. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id ?? '');
  return anchors;
}

/** The link targets of a page, outside code: inline links, images, reference definitions and `href`s. */
export function linksOf(markdown: string): string[] {
  const text = withoutCode(markdown);
  const links: string[] = [];
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(target ?? '');
  for (const [, target] of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) links.push(target ?? '');
  for (const [, target] of text.matchAll(/\bhref="([^"]+)"/g)) links.push(target ?? '');
  return links;
}

/** What is wrong with each relative link of `file` (a path under `root`), as `file: link: reason`. */
export function brokenLinks(root: string, file: string): string[] {
  const markdown = readFileSync(join(root, file), 'utf8');
  const problems: string[] = [];
  for (const link of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: and the like: not checked here
    const hash = link.indexOf('#');
    const path = decodeURIComponent(hash === -1 ? link : link.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(link.slice(hash + 1));
    const target = path === '' ? join(root, file) : join(root, dirname(file), path);
    if (!existsSync(target)) {
      problems.push(`${file}: ${link}: ${relative(root, target)} does not exist`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (statSync(target).isDirectory() || !target.endsWith('.md')) {
      problems.push(`${file}: ${link}: an anchor into something that is not a Markdown page`);
      continue;
    }
    if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
      problems.push(`${file}: ${link}: no heading or id "${anchor}" in ${relative(root, target)}`);
    }
  }
  return problems;
}
