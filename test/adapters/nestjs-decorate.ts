import 'reflect-metadata';
import type { Type } from '@nestjs/common';

// The project compiles without `experimentalDecorators`, so the Nest tests apply
// decorators as calls; each use is commented with the syntax it stands for.

/** `@A() @B() class Target {}`. */
export function decorate<T extends Type>(target: T, ...decorators: ClassDecorator[]): T {
  Reflect.decorate(decorators, target);
  return target;
}

/** `@A() @B() name(@P0() a, @P1() b) {}`: method decorators, then one decorator (or none) per parameter. */
export function decorateMethod(
  target: Type,
  name: string,
  decorators: MethodDecorator[],
  ...parameters: (ParameterDecorator | undefined)[]
): void {
  parameters.forEach((decorator, index) => {
    decorator?.(target.prototype, name, index);
  });
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  Object.defineProperty(target.prototype, name, Reflect.decorate(decorators, target.prototype, name, descriptor));
}
