import { afterEach, beforeEach } from 'bun:test'
import type { BrokerEngine, BrokerEvent, Lease } from '../../../src/brokers/broker.ts'
import { FakeClock } from '../../../src/core/clock.ts'
import type { Json } from '../../../src/core/json.ts'
import type { TaskMessage } from '../../../src/core/message.ts'
import { rawMessage } from '../raw-message.ts'

export type MakeBroker = (clock: FakeClock) => Promise<BrokerEngine>

export const LEASE_MS = 30_000

let counter = 0
/** Names unique across tests and runs, so engines sharing a server never see each other's data. */
export function unique(label: string): string {
  counter += 1
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}`
}

/**
 * One broker per test on a fresh fake clock, with helpers that keep track of the queues a test
 * used so afterEach can clean them up through the broker's own API.
 */
export class Harness {
  readonly queues: string[] = []
  readonly worker = unique('worker')
  constructor(
    readonly clock: FakeClock,
    readonly broker: BrokerEngine,
  ) {}

  queue(label = 'q'): string {
    const name = unique(label)
    this.queues.push(name)
    return name
  }

  message(queue: string, overrides: Partial<TaskMessage> = {}): TaskMessage {
    return rawMessage(queue, this.clock.now(), { input: { n: 1 }, ...overrides })
  }

  async add(queue: string, overrides: Partial<TaskMessage> = {}): Promise<string> {
    const [outcome] = await this.broker.enqueue([this.message(queue, overrides)])
    if (!outcome) throw new Error('enqueue returned no outcome')
    return outcome.id
  }

  reserve(queues: string | string[], max = 10, worker = this.worker): Promise<Lease[]> {
    return this.broker.reserve({
      queues: typeof queues === 'string' ? [queues] : queues,
      max,
      leaseMs: LEASE_MS,
      worker,
    })
  }

  async reserveOne(queue: string, worker = this.worker): Promise<Lease> {
    const [lease] = await this.reserve(queue, 1, worker)
    if (!lease) throw new Error(`nothing to reserve on ${queue}`)
    return lease
  }

  async ack(lease: Lease, result: Json = null): Promise<string | undefined> {
    const [outcome] = await this.broker.settle([{ kind: 'ack', lease, result, runtimeMs: 5 }])
    return outcome
  }

  /** This test's events (by queue, or worker name in the data), oldest first. */
  async events(): Promise<BrokerEvent[]> {
    const all: BrokerEvent[] = []
    for (let after: string | null = null; ; ) {
      const page = await this.broker.readEvents(after, 1000)
      all.push(...page)
      const last = page.at(-1)
      if (!last || page.length < 1000) break
      after = last.seq
    }
    return all.filter(
      (e) =>
        (e.queue !== null && this.queues.includes(e.queue)) || JSON.stringify(e.data).includes(this.worker),
    )
  }
}

/** Registers per-test setup and teardown; read `current()` inside a test. */
export function useHarness(make: MakeBroker): () => Harness {
  let harness: Harness | null = null
  beforeEach(async () => {
    const clock = new FakeClock()
    harness = new Harness(clock, await make(clock))
  })
  afterEach(async () => {
    if (!harness) return
    for (const queue of harness.queues) await harness.broker.purge(queue)
    await harness.broker.close()
    harness = null
  })
  return () => {
    if (!harness) throw new Error('harness used outside a test')
    return harness
  }
}
