import type { BrokerEngine } from '../../src/brokers/broker.ts'
import type { TaskResult } from '../../src/core/result.ts'
import { TERMINAL_STATES } from '../../src/core/states.ts'
import type { Accepted } from './load.ts'

/** What the store says about every accepted task, once the queues have drained. */
export interface LedgerReport {
  accepted: number
  success: number
  /** Accepted, then not found in the store: lost. */
  lost: string[]
  /** Not terminal when the drain deadline passed. */
  stuck: string[]
  /** Terminal but not SUCCESS (every task of the mix succeeds, debug.fail on its 2nd attempt). */
  failed: string[]
  /** Executions beyond the expected ones (a redelivery after a kill or a pause). */
  reruns: number
  emails: { succeeded: number; missing: number; duplicates: number }
  beat: { expected: number; fired: number }
}

const expectedAttempts = (task: string) => (task === 'debug.fail' ? 2 : 1)

async function resultsOf(broker: BrokerEngine, ids: string[]): Promise<Map<string, TaskResult | null>> {
  const out = new Map<string, TaskResult | null>()
  for (let i = 0; i < ids.length; i += 64) {
    const slice = ids.slice(i, i + 64)
    const found = await Promise.all(slice.map((id) => broker.getResult(id)))
    for (const [j, id] of slice.entries()) out.set(id, found[j] ?? null)
  }
  return out
}

/** Waits until every accepted task is terminal (or the deadline passes), then reads the results. */
export async function drain(
  broker: BrokerEngine,
  accepted: Accepted[],
  deadline: number,
): Promise<Map<string, TaskResult | null>> {
  let pending = accepted.map((a) => a.id)
  const results = new Map<string, TaskResult | null>()
  while (true) {
    const read = await resultsOf(broker, pending)
    for (const [id, r] of read) results.set(id, r)
    pending = pending.filter((id) => {
      const r = read.get(id)
      return r == null || !TERMINAL_STATES.has(r.state)
    })
    if (pending.length === 0 || Date.now() > deadline) return results
    await Bun.sleep(1_000)
  }
}

/** Counts the tick tasks beat fired and the slots it should have fired (every second). */
async function beatLedger(broker: BrokerEngine): Promise<{ expected: number; fired: number }> {
  const created: number[] = []
  let cursor: string | null = null
  do {
    const page = await broker.listTasks({ name: 'soak.tick', limit: 500, ...(cursor ? { cursor } : {}) })
    created.push(...page.tasks.map((t) => t.createdAt))
    cursor = page.nextCursor
  } while (cursor)
  const schedule = await broker.getSchedule('soak-tick')
  const last = schedule?.state.lastRunAt ?? null
  if (created.length === 0 || last === null) return { expected: 0, fired: created.length }
  // The first fire is on time (nothing to catch up yet): its slot is the second it was made in.
  const first = Math.floor(Math.min(...created) / 1_000) * 1_000
  return { expected: (last - first) / 1_000 + 1, fired: created.length }
}

export async function checkLedger(o: {
  broker: BrokerEngine
  accepted: Accepted[]
  results: Map<string, TaskResult | null>
  emailsBySubject: Map<string, number>
}): Promise<LedgerReport> {
  const report: LedgerReport = {
    accepted: o.accepted.length,
    success: 0,
    lost: [],
    stuck: [],
    failed: [],
    reruns: 0,
    emails: { succeeded: 0, missing: 0, duplicates: 0 },
    beat: await beatLedger(o.broker),
  }
  for (const a of o.accepted) {
    const r = o.results.get(a.id) ?? null
    if (r === null) report.lost.push(a.id)
    else if (!TERMINAL_STATES.has(r.state)) report.stuck.push(a.id)
    else if (r.state !== 'SUCCESS') report.failed.push(`${a.id} ${a.task} ${r.state}`)
    else report.success++
    if (r !== null) report.reruns += Math.max(0, r.attempts - expectedAttempts(a.task))
    if (a.task === 'email.send' && r?.state === 'SUCCESS') {
      report.emails.succeeded++
      const sent = o.emailsBySubject.get(`soak ${a.key.slice('soak-'.length)}`) ?? 0
      if (sent === 0) report.emails.missing++
      report.emails.duplicates += Math.max(0, sent - 1)
    }
  }
  return report
}
