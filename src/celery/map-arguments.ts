export type MappedInput = { ok: true; input: Record<string, unknown> } | { ok: false; message: string }

/**
 * Puts a Celery call's `args` and `kwargs` onto a task's object input: keywords by name,
 * positional arguments by the order the task declares (its `celeryArgs`). A positional argument
 * without a declared name, or a name given both ways, is refused with the argument named.
 */
export function mapArguments(
  task: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  argNames: readonly string[] | undefined,
): MappedInput {
  const names = argNames ?? []
  if (args.length > names.length) {
    const declared = names.length === 0 ? 'declares no positional arguments' : `declares ${names.join(', ')}`
    return {
      ok: false,
      message: `${task}() takes ${names.length} positional argument(s) but ${args.length} were given: argument ${names.length + 1} has no name (the task ${declared} in celeryArgs)`,
    }
  }
  const input: Record<string, unknown> = {}
  args.forEach((value, index) => {
    input[names[index] as string] = value
  })
  for (const [name, value] of Object.entries(kwargs)) {
    if (Object.hasOwn(input, name))
      return { ok: false, message: `${task}() got multiple values for argument '${name}'` }
    input[name] = value
  }
  return { ok: true, input }
}
