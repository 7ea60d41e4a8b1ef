import { describe, expect, test } from 'bun:test'
import type { WorkerInfo } from '../../../src/brokers/broker.ts'
import { type MakeBroker, unique, useHarness } from './harness.ts'

function workerInfo(name: string): WorkerInfo {
  return {
    name,
    host: 'test-host',
    pid: 1234,
    queues: ['default'],
    concurrency: 4,
    startedAt: 0,
    processed: 0,
    failed: 0,
    succeeded: 0,
    retried: 0,
    rssBytes: 1,
    active: [],
    reserved: [],
    registered: ['test.echo'],
    version: '0.0.0',
    status: 'online',
  }
}

export function describeWorkersAndControl(make: MakeBroker): void {
  describe('workers and control', () => {
    const h = useHarness(make)

    test('shows a worker online after a heartbeat and offline once it falls silent', async () => {
      const { broker, clock, worker } = h()
      await broker.heartbeat(workerInfo(worker))
      clock.advance(5_000)
      await broker.heartbeat({ ...workerInfo(worker), processed: 7 })
      const find = async () => (await broker.listWorkers(10_000)).find((w) => w.name === worker)
      expect(await find()).toMatchObject({ online: true, processed: 7, lastHeartbeat: clock.now() })
      clock.advance(10_001)
      expect(await find()).toMatchObject({ online: false })
      const online = (await h().events()).filter((e) => e.type === 'worker:online')
      expect(online).toHaveLength(1)
    })

    test('prunes workers silent for longer than asked', async () => {
      const { broker, clock, worker } = h()
      const fresh = unique('fresh')
      await broker.heartbeat(workerInfo(worker))
      clock.advance(60_000)
      await broker.heartbeat(workerInfo(fresh))
      expect(await broker.pruneWorkers(30_000)).toBeGreaterThanOrEqual(1)
      const names = (await broker.listWorkers(1_000)).map((w) => w.name)
      expect(names).not.toContain(worker)
      expect(names).toContain(fresh)
      await broker.pruneWorkers(0)
    })

    test('delivers commands to their target and broadcasts to all, and collects the replies', async () => {
      const { broker, worker } = h()
      const other = unique('other')
      const direct = await broker.sendControl('ping', worker, { n: 1 })
      const elsewhere = await broker.sendControl('ping', other)
      const everyone = await broker.sendControl('shutdown', null)
      const mine = (await broker.pollControl(worker, direct - 1)).filter((m) =>
        [direct, elsewhere, everyone].includes(m.seq),
      )
      expect(mine.map((m) => [m.seq, m.command, m.target])).toEqual([
        [direct, 'ping', worker],
        [everyone, 'shutdown', null],
      ])
      expect(mine[0]?.args).toEqual({ n: 1 })
      expect((await broker.pollControl(worker, everyone)).filter((m) => m.target === worker)).toEqual([])
      await broker.replyControl({ seq: direct, worker, reply: { pong: true } })
      expect(await broker.readReplies(direct)).toEqual([
        { seq: direct, worker, reply: { pong: true }, at: h().clock.now() },
      ])
      expect(await broker.readReplies(elsewhere)).toEqual([])
    })
  })
}
