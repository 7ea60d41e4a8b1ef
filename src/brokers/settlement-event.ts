import type { BrokerEvent, Settlement } from './broker.ts'

/** An event as an engine records it: `data` is JSON text, `seq` is the engine's to give. */
export type SettlementEvent = Omit<BrokerEvent, 'seq' | 'data'> & { data: string }

/** An error as events carry it: type and message, no stack. */
function errorSummary(e: { type: string; message: string }): string {
  return JSON.stringify({ type: e.type, message: e.message })
}

/** The event a recorded settlement emits, the same on every engine. */
export function settlementEvent(s: Settlement, now: number): SettlementEvent {
  const base = { at: now, taskId: s.lease.id, task: s.lease.message.task, queue: s.lease.message.queue }
  switch (s.kind) {
    case 'ack':
      return { ...base, type: 'task:succeeded', data: `{"runtimeMs":${JSON.stringify(s.runtimeMs)}}` }
    case 'retry': {
      const data = `{"at":${JSON.stringify(s.at)},"retries":${s.lease.retries + 1},"error":${errorSummary(s.error)}}`
      return { ...base, type: 'task:retried', data }
    }
    case 'fail':
      return {
        ...base,
        type: 'task:failed',
        data: `{"reason":"${s.reason}","error":${errorSummary(s.error)}}`,
      }
    case 'revoked':
      return { ...base, type: 'task:revoked', data: JSON.stringify({ reason: s.reason }) }
    case 'release':
      return {
        ...base,
        type: 'task:released',
        data: JSON.stringify({ started: s.started, at: s.at ?? null }),
      }
  }
}
