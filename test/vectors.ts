import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LaunchParamsVector {
  id: string;
  source: string;
  secret: string;
  input: string;
  valid: boolean;
  note?: string;
}

export interface Vectors {
  launchParams: LaunchParamsVector[];
}

// The known-answer vectors, each with the source it came from. They live in the
// repository (test/fixtures/vectors.json) so the suite needs nothing beside it.
const path = fileURLToPath(new URL('./fixtures/vectors.json', import.meta.url));

export const vectors: Vectors = JSON.parse(readFileSync(path, 'utf8'));
