import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LaunchParamsVector {
  id: string;
  secret: string;
  input: string;
  valid: boolean;
  note?: string;
}

export interface Vectors {
  launchParams: LaunchParamsVector[];
}

// The shared vectors are the specification; read them where they live so a
// new vector is tested without copying it here.
const path = fileURLToPath(new URL('../../shared/docs/vectors.json', import.meta.url));

export const vectors: Vectors = JSON.parse(readFileSync(path, 'utf8'));
