/** The Markdown files that may show examples, relative to the repository. */
export const DOCUMENTS: readonly string[];
/** Returns `text` with every marked block replaced by the file it names, and the files it named. */
export function fillExamples(text: string, readExample: (path: string) => string): { text: string; used: string[] };
/** Every document whose blocks differ from their files, and every example file used. */
export function staleDocuments(): { stale: string[]; used: string[] };
