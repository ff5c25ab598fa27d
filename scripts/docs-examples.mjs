// Keeps the complete programs shown in the docs identical to files the test
// suite runs or type-checks. In a Markdown file, a line
//
//   <!-- example: examples/readme/server.mjs -->
//
// is followed by a fenced code block whose body is that file, verbatim.
//
//   node scripts/docs-examples.mjs          rewrite the blocks from the files
//   node scripts/docs-examples.mjs --check  exit 1 and name every stale block
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Markdown files that may show examples, relative to the repository. */
export const DOCUMENTS = ['README.md', 'docs/getting-started.md'];

const MARKER = /^<!-- example: (\S+) -->$/;
const FENCE_LANGUAGE = { '.mjs': 'js', '.js': 'js', '.ts': 'ts', '.sh': 'sh' };

/**
 * Returns `text` with every marked block replaced by the file it names, and
 * the files it named. Throws when a marker is not followed by a fenced block.
 */
export function fillExamples(text, readExample) {
  const lines = text.split('\n');
  const used = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (marker === null) continue;
    const path = marker[1];
    const open = lines[i + 1] ?? '';
    if (!open.startsWith('```')) throw new Error(`${path}: the line after its marker must open a fenced block`);
    let close = i + 2;
    while (close < lines.length && lines[close] !== '```') close++;
    if (close === lines.length) throw new Error(`${path}: its fenced block is never closed`);
    const body = readExample(path).replace(/\n$/, '').split('\n');
    const language = FENCE_LANGUAGE[extname(path)] ?? '';
    lines.splice(i + 1, close - i, `\`\`\`${language}`, ...body, '```');
    used.push(path);
    i += body.length + 2;
  }
  return { text: lines.join('\n'), used };
}

/** Every document whose blocks differ from their files, and every example file used. */
export function staleDocuments() {
  const stale = [];
  const used = [];
  for (const document of DOCUMENTS) {
    const current = readFileSync(join(root, document), 'utf8');
    const filled = fillExamples(current, (path) => readFileSync(join(root, path), 'utf8'));
    if (filled.text !== current) stale.push(document);
    used.push(...filled.used);
  }
  return { stale, used };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  for (const document of DOCUMENTS) {
    const current = readFileSync(join(root, document), 'utf8');
    const { text } = fillExamples(current, (path) => readFileSync(join(root, path), 'utf8'));
    if (text === current) continue;
    if (check) {
      console.error(`${document}: an example differs from its file; run \`npm run docs:examples\`.`);
      process.exitCode = 1;
    } else {
      writeFileSync(join(root, document), text);
      console.log(`${document}: examples updated`);
    }
  }
}
