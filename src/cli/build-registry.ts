import { ConfigError } from '../config/config-error.ts'
import type { Config } from '../config/config-schema.ts'
import { applyTaskSettings } from '../config/task-routing.ts'
import { TaskRegistry } from '../core/registry.ts'
import { createDeclaredTask } from '../tasks/declared/declared-task.ts'
import { createBuiltinTasks } from '../tasks/index.ts'
import type { TaskServices } from '../tasks/task-services.ts'
import { loadAppModules } from './load-app-modules.ts'

/**
 * Every task this process knows: the built-in ones, the user's tasks (compiled in, then the `-A`
 * modules), and the config's
 * `tasks` table for names whose code is elsewhere (a module's own definition wins over its
 * declaration); then Celery's routes and annotations over all of them.
 */
export async function buildRegistry(
  config: Config,
  services: TaskServices,
  cwd: string,
  compiled: readonly unknown[] = [],
): Promise<TaskRegistry> {
  const builtins = createBuiltinTasks(services)
  const reserved = new Set(builtins.map((t) => t.name))
  const own = await loadAppModules(config.app, { cwd, reserved, compiled })
  const defined = new Set(own.map((t) => t.name))
  const clash = config.tasks.findIndex((entry) => reserved.has(entry.name))
  if (clash >= 0) {
    throw new ConfigError([`tasks.${clash}.name: '${config.tasks[clash]?.name}' is a built-in task's name`])
  }
  const declared = config.tasks
    .filter((e) => !defined.has(e.name))
    .map((e) => createDeclaredTask(e, services))
  return new TaskRegistry(
    [...builtins, ...own, ...declared].map((task) =>
      applyTaskSettings(task, config.routes, config.annotations),
    ),
  )
}
