// Compile-time assertions for the consumer project: nothing here runs.

/** `true` when `A` and `B` are the same type: `any` equals only `any`, `unknown` only `unknown`. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * `equalTypes<Actual, Expected>()` compiles only when the two are the same type; otherwise
 * TypeScript asks for an argument it cannot have (TS2554), naming both types.
 */
export function equalTypes<Actual, Expected>(
  ..._same: Equal<Actual, Expected> extends true ? [] : [actual: Actual, expected: Expected]
): void {}
