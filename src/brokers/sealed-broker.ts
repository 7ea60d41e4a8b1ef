import type { Json } from '../core/json.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskMessage } from '../core/message.ts'
import type { TaskResult } from '../core/result.ts'
import { PayloadError, type PayloadSeal } from '../security/payload-seal.ts'
import type { BrokerEngine, BrokerEvent, Lease, Settlement } from './broker.ts'
import { searchOpened } from './sealed-search.ts'

/**
 * The engine with signed messages and encrypted payloads, the same on every engine: messages are
 * sealed on their way in (input encrypted, then the whole message signed), checked and opened on
 * their way out to a worker, results and progress meta encrypted before they are stored, and
 * opened again for readers (the API, the dashboard, `result`). The store only ever holds
 * ciphertext. A message that fails its check is never run: it becomes a dead letter naming why,
 * and the other messages of the same claim go on.
 */
export function sealPayloads(engine: BrokerEngine, seal: PayloadSeal, log: Logger): BrokerEngine {
  const sealMessage = (m: TaskMessage): TaskMessage =>
    seal.sign(seal.encrypts ? { ...m, input: seal.seal(m.input, m.id, 'input') } : m)

  // The worker gets the message as it was enqueued: input opened, signature checked and dropped.
  const openLease = (lease: Lease): Lease => {
    seal.verify(lease.message)
    const { sig: _checked, ...message } = lease.message
    return { ...lease, message: { ...message, input: seal.open(message.input, lease.id, 'input') } }
  }

  const forReader = (r: TaskResult): TaskResult => ({
    ...r,
    input: seal.openForReader(r.input, r.id, 'input'),
    result: seal.openForReader(r.result, r.id, 'result'),
    meta: seal.openForReader(r.meta, r.id, 'meta'),
  })

  const eventForReader = (e: BrokerEvent): BrokerEvent => {
    const data = e.data as { meta?: unknown } | null
    if (e.type !== 'task:progress' || e.taskId === null || !data || data.meta === undefined) return e
    return {
      ...e,
      data: { ...data, meta: seal.openForReader(data.meta, e.taskId, 'meta') } as BrokerEvent['data'],
    }
  }

  const sealSettlement = (s: Settlement): Settlement =>
    s.kind === 'ack' && s.result !== null
      ? { ...s, result: seal.seal(s.result, s.lease.id, 'result') as Json }
      : s

  return {
    ...engine,
    enqueue: (messages, options) => engine.enqueue(messages.map(sealMessage), options),
    reserve: async (request) => {
      const leases = await engine.reserve(request)
      const opened: Lease[] = []
      const refused: Settlement[] = []
      for (const lease of leases) {
        try {
          opened.push(openLease(lease))
        } catch (err) {
          if (!(err instanceof PayloadError)) throw err
          log.warn('refused a message that failed its check; it is a dead letter', {
            id: lease.id,
            task: lease.message.task,
            reason: err.reason,
            error: err.message,
          })
          const error = { type: 'PayloadError', message: err.message, stack: null, code: err.reason }
          refused.push({ kind: 'fail', lease, error, reason: err.reason, runtimeMs: null })
        }
      }
      if (refused.length > 0) await engine.settle(refused)
      return opened
    },
    settle: (settlements) => engine.settle(settlements.map(sealSettlement)),
    setState: (lease, state, meta) =>
      engine.setState(
        lease,
        state,
        meta === undefined ? meta : (seal.seal(meta, lease.id, 'meta') as typeof meta),
      ),
    getResult: async (id) => {
      const found = await engine.getResult(id)
      return found && forReader(found)
    },
    listTasks: async (query) => {
      if (seal.encrypts && query.text) return searchOpened(engine, { ...query, text: query.text }, forReader)
      const page = await engine.listTasks(query)
      return { ...page, tasks: page.tasks.map(forReader) }
    },
    listDead: async (queue, limit) => (await engine.listDead(queue, limit)).map(forReader),
    putWorkflow: (id, tree, ttlMs) => engine.putWorkflow(id, seal.seal(tree, id, 'workflow') as Json, ttlMs),
    getWorkflow: async (id) =>
      seal.openForReader(await engine.getWorkflow(id), id, 'workflow') as Json | null,
    joinGroup: async (group, index, size, result, ttlMs) => {
      const sealed = seal.seal(result, `${group}:${index}`, 'result') as Json
      const all = await engine.joinGroup(group, index, size, sealed, ttlMs)
      return all === null ? null : all.map((r, i) => seal.open(r, `${group}:${i}`, 'result') as Json)
    },
    readEvents: async (after, limit) => (await engine.readEvents(after, limit)).map(eventForReader),
    taskEvents: async (id) => (await engine.taskEvents(id)).map(eventForReader),
  }
}
