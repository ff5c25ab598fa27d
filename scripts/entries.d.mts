/** Every subpath of the package: tsdown, TypeDoc and package.json's exports are written from it. */
export const ENTRIES: readonly { subpath: string; name: string; source: string; web: boolean }[];
