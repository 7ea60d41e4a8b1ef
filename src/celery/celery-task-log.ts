import type { TaskErrorInfo, TaskResult } from '../core/result.ts'
import { isTerminal, type TaskState } from '../core/states.ts'
import type { CeleryTaskEvent } from './monitor-event.ts'

export interface CeleryTaskLogOptions {
  /** Tasks kept at most; past it the first seen is forgotten (Flower's max_tasks, 10,000). */
  maxTasks: number
  /** A task is forgotten this long after its last event (the result expiry). */
  ttlMs: number
}

interface Entry {
  task: TaskResult
  /** The sender's time of the latest event applied, so a late older event does not win. */
  lastEventAt: number
  /** Our time of the latest event: the expiry counts from it. */
  touchedAt: number
}

const STATE_OF: Record<CeleryTaskEvent['type'], TaskState> = {
  'task-sent': 'PENDING',
  'task-received': 'RECEIVED',
  'task-started': 'STARTED',
  'task-succeeded': 'SUCCESS',
  'task-failed': 'FAILURE',
  'task-retried': 'RETRY',
  'task-revoked': 'REVOKED',
}

/**
 * The exception from the traceback's last line (`KeyError: 'k9'`), as Python prints it: the
 * event's own `exception` is a repr that a prefork or solo pool may wrap (ExceptionWithTraceback).
 * Without a traceback, the repr `KeyError('k9')` gives the class and its arguments.
 */
function errorOf(e: CeleryTaskEvent): TaskErrorInfo {
  const stack = e.traceback ?? null
  const lastLine = stack?.trimEnd().split('\n').at(-1) ?? ''
  const printed = /^([A-Za-z_][\w.]*)(?:: ([\s\S]*))?$/.exec(lastLine)
  if (printed?.[1]) return { type: printed[1], message: printed[2] ?? '', stack, code: null }
  const exception = e.exception ?? ''
  const match = /^([A-Za-z_][\w.]*)\(([\s\S]*)\)$/.exec(exception)
  return {
    type: match?.[1] ?? 'Exception',
    message: match ? (match[2] ?? '') : exception,
    stack,
    code: null,
  }
}

function blank(e: CeleryTaskEvent, at: number): TaskResult {
  return {
    id: e.uuid,
    task: '',
    state: 'PENDING',
    queue: '',
    input: null,
    result: null,
    error: null,
    meta: null,
    attempts: 1,
    retries: 0,
    worker: null,
    deadReason: null,
    createdAt: at,
    eta: null,
    startedAt: null,
    finishedAt: null,
    runtimeMs: null,
    expiresAt: null,
  }
}

/**
 * What Python Celery workers' events say about their tasks, held in memory as our TaskResult so
 * the task lists and search show them beside ours (Flower keeps its state the same way). Bounded:
 * at most `maxTasks`, each forgotten `ttlMs` after its last event.
 */
export class CeleryTaskLog {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly o: CeleryTaskLogOptions) {}

  get size(): number {
    return this.entries.size
  }

  apply(e: CeleryTaskEvent, now: number): void {
    const at = Math.round(e.timestamp * 1000)
    let entry = this.entries.get(e.uuid)
    if (!entry) {
      entry = { task: blank(e, at), lastEventAt: Number.NEGATIVE_INFINITY, touchedAt: now }
      this.entries.set(e.uuid, entry)
      this.evict()
    }
    entry.touchedAt = now
    const t = entry.task
    if (e.name) t.task = e.name
    if (e.queue) t.queue = e.queue
    if (e.args != null || e.kwargs != null) t.input = { args: e.args ?? '()', kwargs: e.kwargs ?? '{}' }
    if (e.retries != null) {
      t.retries = e.retries
      t.attempts = e.retries + 1
    }
    const state = STATE_OF[e.type]
    // A SUCCESS stays; otherwise the latest event by the sender's clock decides the state.
    if (t.state === 'SUCCESS' || at < entry.lastEventAt) return
    entry.lastEventAt = at
    if (state !== 'PENDING' || t.state === 'PENDING') t.state = state
    if (e.type !== 'task-sent' && e.type !== 'task-revoked') t.worker = e.hostname
    if (state === 'STARTED') t.startedAt = at
    if (state === 'SUCCESS') {
      t.result = e.result ?? null
      t.error = null
      t.runtimeMs = e.runtime == null ? null : Math.round(e.runtime * 1000)
    }
    if (state === 'FAILURE' || state === 'RETRY') t.error = errorOf(e)
    if (isTerminal(state)) t.finishedAt = at
  }

  get(id: string, now: number): TaskResult | null {
    const entry = this.entries.get(id)
    if (!entry) return null
    if (this.expired(entry, now)) {
      this.entries.delete(id)
      return null
    }
    return { ...entry.task }
  }

  /** Every live task, newest first (created, then id, both descending: the brokers' order). */
  newestFirst(now: number): TaskResult[] {
    this.sweep(now)
    return [...this.entries.values()]
      .map((e) => e.task)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.touchedAt > this.o.ttlMs
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(id)
  }

  /** Forgets the first seen tasks past the cap (a Map keeps insertion order). */
  private evict(): void {
    if (this.entries.size <= this.o.maxTasks) return
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.o.maxTasks) break
      this.entries.delete(id)
    }
  }
}
