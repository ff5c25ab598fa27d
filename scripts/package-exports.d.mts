/** The "exports" and "typesVersions" package.json must hold for these entries. */
export function packageExports(entries?: readonly { subpath: string; name: string; web: boolean }[]): {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
};
