import type { CeleryMonitor } from '../celery/celery-monitor.ts'
import type { CeleryWorkerRecord } from '../celery/celery-worker-log.ts'
import type { Clock } from '../core/clock.ts'
import { CeleriacError } from '../core/errors.ts'
import type { TaskResult } from '../core/result.ts'
import {
  type BrokerAdmin,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  type TaskPage,
  type TaskQuery,
  type WorkerStatus,
} from './broker.ts'

/** A place in the newest-first order every engine lists in: created, then id, both descending. */
interface Position {
  at: number
  id: string
}

/**
 * Where the merged listing stands: the engine's own cursor for the page being merged (`b`, null
 * for its first page), whether the engine has nothing left, and the last task shown.
 */
interface MergedCursor {
  b: string | null
  done: boolean
  pos: Position | null
}

const positionOf = (t: TaskResult): Position => ({ at: t.createdAt, id: t.id })
const before = (a: Position, b: Position): boolean => a.at < b.at || (a.at === b.at && a.id < b.id)

function encodeCursor(c: MergedCursor): string {
  return Buffer.from(`m:${JSON.stringify(c)}`).toString('base64url')
}

function decodeCursor(cursor: string): MergedCursor {
  const text = Buffer.from(cursor, 'base64url').toString()
  try {
    if (!text.startsWith('m:')) throw new Error('not a merged cursor')
    const c = JSON.parse(text.slice(2)) as MergedCursor
    const posOk = c.pos === null || (Number.isFinite(c.pos.at) && typeof c.pos.id === 'string')
    if ((c.b === null || typeof c.b === 'string') && typeof c.done === 'boolean' && posOk) return c
  } catch {}
  throw new CeleriacError('VALIDATION', `listTasks: invalid cursor '${cursor.slice(0, 100)}'`)
}

/** The same filters the engines apply, on one task of Python's. */
function matches(t: TaskResult, q: TaskQuery): boolean {
  if (q.state !== undefined && t.state !== q.state) return false
  if (q.name !== undefined && t.task !== q.name) return false
  if (q.queue !== undefined && t.queue !== q.queue) return false
  if (q.since !== undefined && t.createdAt < q.since) return false
  if (q.until !== undefined && t.createdAt > q.until) return false
  if (!q.text) return true
  const text = q.text.toLowerCase()
  return t.task.toLowerCase().includes(text) || JSON.stringify(t.input).toLowerCase().includes(text)
}

function workerStatus(w: CeleryWorkerRecord, tasks: TaskResult[], offlineAfterMs: number, now: number) {
  const running = tasks.filter((t) => t.state === 'STARTED' && t.worker === w.hostname)
  const status: WorkerStatus = {
    name: w.hostname,
    host: w.hostname.includes('@') ? w.hostname.slice(w.hostname.indexOf('@') + 1) : w.hostname,
    pid: w.pid,
    // Celery's events carry neither the queues nor the pool size.
    queues: [],
    concurrency: 0,
    startedAt: w.firstSeen,
    processed: w.processed,
    failed: w.failed,
    succeeded: w.succeeded,
    retried: w.retried,
    rssBytes: 0,
    active: running.map((t) => ({
      id: t.id,
      task: t.task,
      startedAt: t.startedAt ?? t.createdAt,
      attempt: t.attempts,
    })),
    reserved: [],
    registered: [],
    version: w.version,
    status: 'online',
    lastHeartbeat: w.lastSeen,
    online: w.online && now - w.lastSeen <= offlineAfterMs,
  }
  return status
}

/**
 * The engine's inspection with Python Celery's tasks and workers (from their events) merged in:
 * the task lists and search page through both in one newest-first order, and the workers view
 * lists Python workers beside ours. Everything else is the engine's own.
 */
export function withCeleryTasks<T extends BrokerAdmin>(engine: T, monitor: CeleryMonitor, clock: Clock): T {
  const listTasks = async (q: TaskQuery): Promise<TaskPage> => {
    const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT)
    const c: MergedCursor = q.cursor ? decodeCursor(q.cursor) : { b: null, done: false, pos: null }
    const page: TaskPage = c.done
      ? { tasks: [], nextCursor: null, truncated: false }
      : await engine.listTasks({ ...q, limit, cursor: c.b ?? undefined })
    const unseen = (t: TaskResult) => c.pos === null || before(positionOf(t), c.pos)
    const ours = page.tasks.filter(unseen)
    const theirs = monitor.tasks.newestFirst(clock.now()).filter((t) => unseen(t) && matches(t, q))
    // While the engine has more, a Python task older than its page's last one must wait: the
    // engine's next page may hold tasks newer than it.
    const last = page.tasks.at(-1)
    const frontier = page.nextCursor === null ? null : last ? positionOf(last) : 'none'
    const mergeable = (t: TaskResult) =>
      frontier === null || (frontier !== 'none' && !before(positionOf(t), frontier))
    const tasks: TaskResult[] = []
    let i = 0
    let j = 0
    while (tasks.length < limit) {
      const a = ours[i]
      const b = theirs[j]
      const bOk = b !== undefined && mergeable(b)
      if (a === undefined && !bOk) break
      if (a !== undefined && (!bOk || !before(positionOf(a), positionOf(b)))) {
        tasks.push(a)
        i++
      } else {
        tasks.push({ ...(b as TaskResult) })
        j++
      }
    }
    const allOurs = i === ours.length
    const done = allOurs && (c.done || page.nextCursor === null)
    const lastShown = tasks.at(-1)
    const pos = lastShown ? positionOf(lastShown) : c.pos
    const more = !done || j < theirs.length
    return {
      tasks,
      nextCursor: more ? encodeCursor({ b: allOurs ? page.nextCursor : c.b, done, pos }) : null,
      truncated: allOurs && page.truncated,
    }
  }

  return {
    ...engine,
    listTasks,
    listWorkers: async (offlineAfterMs: number) => {
      const now = clock.now()
      const tasks = monitor.tasks.newestFirst(now)
      const python = monitor.workers.list().map((w) => workerStatus(w, tasks, offlineAfterMs, now))
      return [...(await engine.listWorkers(offlineAfterMs)), ...python]
    },
    pruneWorkers: async (olderThanMs: number) =>
      (await engine.pruneWorkers(olderThanMs)) + monitor.workers.prune(olderThanMs, clock.now()),
  }
}
