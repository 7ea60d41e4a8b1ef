import { readdirSync, statSync } from 'node:fs'
import { extname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CeleriacError } from '../core/errors.ts'
import type { AnyTask } from '../core/task.ts'
import { isTaskDefinition } from '../core/task.ts'

/** A user's module could not give its tasks: exit 2, naming the file (and the task, if one). */
export class AppModuleError extends CeleriacError {
  override name = 'AppModuleError'
  constructor(file: string, problem: string) {
    super('CONFIG', `app module '${file}': ${problem}`)
  }
}

const MODULE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.mts'])

/** A folder's modules: its own script files, sorted, without type declarations or tests. */
function modulesIn(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => MODULE_EXTENSIONS.has(extname(name)))
    .filter((name) => !name.endsWith('.d.ts') && !/\.(test|spec)\.[a-z]+$/.test(name))
    .sort()
    .map((name) => join(folder, name))
}

function expand(path: string, cwd: string): string[] {
  const absolute = resolve(cwd, path)
  let stats: ReturnType<typeof statSync>
  try {
    stats = statSync(absolute)
  } catch {
    throw new AppModuleError(path, 'no such file or folder')
  }
  if (!stats.isDirectory()) return [absolute]
  const files = modulesIn(absolute)
  if (files.length === 0) throw new AppModuleError(path, 'the folder holds no .ts or .js module')
  return files
}

async function importModule(file: string, shown: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (err) {
    const message =
      err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err)
    throw new AppModuleError(shown, `failed to load: ${message.split('\n')[0]}`)
  }
}

/** Where tasks compiled into a user's own binary come from, in messages (see run-celeriac.ts). */
export const COMPILED_IN = 'compiled in'

/**
 * Imports the user's task modules (files or folders, as given to `-A`) and returns every task
 * they export, in order, after the tasks compiled into the binary. Refused with the file's name:
 * a module that fails to load, one that exports no task, a task name defined twice, and a name a
 * built-in task already has.
 */
export async function loadAppModules(
  paths: readonly string[],
  options: { cwd: string; reserved: ReadonlySet<string>; compiled?: readonly unknown[] },
): Promise<AnyTask[]> {
  const tasks: AnyTask[] = []
  const definedIn = new Map<string, string>()
  const sources: { shown: string; found: () => Promise<AnyTask[]> }[] = []
  const compiled = options.compiled ?? []
  if (compiled.length > 0) {
    sources.push({ shown: COMPILED_IN, found: async () => [...new Set(compiled.filter(isTaskDefinition))] })
  }
  for (const file of paths.flatMap((p) => expand(p, options.cwd))) {
    const shown = relative(options.cwd, file) || file
    sources.push({
      shown,
      found: async () => [
        ...new Set(Object.values(await importModule(file, shown)).filter(isTaskDefinition)),
      ],
    })
  }
  for (const { shown, found: load } of sources) {
    const found = await load()
    if (found.length === 0) {
      throw new AppModuleError(shown, 'exports no task (export what defineTask returns)')
    }
    for (const task of found) {
      if (options.reserved.has(task.name)) {
        throw new AppModuleError(shown, `task '${task.name}' is a built-in task's name; choose another`)
      }
      const earlier = definedIn.get(task.name)
      if (earlier !== undefined) {
        throw new AppModuleError(shown, `task '${task.name}' is already defined in '${earlier}'`)
      }
      definedIn.set(task.name, shown)
      tasks.push(task)
    }
  }
  return tasks
}
