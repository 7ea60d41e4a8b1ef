import { createBuiltinRegistry } from '../../src/tasks/index.ts'

/** Every queue a built-in task routes to: what a deployment's workers must consume between them. */
export function builtinQueues(): string[] {
  const registry = createBuiltinRegistry()
  return [...new Set(registry.names().map((name) => registry.get(name)?.options.queue as string))].sort()
}
