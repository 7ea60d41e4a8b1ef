import { describe, expect, test } from 'bun:test'
import { EVENT_TYPES } from '../../src/brokers/broker.ts'
import liveJs from '../../src/dashboard/assets/live.client.js' with { type: 'text' }
import { makeDashboard } from './dashboard-harness.ts'

describe('dashboard live script', () => {
  test('listens to exactly the event types the broker defines, written in when served', async () => {
    const d = makeDashboard()
    const served = await (await d.request('/assets/live.js')).text()
    const list = /const EVENTS = (\[[^\]]*\])/.exec(served)?.[1]
    expect(JSON.parse(list ?? 'null')).toEqual([...EVENT_TYPES])
  })

  test('the script file names no event type of its own, so it cannot drift from the broker', () => {
    expect(liveJs).toContain('/* EVENT_TYPES */ []')
    expect(liveJs).not.toMatch(/['"](task|worker):[a-z]+['"]/)
  })
})
