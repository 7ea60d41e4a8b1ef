import type { TaskRegistry } from '../core/registry.ts'

/** Maintenance every install wants; each is added only when its task is registered. */
const DEFAULTS = [
  { name: 'celeriac.cleanup_results', task: 'maintenance.cleanup_results', cron: '0 15 3 * * *' },
  { name: 'celeriac.cleanup_files', task: 'maintenance.cleanup_files', cron: '0 45 3 * * *' },
  { name: 'celeriac.health_check', task: 'system.health_check', every: '30m' },
] as const

export function defaultEntries(registry: TaskRegistry): Record<string, unknown>[] {
  return DEFAULTS.filter((d) => registry.get(d.task)).map((d) => ({ ...d }))
}
