import { describe, expect, test } from 'bun:test'
import { ReadLane } from '../../src/core/read-lane.ts'

describe('ReadLane', () => {
  test('lets one waiter go per event-loop turn, oldest first, however many readers wait', async () => {
    const lane = new ReadLane()
    // An independent once-per-turn ticker: the turn each slice ran in.
    let tick = 0
    let ticking = true
    const ticker = () => {
      tick++
      if (ticking) setImmediate(ticker)
    }
    setImmediate(ticker)
    const order: number[] = []
    const ticks: number[] = []
    await Promise.all(
      [0, 1, 2].map(async (reader) => {
        for (let slice = 0; slice < 5; slice++) {
          await lane.turn()
          order.push(reader)
          ticks.push(tick)
        }
      }),
    )
    ticking = false
    expect(order).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
    // No two slices in the same turn: the ticks they saw strictly increase.
    for (let i = 1; i < ticks.length; i++) expect(ticks[i] as number).toBeGreaterThan(ticks[i - 1] as number)
  })

  test('a timer due while readers wait fires before they finish', async () => {
    const lane = new ReadLane()
    const TURNS = 4 * 250
    let slices = 0
    const readers = Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let i = 0; i < TURNS / 4; i++) {
          await lane.turn()
          // Each slice does a little work, so the readers together outlast the timer's 1 ms.
          const until = performance.now() + 0.05
          while (performance.now() < until) {}
          slices++
        }
      }),
    )
    const slicesWhenTimerFired = await new Promise<number>((resolve) => setTimeout(() => resolve(slices), 0))
    await readers
    expect(slicesWhenTimerFired).toBeLessThan(TURNS)
  })
})
