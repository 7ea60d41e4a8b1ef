import type { ScheduleStore, StoredSchedule } from '../brokers/broker.ts'
import type { Client } from '../client/client.ts'
import type { Clock } from '../core/clock.ts'
import { CeleriacError, ValidationError } from '../core/errors.ts'
import type { TaskRegistry } from '../core/registry.ts'
import {
  EMPTY_STATE,
  ScheduleEntry,
  type ScheduleEntryInput,
  type ScheduleState,
} from '../core/schedule-entry.ts'
import { parseOrThrow, zodIssues } from '../core/validate.ts'
import { nextFireAfter, nextFireTimes } from './next-fire.ts'

export interface ScheduleView extends StoredSchedule {
  /** The next five fire times (epoch ms), from croner for cron entries. */
  nextFireTimes: number[]
}

export interface ScheduleServiceDeps {
  store: ScheduleStore
  registry: TaskRegistry
  client: Client
  clock: Clock
  /** Time zone of entries that name none (config; UTC when unset). */
  defaultTimezone: string
}

const TIMING_FIELDS = ['cron', 'every', 'at', 'timezone'] as const

/**
 * What the API and CLI do to schedules: validated edits that take effect at the next fire
 * (a timing change recomputes the next fire time), run-now, and views with next fire times.
 */
export class ScheduleService {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  /**
   * Validates an entry: its schema (croner's own error for a bad cron), a registered task, and
   * its input against that task's schema, so a bad input is refused when written, not at fire time.
   */
  validate(input: unknown): ScheduleEntry {
    const withZone =
      typeof input === 'object' && input !== null ? { timezone: this.deps.defaultTimezone, ...input } : input
    const entry = parseOrThrow(ScheduleEntry, withZone, 'schedule')
    const task = this.deps.registry.get(entry.task)
    if (!task) {
      const known = this.deps.registry.names().join(', ')
      throw new ValidationError('schedule', [
        { path: 'task', message: `unknown task '${entry.task}'; registered: ${known}` },
      ])
    }
    const checked = task.input.safeParse(entry.input)
    if (!checked.success) {
      const issues = zodIssues(checked.error).map((i) => ({
        ...i,
        path: i.path ? `input.${i.path}` : 'input',
      }))
      throw new ValidationError('schedule', issues)
    }
    return entry
  }

  async list(): Promise<ScheduleView[]> {
    return (await this.deps.store.listSchedules()).map((s) => this.view(s))
  }

  async get(name: string): Promise<ScheduleView> {
    return this.view(await this.require(name))
  }

  async create(input: ScheduleEntryInput | unknown): Promise<ScheduleView> {
    const entry = this.validate(input)
    if (await this.deps.store.getSchedule(entry.name)) {
      throw new CeleriacError('CONFLICT', `schedule '${entry.name}' already exists`)
    }
    return this.save({ entry, state: this.freshState(entry), source: 'store' })
  }

  /** Applies a partial change; name cannot change. */
  async update(name: string, patch: Record<string, unknown>): Promise<ScheduleView> {
    const current = await this.require(name)
    const entry = this.validate(mergeEntry(current.entry, patch, name))
    const timingChanged = TIMING_FIELDS.some((f) => entry[f] !== current.entry[f])
    const state = timingChanged ? { ...current.state, nextRunAt: this.firstFire(entry) } : current.state
    return this.save({ entry, state, source: current.source })
  }

  async remove(name: string): Promise<void> {
    if (!(await this.deps.store.deleteSchedule(name))) throw notFound(name)
  }

  /** Enqueues the entry's task now, outside its schedule; recorded as its last run. */
  async runNow(name: string): Promise<{ id: string }> {
    const { entry, state } = await this.require(name)
    const handle = await this.deps.client.enqueue(entry.task, entry.input, {
      queue: entry.queue,
      priority: entry.priority,
      expires: entry.expires,
    })
    const now = this.deps.clock.now()
    await this.deps.store.saveScheduleState(name, {
      ...state,
      lastRunAt: now,
      totalRuns: state.totalRuns + 1,
      lastTaskId: handle.id,
      lastOutcome: 'sent (run now)',
    })
    return { id: handle.id }
  }

  freshState(entry: ScheduleEntry): ScheduleState {
    return { ...EMPTY_STATE, nextRunAt: this.firstFire(entry) }
  }

  private firstFire(entry: ScheduleEntry): number | null {
    return nextFireAfter(entry, this.deps.clock.now())
  }

  private async save(schedule: Omit<StoredSchedule, 'updatedAt'>): Promise<ScheduleView> {
    await this.deps.store.putSchedule(schedule)
    return this.get(schedule.entry.name)
  }

  private async require(name: string): Promise<StoredSchedule> {
    const found = await this.deps.store.getSchedule(name)
    if (!found) throw notFound(name)
    return found
  }

  private view(s: StoredSchedule): ScheduleView {
    const from = Math.max(this.deps.clock.now(), (s.state.nextRunAt ?? 0) - 1)
    const times = s.state.nextRunAt === null ? [] : nextFireTimes(s.entry, from, 5)
    return { ...s, nextFireTimes: times }
  }
}

const KINDS = ['cron', 'every', 'at'] as const

/** A patch that names a new kind of timing (cron, every, at) replaces the old kind. */
function mergeEntry(
  current: ScheduleEntry,
  patch: Record<string, unknown>,
  name: string,
): Record<string, unknown> {
  const switching = KINDS.some((kind) => kind in patch)
  const kept = Object.fromEntries(
    Object.entries(current).filter(([key]) => !(switching && (KINDS as readonly string[]).includes(key))),
  )
  return { ...kept, ...patch, name }
}

function notFound(name: string): CeleriacError {
  return new CeleriacError('NOT_FOUND', `schedule '${name}' not found`)
}
