import { describe, expect, test } from 'bun:test'
import { type MakeBroker, useHarness } from './harness.ts'

const HOUR = 3_600_000

/** The broker's part of workflows: group joins (the chord's atomic counter) and stored trees. */
export function describeWorkflows(make: MakeBroker): void {
  describe('workflow joins and trees', () => {
    const h = useHarness(make)
    const group = () => `g-${Bun.randomUUIDv7()}`

    test('a group completes when its last member joins: every result in index order, then to every later call', async () => {
      const { broker } = h()
      const g = group()
      expect(await broker.joinGroup(g, 2, 3, { n: 'c' }, HOUR)).toBeNull()
      expect(await broker.joinGroup(g, 0, 3, 'a', HOUR)).toBeNull()
      expect(await broker.joinGroup(g, 1, 3, [1, 2], HOUR)).toEqual(['a', [1, 2], { n: 'c' }])
      // A redelivered member changes nothing, and sees the group complete.
      expect(await broker.joinGroup(g, 0, 3, 'again', HOUR)).toEqual(['a', [1, 2], { n: 'c' }])
    })

    test('a member joining twice before the others does not complete the group alone', async () => {
      const { broker } = h()
      const g = group()
      expect(await broker.joinGroup(g, 0, 2, null, HOUR)).toBeNull()
      expect(await broker.joinGroup(g, 0, 2, null, HOUR)).toBeNull()
      expect(await broker.joinGroup(g, 1, 2, 7, HOUR)).toEqual([null, 7])
    })

    test('members joining at once: exactly the last write sees completion first, and all agree on the results', async () => {
      const { broker } = h()
      const g = group()
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => broker.joinGroup(g, i, 50, i, HOUR)),
      )
      const complete = answers.filter((a) => a !== null)
      expect(complete.length).toBeGreaterThanOrEqual(1)
      for (const a of complete) expect(a).toEqual(Array.from({ length: 50 }, (_, i) => i))
    })

    test('a group of 10,000 members completes with every result (no limit on reply size below it)', async () => {
      const { broker } = h()
      const g = group()
      const size = 10_000
      for (let i = 0; i < size - 1; i++) await broker.joinGroup(g, i, size, i, HOUR)
      const all = await broker.joinGroup(g, size - 1, size, size - 1, HOUR)
      expect(all).toHaveLength(size)
      expect(all?.[size - 1]).toBe(size - 1)
      expect(all?.[4_321]).toBe(4_321)
    }, 60_000)

    test('stores a workflow tree and reads it back; an unknown id is null', async () => {
      const { broker } = h()
      const id = `wf-${Bun.randomUUIDv7()}`
      const tree = { kind: 'chain', steps: [{ kind: 'task', id: 't1', task: 'a' }] }
      await broker.putWorkflow(id, tree, HOUR)
      expect(await broker.getWorkflow(id)).toEqual(tree)
      expect(await broker.getWorkflow(`${id}-missing`)).toBeNull()
    })
  })
}
